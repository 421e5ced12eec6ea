import Foundation
import InternalAPISecurity

/// Serves the management resources of one management API once its handler chain lets
/// a request through: the API root, `/server`, the sample artifact lists and `/users`.
struct ManagementRouter: Sendable {
    /// The methods every management resource accepts, for `Allow`.
    static let allowedMethods = "GET, HEAD, OPTIONS"

    /// A resource the path names, before the method is checked.
    private enum Resource {
        case root
        case server
        case list(SampleCollection, path: String, nameParameter: String)
        case item(SampleCollection, path: String, name: String)
        case users
        case user(String)
    }

    let apiName: String
    let serverVersion: String
    let sampleData: SampleData
    let userStore: any UserStore
    /// The sample collections by path, aliases included, with their name parameter.
    private let lists: [String: (collection: SampleCollection, nameParameter: String)]

    init(apiName: String, serverVersion: String, sampleData: SampleData, userStore: any UserStore) {
        self.apiName = apiName
        self.serverVersion = serverVersion
        self.sampleData = sampleData
        self.userStore = userStore

        var lists: [String: (collection: SampleCollection, nameParameter: String)] = [:]
        for resource in SampleResource.all {
            guard let collection = sampleData.collection(atPath: resource.path) else { continue }
            lists[resource.path] = (collection, resource.nameParameter)
        }
        for (alias, path) in SampleResource.aliases {
            lists[alias] = lists[path]
        }
        self.lists = lists
    }

    /// Serves the resource at `request.path`, which is relative to the API context and normalised.
    func respond(to request: SecurityRequest, logger: Logger) async -> SecurityResponse {
        guard let resource = resolve(request.path) else {
            return notFound(request.path)
        }

        switch request.method {
        case "GET", "HEAD":
            break
        case "OPTIONS":
            return SecurityResponse(status: 204, headers: ["Allow": Self.allowedMethods])
        default:
            return SecurityResponse.error(
                status: 405, message: "Method \(request.method) is not allowed on \(request.path)",
                headers: ["Allow": Self.allowedMethods])
        }

        guard let query = QueryParameters(request.query) else {
            logger.info("Rejected a malformed query string", metadata: ["path": request.path])
            return SecurityResponse.error(status: 400, message: "Query string contains a malformed percent escape")
        }

        switch resource {
        case .root:
            return .json(
                status: 200, body: "{\"name\":\(JSONText.quote(apiName)),\"version\":\(JSONText.quote(serverVersion))}")
        case .server:
            return SecurityResponse(
                status: 200, headers: ["Content-Type": "application/json"], body: sampleData.serverBody)
        case .list(let collection, let path, let nameParameter):
            if let name = query[nameParameter] {
                return itemResponse(collection, path: path, name: name)
            }
            if let searchKey = query["searchKey"] {
                return jsonBody(collection.listBody(matching: searchKey))
            }
            return jsonBody(collection.listBody)
        case .item(let collection, let path, let name):
            return itemResponse(collection, path: path, name: name)
        case .users:
            return await usersResponse(logger: logger)
        case .user(let name):
            return await userResponse(name, logger: logger)
        }
    }

    /// Maps a relative path to a resource, or nil when nothing is served there.
    private func resolve(_ path: String) -> Resource? {
        if path == "/" { return .root }
        let segments = path.split(separator: "/").map(String.init)
        guard let first = segments.first, segments.count <= 2 else { return nil }
        let itemName = segments.count == 2 ? segments[1].removingPercentEncoding : nil
        if segments.count == 2, itemName == nil { return nil }

        switch first {
        case "server":
            return segments.count == 1 ? .server : nil
        case "users":
            return itemName.map { .user($0) } ?? .users
        default:
            guard let list = lists[first] else { return nil }
            if let itemName {
                return .item(list.collection, path: first, name: itemName)
            }
            return .list(list.collection, path: first, nameParameter: list.nameParameter)
        }
    }

    private func notFound(_ path: String) -> SecurityResponse {
        // Without a token handler on the API, nothing issues or revokes tokens. Naming the
        // handler instead of a bare "not found" shows an operator what to configure.
        if path == "/login" || path == "/logout" {
            return SecurityResponse.error(
                status: 404,
                message: "\(path) is served by JWTTokenSecurityHandler, which this API does not engage")
        }
        return SecurityResponse.error(status: 404, message: "Resource \(path) not found")
    }

    private func itemResponse(_ collection: SampleCollection, path: String, name: String) -> SecurityResponse {
        guard let item = collection.item(named: name) else {
            return SecurityResponse.error(status: 404, message: "Item '\(name)' not found in /\(path)")
        }
        return jsonBody(item.detail)
    }

    private func usersResponse(logger: Logger) async -> SecurityResponse {
        guard let users = await listUsers(logger: logger) else { return Self.userStoreUnavailable }
        let list = users.map { "{\"userId\":\(JSONText.quote($0.username)),\"isAdmin\":\($0.isAdmin)}" }
        return .json(status: 200, body: "{\"count\":\(users.count),\"list\":[\(list.joined(separator: ","))]}")
    }

    private func userResponse(_ name: String, logger: Logger) async -> SecurityResponse {
        guard let users = await listUsers(logger: logger) else { return Self.userStoreUnavailable }
        guard let user = users.first(where: { $0.username == name }) else {
            return SecurityResponse.error(status: 404, message: "User '\(name)' not found")
        }
        return .json(status: 200, body: "{\"userId\":\(JSONText.quote(user.username)),\"isAdmin\":\(user.isAdmin)}")
    }

    private func listUsers(logger: Logger) async -> [UserSummary]? {
        do {
            return try await userStore.users()
        } catch {
            logger.error(
                "User store failed to list users",
                metadata: ["store": userStore.kind, "error": String(describing: error)])
            return nil
        }
    }

    private static let userStoreUnavailable = SecurityResponse.error(
        status: 503, message: "User store is unavailable, try again later")

    private func jsonBody(_ body: [UInt8]) -> SecurityResponse {
        SecurityResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
    }
}
