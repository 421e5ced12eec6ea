import Foundation
import InternalAPISecurity
import ManagementServer
import Synchronization
import Testing

/// Lets a request through only when it carries `X-Test-Key: open-sesame`, else responds with 401.
struct HeaderKeyHandler: SecurityHandler {
    let name = "header-key"
    let resources: ResourceSet

    init(resources: [String] = []) {
        self.resources = (try? ResourceSet(resources)) ?? .all
    }

    func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        guard request.headers.first("X-Test-Key") == "open-sesame" else {
            context.events.record(.rejected(handler: name, reason: "missing-credentials"))
            return .respond(
                .error(status: 401, message: "Missing key", headers: ["WWW-Authenticate": "Key realm=\"test\""]))
        }
        context.events.record(.authenticated(handler: name))
        return .proceed(Principal(username: "tester", isAdmin: true))
    }
}

/// Always throws, as a handler whose token store is down does.
struct ThrowingHandler: SecurityHandler {
    let name = "throwing"
    let resources = ResourceSet.all

    func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        throw SecurityError(.storeFailed, reason: "Token store is down", value: "test-store")
    }
}

/// Responds with 403 on its resources.
struct ForbiddingHandler: SecurityHandler {
    let name = "forbidding"
    let resources: ResourceSet

    init(resources: [String]) {
        self.resources = (try? ResourceSet(resources)) ?? .all
    }

    func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        .respond(.error(status: 403, message: "Forbidden"))
    }
}

/// A fixed list of users that counts how often it is listed, or fails when created with `fails: true`.
final class CountingUserStore: UserStore {
    let kind = "test"
    let listedUsers: [UserSummary]
    let fails: Bool
    private let listCalls = Atomic<Int>(0)

    init(users: [UserSummary] = [UserSummary(username: "admin", isAdmin: true)], fails: Bool = false) {
        listedUsers = users
        self.fails = fails
    }

    var listCount: Int { listCalls.load(ordering: .relaxed) }

    func authenticate(username: String, password: String) async throws -> Principal? { nil }

    func users() async throws -> [UserSummary] {
        listCalls.add(1, ordering: .relaxed)
        if fails { throw SecurityError(.storeFailed, reason: "Directory is down") }
        return listedUsers
    }
}

/// An application with a management API guarded by `handlers`, a Prometheus API, and probes.
struct TestServer {
    let application: ManagementApplication
    let userStore: CountingUserStore
    let metrics: Metrics
    let logs: LogCapture

    init(
        handlers: [any SecurityHandler] = [HeaderKeyHandler()],
        cors: CORSConfiguration? = nil,
        managementProtocols: Set<APIProtocol> = [.https],
        prometheusHandlers: [any SecurityHandler] = [],
        userStore: CountingUserStore = CountingUserStore(),
        ready: Bool = true
    ) throws {
        let metrics = Metrics()
        let logs = LogCapture()
        let apis = [
            try ServedAPI(
                name: "ManagementApi", kind: .management, chain: SecurityHandlerChain(handlers), cors: cors,
                protocols: managementProtocols),
            try ServedAPI(
                name: "PrometheusApi", kind: .prometheus, chain: SecurityHandlerChain(prometheusHandlers),
                protocols: [.http]),
            try ServedAPI(name: "ReadinessProbe", kind: .readiness, protocols: [.http]),
            try ServedAPI(name: "LivenessProbe", kind: .liveness, protocols: [.http]),
        ]
        application = try ManagementApplication(
            apis: apis, userStore: userStore, sampleData: try SampleData.bundled(), metrics: metrics,
            logger: logs.logger(label: "application"), version: "9.9.9", ready: ready)
        self.userStore = userStore
        self.metrics = metrics
        self.logs = logs
    }

    /// Sends a request; management paths default to HTTPS and carry the test key.
    func send(
        _ target: String, method: String = "GET", headers: HTTPHeaders = ["X-Test-Key": "open-sesame"],
        transport: APIProtocol = .https
    ) async -> SecurityResponse {
        await application.handle(
            ApplicationRequest(
                method: method, target: target, headers: headers, clientAddress: "127.0.0.1",
                requestID: "req-1", transport: transport))
    }
}

/// Parses a JSON object body, failing the test when it is not one.
func jsonObject(_ response: SecurityResponse, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [String: Any]
{
    let parsed = try JSONSerialization.jsonObject(with: Data(response.body))
    return try #require(parsed as? [String: Any], sourceLocation: sourceLocation)
}

/// Returns the `list` array of a `{"count":N,"list":[...]}` body.
func jsonList(_ response: SecurityResponse) throws -> [[String: Any]] {
    try #require(try jsonObject(response)["list"] as? [[String: Any]])
}
