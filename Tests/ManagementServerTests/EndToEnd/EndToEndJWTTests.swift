import Foundation
import Testing

/// The operator's curl session from the README, against the real server over real TLS.
@Suite("End to end: JWT mode", .serialized)
struct EndToEndJWTTests {
    static let adminBasic = "Basic YWRtaW46YWRtaW4="

    static func accessToken(from response: CurlResponse) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return try #require(json?["AccessToken"] as? String)
    }

    @Test func loginUseLogoutSession() throws {
        let server = try EndToEndServer()

        let login = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": Self.adminBasic])
        #expect(login.status == 200)
        #expect(login.header("Cache-Control") == "no-store")
        let token = try Self.accessToken(from: login)
        #expect(token.split(separator: ".").count == 3)

        let bearer = ["Authorization": "Bearer \(token)"]
        let inbound = try CurlClient.request("\(server.managementURL)/inbound-endpoints", headers: bearer)
        #expect(inbound.status == 200)
        #expect(inbound.body.contains("\"count\""))

        let logout = try CurlClient.request("\(server.managementURL)/logout", headers: bearer)
        #expect(logout.status == 200)

        let afterLogout = try CurlClient.request("\(server.managementURL)/inbound-endpoints", headers: bearer)
        #expect(afterLogout.status == 401)
        #expect(afterLogout.header("WWW-Authenticate")?.hasPrefix("Bearer realm=") == true)
        #expect(afterLogout.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)

        #expect(server.stop() == 0)
        #expect(!server.log.contains(token))
        #expect(!server.log.contains("YWRtaW46YWRtaW4="))
    }

    @Test func missingAndWrongCredentials() throws {
        let server = try EndToEndServer()

        let noCredentials = try CurlClient.request("\(server.managementURL)/apis")
        #expect(noCredentials.status == 401)
        #expect(noCredentials.header("WWW-Authenticate")?.hasPrefix("Bearer realm=") == true)

        let wrongPassword = try CurlClient.request(
            "\(server.managementURL)/login", headers: ["Authorization": "Basic YWRtaW46d3Jvbmc="])
        let unknownUser = try CurlClient.request(
            "\(server.managementURL)/login", headers: ["Authorization": "Basic bm9ib2R5OmFkbWlu"])
        #expect(wrongPassword.status == 401)
        #expect(unknownUser.status == 401)
        #expect(wrongPassword.body == unknownUser.body)
        #expect(wrongPassword.header("WWW-Authenticate")?.hasPrefix("Basic realm=") == true)
        #expect(wrongPassword.header("WWW-Authenticate") == unknownUser.header("WWW-Authenticate"))

        let root = try CurlClient.request(server.managementURL)
        #expect(root.status == 200)

        let unknown = try CurlClient.request("\(server.managementURL)/no-such-resource")
        #expect(unknown.status == 401)
        #expect(server.stop() == 0)
    }

    @Test func unknownResourceAfterLogin() throws {
        let server = try EndToEndServer()
        let login = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": Self.adminBasic])
        let token = try Self.accessToken(from: login)

        let unknown = try CurlClient.request(
            "\(server.managementURL)/no-such-resource", headers: ["Authorization": "Bearer \(token)"])
        #expect(unknown.status == 404)
        #expect(unknown.header("Content-Type")?.hasPrefix("application/json") == true)

        let wrongMethod = try CurlClient.request(
            "\(server.managementURL)/apis", method: "DELETE", headers: ["Authorization": "Bearer \(token)"])
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") != nil)

        let applications = try CurlClient.request(
            "\(server.managementURL)/applications", headers: ["Authorization": "Bearer \(token)"])
        let carbonApps = try CurlClient.request(
            "\(server.managementURL)/carbon-apps", headers: ["Authorization": "Bearer \(token)"])
        #expect(applications.status == 200)
        #expect(applications.body == carbonApps.body)
        #expect(server.stop() == 0)
    }

    @Test func headIssuesNoTokenButMirrorsGet() throws {
        let server = try EndToEndServer()

        let headLogin = try CurlClient.request(
            "\(server.managementURL)/login", method: "HEAD", headers: ["Authorization": Self.adminBasic],
            extraArguments: ["-I"])
        #expect(headLogin.status == 405)
        #expect(server.log.contains("login succeeded") == false)

        let login = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": Self.adminBasic])
        let bearer = ["Authorization": "Bearer \(try Self.accessToken(from: login))"]
        let get = try CurlClient.request("\(server.managementURL)/apis", headers: bearer)
        let head = try CurlClient.request(
            "\(server.managementURL)/apis", method: "HEAD", headers: bearer, extraArguments: ["-I"])
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == String(get.body.utf8.count))

        let headLogout = try CurlClient.request(
            "\(server.managementURL)/logout", method: "HEAD", headers: bearer, extraArguments: ["-I"])
        #expect(headLogout.status == 405)
        let stillValid = try CurlClient.request("\(server.managementURL)/apis", headers: bearer)
        #expect(stillValid.status == 200)
        #expect(server.stop() == 0)
    }

    @Test func metricsAndProbesWithoutCredentials() throws {
        let server = try EndToEndServer()
        _ = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": Self.adminBasic])
        _ = try CurlClient.request("\(server.managementURL)/apis")

        let metrics = try CurlClient.request(server.metricsURL)
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(metrics.body.contains("# TYPE"))
        #expect(metrics.body.contains("login"))

        let ready = try CurlClient.request("http://127.0.0.1:\(server.httpPort ?? 0)/healthz")
        #expect(ready.status == 200)
        let live = try CurlClient.request("http://127.0.0.1:\(server.httpPort ?? 0)/liveness")
        #expect(live.status == 200)

        let managementOnHTTP = try CurlClient.request("http://127.0.0.1:\(server.httpPort ?? 0)/management/apis")
        #expect(managementOnHTTP.status == 404)
        #expect(server.stop() == 0)
    }

    @Test func oversizeHeaderGets431() throws {
        let server = try EndToEndServer()
        let response = try CurlClient.request(
            "\(server.managementURL)/apis", headers: ["X-Padding": String(repeating: "a", count: 64 * 1024)])
        #expect(response.status == 431)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(server.stop() == 0)
    }

    @Test func tlsOlderThan12Refused() throws {
        let server = try EndToEndServer()
        #expect(throws: EndToEndError.self) {
            try CurlClient.request(
                "\(server.managementURL)/", extraArguments: ["--tls-max", "1.1", "--tlsv1.0"])
        }
        #expect(server.stop() == 0)
    }
}
