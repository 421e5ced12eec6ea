import Foundation
import InternalAPISecurity
import ManagementServer
import Testing

@Suite struct SampleResourceTests {
    /// Each list resource with its name parameter and the fields every list entry has.
    static let lists: [(path: String, nameParameter: String, fields: [String])] = [
        ("apis", "apiName", ["name", "url"]),
        ("proxy-services", "proxyServiceName", ["name", "wsdl1_1", "wsdl2_0"]),
        ("endpoints", "endpointName", ["name", "type", "isActive"]),
        ("inbound-endpoints", "inboundEndpointName", ["name", "protocol"]),
        ("sequences", "sequenceName", ["name", "tracing", "stats"]),
        ("tasks", "taskName", ["name"]),
        ("carbon-apps", "carbonAppName", ["name", "version"]),
        ("applications", "carbonAppName", ["name", "version"]),
    ]

    @Test(arguments: lists.map(\.path))
    func listShape(path: String) async throws {
        let server = try TestServer()
        let response = await server.send("/management/\(path)")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let body = try jsonObject(response)
        let list = try #require(body["list"] as? [[String: Any]])
        #expect(body["count"] as? Int == list.count)
        #expect(!list.isEmpty)
        let fields = try #require(Self.lists.first { $0.path == path }?.fields)
        for entry in list {
            for field in fields {
                #expect(entry[field] != nil, "\(path) entry lacks \(field)")
            }
        }
    }

    @Test func sampleCounts() async throws {
        let server = try TestServer()
        let expected = ["apis": 3, "proxy-services": 2, "inbound-endpoints": 2, "carbon-apps": 2]
        for (path, count) in expected {
            let response = await server.send("/management/\(path)")
            #expect(try jsonObject(response)["count"] as? Int == count, "\(path)")
        }
    }

    @Test(arguments: lists.map { ($0.path, $0.nameParameter) })
    func itemByName(path: String, nameParameter: String) async throws {
        let server = try TestServer()
        let first = try #require(try jsonList(await server.send("/management/\(path)")).first)
        let name = try #require(first["name"] as? String)

        let byQuery = await server.send("/management/\(path)?\(nameParameter)=\(name)")
        #expect(byQuery.status == 200)
        #expect(try jsonObject(byQuery)["name"] as? String == name)

        let byPath = await server.send("/management/\(path)/\(name)")
        #expect(byPath.status == 200)
        #expect(byPath.body == byQuery.body)
    }

    @Test func itemHasDetailFields() async throws {
        let server = try TestServer()
        let response = await server.send("/management/apis?apiName=InventoryAPI")
        let body = try jsonObject(response)
        #expect(body["context"] as? String == "/inventory")
        #expect(body["url"] as? String == "http://localhost:8290/inventory")
        #expect((body["resources"] as? [Any])?.count == 2)
    }

    @Test(arguments: ["/management/apis?apiName=Missing", "/management/apis/Missing", "/management/tasks/a/b"])
    func missingItemGets404(target: String) async throws {
        let server = try TestServer()
        let response = await server.send(target)
        #expect(response.status == 404)
        #expect(try jsonObject(response)["Error"] != nil)
    }

    @Test func searchKeyFilters() async throws {
        let server = try TestServer()
        let response = await server.send("/management/apis?searchKey=order")
        let list = try jsonList(response)
        #expect(list.count == 1)
        #expect(list.first?["name"] as? String == "OrderAPI")
        #expect(try jsonObject(response)["count"] as? Int == 1)
    }

    @Test func malformedQueryGets400() async throws {
        let server = try TestServer()
        let response = await server.send("/management/apis?apiName=%zz")
        #expect(response.status == 400)
    }

    @Test func applicationsEqualsCarbonApps() async throws {
        let server = try TestServer()
        let applications = await server.send("/management/applications")
        let carbonApps = await server.send("/management/carbon-apps")
        #expect(applications.body == carbonApps.body)
        #expect(applications.status == 200)
    }

    @Test func serverInformation() async throws {
        let server = try TestServer()
        let response = await server.send("/management/server")
        #expect(response.status == 200)
        let body = try jsonObject(response)
        #expect(body["productVersion"] as? String == "4.3.0")
        #expect(body["productName"] != nil)
    }

