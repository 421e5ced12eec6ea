import Foundation
import InternalAPISecurity
import Testing

@testable import ManagementServer

@Suite struct ServerAssemblyTests {
    /// Basic credentials, and admin-only `/applications` written with Micro Integrator's alias.
    static let document = """
        <internalApis>
            <apis>
                <api name="ManagementApi" protocol="https" class="ManagementInternalApi">
                    <handlers>
                        <handler class="BasicSecurityHandler" name="basic"/>
                        <handler class="AuthorizationHandler" name="admins">
                            <resources><resource>/applications</resource></resources>
                        </handler>
                    </handlers>
                </api>
            </apis>
            <userStore>
                <users>
                    <user><username>admin</username><password>admin-pass</password><isAdmin>true</isAdmin></user>
                    <user><username>bob</username><password>bob-pass</password></user>
                </users>
            </userStore>
        </internalApis>
        """

    /// Two APIs whose JWT handlers share one name.
    static let twoTokenAPIs = """
        <internalApis>
            <apis>
                <api name="ManagementApi" protocol="https" class="ManagementInternalApi">
                    <handlers><handler class="JWTTokenSecurityHandler" name="J"/></handlers>
                </api>
                <api name="MetricsApi" protocol="http" class="MetricAPI">
                    <handlers><handler class="JWTTokenSecurityHandler" name="J"/></handlers>
                </api>
            </apis>
            <userStore>
                <users><user><username>admin</username><password>admin</password></user></users>
            </userStore>
        </internalApis>
        """

    private func makeAssembly(
        _ document: String = ServerAssemblyTests.document, previous: ServerAssembly? = nil
    ) throws -> ServerAssembly {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assembly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("internal-apis.xml").path
        try document.write(toFile: path, atomically: true, encoding: .utf8)
        var options = ServerOptions()
        options.configPath = path
        options.home = folder.path
        return try ServerAssembly.build(
            options: options, extensions: .standard(), metrics: Metrics(), logger: LogCapture().logger(),
            previous: previous)
    }

    @Test func reloadKeepsStoreOfSameAPI() throws {
        let first = try makeAssembly(Self.twoTokenAPIs)
        let second = try makeAssembly(Self.twoTokenAPIs, previous: first)
        defer { for handler in first.tokenHandlers + second.tokenHandlers { handler.shutDown() } }

        let firstStores = first.tokenHandlers.map { ObjectIdentifier($0.tokenStore as AnyObject) }
        let secondStores = second.tokenHandlers.map { ObjectIdentifier($0.tokenStore as AnyObject) }

        #expect(first.tokenHandlerKeys == ["ManagementApi/J", "MetricsApi/J"])
        #expect(second.tokenHandlerKeys == first.tokenHandlerKeys)
        #expect(secondStores == firstStores)
        #expect(firstStores[0] != firstStores[1])
    }

    private func send(_ target: String, user: String, password: String, to assembly: ServerAssembly) async
        -> SecurityResponse
    {
        let credentials = Data("\(user):\(password)".utf8).base64EncodedString()
        return await assembly.application.handle(
            ApplicationRequest(
                method: "GET", target: target, headers: ["Authorization": "Basic \(credentials)"],
                transport: .https))
    }

    @Test func aliasPrefixProtectsTarget() async throws {
        let assembly = try makeAssembly()

        let bobCanonical = await send("/management/carbon-apps", user: "bob", password: "bob-pass", to: assembly)
        let bobAlias = await send("/management/applications", user: "bob", password: "bob-pass", to: assembly)
        let adminCanonical = await send(
            "/management/carbon-apps", user: "admin", password: "admin-pass", to: assembly)
        let bobElsewhere = await send("/management/apis", user: "bob", password: "bob-pass", to: assembly)

        #expect(bobCanonical.status == 403)
        #expect(bobAlias.status == 403)
        #expect(adminCanonical.status == 200)
        #expect(bobElsewhere.status == 200)
    }
}
