import Foundation
import Testing

@Suite("End to end: Basic mode and CORS", .serialized)
struct EndToEndBasicTests {
    static let configuration = """
        <?xml version="1.0" encoding="UTF-8"?>
        <internalApis>
            <apis>
                <api name="ManagementApi" protocol="https"
                     class="org.wso2.micro.integrator.management.apis.ManagementInternalApi">
                    <handlers>
                        <handler class="org.wso2.micro.integrator.management.apis.security.handler.BasicSecurityHandler"
                                 name="BasicSecurityHandler"/>
                    </handlers>
                    <cors>
                        <enabled>true</enabled>
                        <allowedOrigins>https://console.example</allowedOrigins>
                        <allowedHeaders>Authorization, Content-Type</allowedHeaders>
                    </cors>
                </api>
            </apis>
            <userStore>
                <users>
                    <user><username>admin</username><password>admin</password><isAdmin>true</isAdmin></user>
                </users>
            </userStore>
        </internalApis>
        """

    @Test func basicCredentialsOnEveryCall() throws {
        let server = try EndToEndServer(configuration: Self.configuration)
        let admin = ["Authorization": "Basic YWRtaW46YWRtaW4="]

        let apis = try CurlClient.request("\(server.managementURL)/apis", headers: admin)
        #expect(apis.status == 200)

        let missing = try CurlClient.request("\(server.managementURL)/apis")
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate")?.hasPrefix("Basic realm=") == true)
        #expect(missing.header("WWW-Authenticate")?.hasSuffix("charset=\"UTF-8\"") == true)

        let login = try CurlClient.request("\(server.managementURL)/login", headers: admin)
        #expect((400..<500).contains(login.status))
        #expect(!login.body.contains("AccessToken"))

        let bearer = try CurlClient.request("\(server.managementURL)/apis", headers: ["Authorization": "Bearer abc"])
        #expect(bearer.status == 401)
        #expect(server.stop() == 0)
    }

    @Test func corsPreflightAndHeadersOn401() throws {
        let server = try EndToEndServer(configuration: Self.configuration)

        let preflight = try CurlClient.request(
            "\(server.managementURL)/apis", method: "OPTIONS",
            headers: ["Origin": "https://console.example", "Access-Control-Request-Method": "GET"])
        #expect((200..<300).contains(preflight.status))
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://console.example")

        let unauthorised = try CurlClient.request(
            "\(server.managementURL)/apis", headers: ["Origin": "https://console.example"])
        #expect(unauthorised.status == 401)
        #expect(unauthorised.header("Access-Control-Allow-Origin") == "https://console.example")

        let foreign = try CurlClient.request(
            "\(server.managementURL)/apis", headers: ["Origin": "https://elsewhere.example"])
        #expect(foreign.header("Access-Control-Allow-Origin") == nil)
        #expect(server.stop() == 0)
    }

    @Test func sharedPortRejectedBeforeListening() throws {
        // The check runs before any bind, so the port need not be free.
        let error = #expect(throws: EndToEndError.self) {
            _ = try EndToEndServer(arguments: ["--https-port", "47913", "--http-port", "47913"])
        }
        guard case .exited(let status, let log) = error else {
            Issue.record("expected the server to exit, got \(String(describing: error))")
            return
        }
        #expect(status == 1)
        #expect(log.contains("cannot share a port"))
        #expect(!log.contains("listening"))
    }

    @Test func unknownHandlerClassExitsBeforeListening() throws {
        let broken = Self.configuration.replacingOccurrences(
            of: "handler.BasicSecurityHandler", with: "handler.NoSuchHandler")
        let error = #expect(throws: EndToEndError.self) {
            _ = try EndToEndServer(configuration: broken)
        }
        guard case .exited(let status, let log) = error else {
            Issue.record("expected the server to exit, got \(String(describing: error))")
            return
        }
        #expect(status != 0)
        #expect(log.contains("NoSuchHandler"))
        #expect(!log.contains("listening"))
    }
}
