import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Signals, reload, shutdown and start-up failures of the real `management-server` binary.
///
/// A login as the slow user (a bcrypt hash at cost 15) is the in-flight request: the server
/// has no deliberately slow resource, and checking that hash keeps a request busy for about
/// a second.
@Suite("End to end: server lifecycle", .serialized)
struct ServerLifecycleEndToEndTests {
    static let adminBasic = LifecycleConfiguration.basic("admin", "admin")

    static func accessToken(from response: CurlResponse) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return try #require(json?["AccessToken"] as? String)
    }

    /// Waits for the server process to exit and returns its status, or nil if it is still
    /// running after `timeout` seconds.
    static func exitStatus(of server: EndToEndServer, timeout: TimeInterval = 15) -> Int32? {
        guard LifecyclePolling.wait(timeout: timeout, until: { !server.process.isRunning }) else { return nil }
        server.process.waitUntilExit()
        return server.process.terminationStatus
    }

    static func connectionRefused(port: Int) -> Bool {
        (try? LimitsSocket(port: port)) == nil
    }

    @Test func sigtermDrainsInFlightLogin() throws {
        let server = try EndToEndServer(configuration: try LifecycleConfiguration.withSlowUser())
        let httpsPort = try #require(server.httpsPort)
        let httpPort = try #require(server.httpPort)

        let idle = try LimitsSocket(port: httpPort)
        idle.send("GET /liveness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(LimitsSocket.status(of: idle.readResponse()) == 200)

        let login = try LifecycleRequest(
            "\(server.managementURL)/login", headers: ["Authorization": LifecycleConfiguration.slowBasic])
        usleep(300_000)
        kill(server.process.processIdentifier, SIGTERM)

        // The server stops accepting at once, while the login is still being checked.
        #expect(LifecyclePolling.wait(timeout: 5) { Self.connectionRefused(port: httpsPort) })
        #expect(login.isRunning)
        #expect(idle.read(timeout: 5) == .closed)

        let outcome = login.finish()
        #expect(outcome.curlStatus == 0)
        #expect(outcome.httpStatus == 200)
        #expect(outcome.body.contains("AccessToken"))
        #expect(Self.exitStatus(of: server) == 0)
        #expect(server.log.contains("signal=SIGTERM"))
        #expect(server.log.contains("connections_closed_at_deadline=0"))
        #expect(server.log.contains("server stopped"))
    }

    @Test func shutdownTimeoutCutsSlowRequest() throws {
        let server = try EndToEndServer(
            configuration: try LifecycleConfiguration.withSlowUser(), arguments: ["--shutdown-timeout", "0.1"])

        let login = try LifecycleRequest(
            "\(server.managementURL)/login", headers: ["Authorization": LifecycleConfiguration.slowBasic])
        usleep(300_000)
        let loginWasRunning = login.isRunning
        kill(server.process.processIdentifier, SIGTERM)
        let status = Self.exitStatus(of: server)

        // The deadline passed while the login was still being checked: the server closed the
        // connection without a response and exited.
        #expect(loginWasRunning)
        #expect(status == 0)
        let outcome = login.finish()
        #expect(outcome.curlStatus != 0)
        #expect(outcome.httpStatus == nil)
        #expect(server.log.contains("deadline_seconds=0.1"))
        #expect(server.log.contains("connections_closed_at_deadline=1"))
    }

    @Test func sigintExitsZero() throws {
        let server = try EndToEndServer()
        let root = try CurlClient.request(server.managementURL)
        #expect(root.status == 200)

        #expect(server.stop(signal: SIGINT) == 0)
        #expect(server.log.contains("signal=SIGINT"))
        #expect(server.log.contains("server stopped"))
    }

    @Test func sighupReloadKeepsTokens() throws {
        let original = LifecycleConfiguration.jwt(users: [("admin", "admin")])
        let server = try EndToEndServer(configuration: original)
        let configFile = server.directory.appendingPathComponent("internal-apis.xml")
        let login = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": Self.adminBasic])
        let token = try Self.accessToken(from: login)
        let bearer = ["Authorization": "Bearer \(token)"]
        let operatorBasic = LifecycleConfiguration.basic("operator", "operator-password")

        let before = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": operatorBasic])
        #expect(before.status == 401)

        let extended = LifecycleConfiguration.jwt(users: [("admin", "admin"), ("operator", "operator-password")])
        try extended.write(to: configFile, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        #expect(LifecyclePolling.wait { server.log.contains("configuration reloaded") })

        let oldToken = try CurlClient.request("\(server.managementURL)/apis", headers: bearer)
        #expect(oldToken.status == 200)
        let newUser = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": operatorBasic])
        #expect(newUser.status == 200)

        try "<internalApis><apis>".write(to: configFile, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        #expect(LifecyclePolling.wait { server.log.contains("configuration reload failed") })

        let afterFailure = try CurlClient.request("\(server.managementURL)/apis", headers: bearer)
        #expect(afterFailure.status == 200)
        let stillServed = try CurlClient.request(
            "\(server.managementURL)/login", headers: ["Authorization": operatorBasic])
        #expect(stillServed.status == 200)
        let failureLine = server.log.split(separator: "\n").first { $0.contains("configuration reload failed") }
        #expect(failureLine?.contains("internal-apis.xml") == true)
        #expect(server.process.isRunning)
        #expect(server.stop() == 0)
    }

    @Test func sighupDropsRemovedUsersTokens() throws {
        let server = try EndToEndServer(
            configuration: LifecycleConfiguration.jwt(users: [("admin", "admin"), ("operator", "operator-password")]))
        let configFile = server.directory.appendingPathComponent("internal-apis.xml")
        let adminLogin = try CurlClient.request(
            "\(server.managementURL)/login", headers: ["Authorization": Self.adminBasic])
        let operatorLogin = try CurlClient.request(
            "\(server.managementURL)/login",
            headers: ["Authorization": LifecycleConfiguration.basic("operator", "operator-password")])
        let adminBearer = ["Authorization": "Bearer \(try Self.accessToken(from: adminLogin))"]
        let operatorBearer = ["Authorization": "Bearer \(try Self.accessToken(from: operatorLogin))"]

        try LifecycleConfiguration.jwt(users: [("admin", "admin")]).write(
            to: configFile, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        #expect(LifecyclePolling.wait { server.log.contains("configuration reloaded") })

        let adminAfter = try CurlClient.request("\(server.managementURL)/apis", headers: adminBearer)
        let operatorAfter = try CurlClient.request("\(server.managementURL)/apis", headers: operatorBearer)
        #expect(adminAfter.status == 200)
        #expect(operatorAfter.status == 401)
        #expect(server.log.contains("tokens of removed or changed users dropped"))
        #expect(server.stop() == 0)
    }

    @Test func clientGoneBeforeReply() throws {
        let server = try EndToEndServer(
            configuration: try LifecycleConfiguration.withSlowUser(protocols: "http https"),
            arguments: ["--log-level", "debug"])
        let httpPort = try #require(server.httpPort)
        let credentials = Data("slow:\(LifecycleConfiguration.slowPassword)".utf8).base64EncodedString()

        let client = try LimitsSocket(port: httpPort)
        client.send("GET /management/login HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \(credentials)\r\n\r\n")
        usleep(200_000)
        client.close(reset: true)

        let aborted = try LifecycleRequest(
            "\(server.managementURL)/login", headers: ["Authorization": LifecycleConfiguration.slowBasic], maxTime: 0.3)
        #expect(aborted.finish().httpStatus == nil)

        // Both logins finish after their clients left; their replies are dropped.
        #expect(LifecyclePolling.wait { server.log.contains("dropping a response because its connection has closed") })
        let live = try CurlClient.request("http://127.0.0.1:\(httpPort)/liveness")
        #expect(live.status == 200)
        let login = try CurlClient.request("\(server.managementURL)/login", headers: ["Authorization": Self.adminBasic])
        #expect(login.status == 200)
        #expect(server.process.isRunning)
        #expect(server.stop() == 0)
    }

    @Test func configErrorExitsBeforeListening() throws {
        let handler = "name=\"JWTTokenSecurityHandler\""
        let tokenStore = "<TokenStoreConfig><MaxSize>lots</MaxSize></TokenStoreConfig>"
        let broken = LifecycleConfiguration.jwt(users: [("admin", "admin")])
            .replacingOccurrences(of: "\(handler)/>", with: "\(handler)>\(tokenStore)</handler>")
        let error = #expect(throws: EndToEndError.self) {
            _ = try EndToEndServer(configuration: broken)
        }
        guard case .exited(let status, let log) = error else {
            Issue.record("expected the server to exit, got \(String(describing: error))")
            return
        }
        let lines = log.split(separator: "\n")

        #expect(status == 1)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("MaxSize") == true)
        #expect(lines.first?.contains("lots") == true)
        #expect(!log.contains("listening"))
    }

    @Test func invalidLimitExitsBeforeListening() throws {
        let error = #expect(throws: EndToEndError.self) {
            _ = try EndToEndServer(arguments: ["--max-connections", "0"])
        }
        guard case .exited(let status, let log) = error else {
            Issue.record("expected the server to exit, got \(String(describing: error))")
            return
        }
        let lines = log.split(separator: "\n")

        #expect(status == 2)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("--max-connections 0") == true)
        #expect(!log.contains("listening"))
    }
}