    @Test func usersList() async throws {
        let store = CountingUserStore(users: [
            UserSummary(username: "admin", isAdmin: true), UserSummary(username: "viewer \"q\"", isAdmin: false),
        ])
        let server = try TestServer(userStore: store)
        let response = await server.send("/management/users")
        #expect(response.status == 200)
        let body = try jsonObject(response)
        #expect(body["count"] as? Int == 2)
        let list = try jsonList(response)
        #expect(list.first?["userId"] as? String == "admin")
        #expect(list.first?["isAdmin"] as? Bool == true)
        #expect(list.last?["userId"] as? String == "viewer \"q\"")
        #expect(list.last?["isAdmin"] as? Bool == false)
    }

    @Test func userByName() async throws {
        let server = try TestServer()
        let found = await server.send("/management/users/admin")
        #expect(found.status == 200)
        #expect(try jsonObject(found)["userId"] as? String == "admin")
        let missing = await server.send("/management/users/nobody")
        #expect(missing.status == 404)
    }

    @Test func failingUserStoreGets503() async throws {
        let server = try TestServer(userStore: CountingUserStore(fails: true))
        let response = await server.send("/management/users")
        #expect(response.status == 503)
        #expect(server.logs.entries(withMessage: "User store failed to list users").first?.level == .error)
    }

    @Test func loadsFromFolder() throws {
        let folder = try Self.copyOfBundledData()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tasks = "[{\"name\": \"OnlyTask\"}]"
        try Data(tasks.utf8).write(to: folder.appendingPathComponent("tasks.json"))
        let data = try SampleData.load(fromFolder: folder.path)
        #expect(data.productVersion == "4.3.0")
    }

    @Test func folderDataIsServed() async throws {
        let folder = try Self.copyOfBundledData()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("[{\"name\": \"OnlyTask\"}]".utf8).write(to: folder.appendingPathComponent("tasks.json"))
        let api = try ServedAPI(name: "ManagementApi", kind: .management, protocols: [.https])
        let application = try ManagementApplication(
            apis: [api], userStore: CountingUserStore(), sampleData: try SampleData.load(fromFolder: folder.path),
            metrics: Metrics(), logger: .disabled())
        let response = await application.handle(
            ApplicationRequest(method: "GET", target: "/management/tasks", transport: .https))
        #expect(response.bodyText == "{\"count\":1,\"list\":[{\"name\":\"OnlyTask\"}]}")
    }

    @Test func missingFileIsNamed() throws {
        let folder = try Self.copyOfBundledData()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("endpoints.json"))
        let error = try #require(throws: SecurityError.self) { try SampleData.load(fromFolder: folder.path) }
        #expect(error.code == .fileNotReadable)
        #expect(error.value?.hasSuffix("endpoints.json") == true)
    }

    @Test(arguments: ["{\"name\": \"x\"}", "[{\"type\": \"http\"}]", "[{\"name\": \"a\"}, {\"name\": \"a\"}]", "[oops"])
    func invalidFileIsRejected(content: String) throws {
        let folder = try Self.copyOfBundledData()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(content.utf8).write(to: folder.appendingPathComponent("endpoints.json"))
        let error = try #require(throws: SecurityError.self) { try SampleData.load(fromFolder: folder.path) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.value?.contains("endpoints.json") == true)
    }

    /// Copies the bundled sample files into a temporary folder that a test may change.
    static func copyOfBundledData() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sample-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let names = [
            "server.json", "apis.json", "proxy-services.json", "endpoints.json", "inbound-endpoints.json",
            "sequences.json", "tasks.json", "carbon-apps.json",
        ]
        let source = try #require(Self.bundledFolder())
        for name in names {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// Finds the sample data folder in the source tree from this file's path.
    static func bundledFolder() -> URL? {
        let testFile = URL(fileURLWithPath: #filePath)
        let root = testFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Sources/ManagementServer/Resources/sample-data")
        return FileManager.default.fileExists(atPath: folder.path) ? folder : nil
    }
}
