import Foundation
import Testing

/// The transport limits set on the `management-server` command line, against the real binary.
///
/// Raw-socket cases use the plain HTTP listener (probes), which shares the limits with the
/// HTTPS one, so that a test can send exactly the bytes it wants.
@Suite("End to end: server limits", .serialized)
struct ServerLimitsEndToEndTests {
    static let adminBasic = LifecycleConfiguration.basic("admin", "admin")

    @Test func oversizeBodyGets413() throws {
        let server = try EndToEndServer(arguments: ["--max-body-bytes", "1024"])
        let bodyFile = server.directory.appendingPathComponent("body.json")
        try String(repeating: "x", count: 4096).write(to: bodyFile, atomically: true, encoding: .utf8)

        let oversize = try CurlClient.request(
            "\(server.managementURL)/login", method: "POST", headers: ["Authorization": Self.adminBasic],
            extraArguments: ["--data-binary", "@\(bodyFile.path)"])
        #expect(oversize.status == 413)
        #expect(oversize.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(oversize.body.contains("\"Error\""))

        let small = try CurlClient.request(
            "\(server.managementURL)/login", method: "POST", headers: ["Authorization": Self.adminBasic],
            body: String(repeating: "x", count: 512))
        #expect(small.status != 413)
        #expect(small.status < 500)
        #expect(server.stop() == 0)
    }

    @Test func headerLimitOptionApplies() throws {
        let server = try EndToEndServer(arguments: ["--max-header-bytes", "1024"])

        let oversize = try CurlClient.request(
            "\(server.managementURL)/apis", headers: ["X-Padding": String(repeating: "a", count: 2048)])
        #expect(oversize.status == 431)
        #expect(oversize.header("Content-Type")?.hasPrefix("application/json") == true)

        let fitting = try CurlClient.request(
            "\(server.managementURL)/apis", headers: ["X-Padding": String(repeating: "a", count: 256)])
        #expect(fitting.status == 401)
        #expect(server.stop() == 0)
    }

    @Test func tricklingClientCutOff() throws {
        let server = try EndToEndServer(arguments: ["--header-timeout", "1"])
        let httpPort = try #require(server.httpPort)
        let padding = String(repeating: "a", count: 40)
        let request = "GET /liveness HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(padding)\r\n\r\n"
        let bytes = Array(request)

        // At one byte every 200 ms the 96-byte head would take about 19 s, but its deadline is 1 s.
        let trickler = try LimitsSocket(port: httpPort)
        var sent = 0
        var reply = ""
        var servedMeanwhile: Int?
        while sent < bytes.count {
            guard trickler.send(String(bytes[sent])) else { break }
            sent += 1
            if sent == 3 {
                servedMeanwhile = try CurlClient.request("http://127.0.0.1:\(httpPort)/liveness").status
            }
            if case .bytes(let received) = trickler.read(timeout: 0.2) {
                reply += String(decoding: received, as: UTF8.self)
                break
            }
        }
        let (rest, closed) = trickler.read(until: "never arrives", timeout: 5)
        reply += rest

        #expect(sent < bytes.count / 2)
        #expect(LimitsSocket.status(of: reply) == 408)
        #expect(closed)
        #expect(servedMeanwhile == 200)
        #expect(server.stop() == 0)
    }

    @Test func silentTLSClientCutOff() throws {
        let server = try EndToEndServer(arguments: ["--header-timeout", "1"])
        let httpsPort = try #require(server.httpsPort)

        // A client that opens a connection and never starts the TLS handshake.
        let silent = try LimitsSocket(port: httpsPort)
        let root = try CurlClient.request(server.managementURL)
        #expect(root.status == 200)
        #expect(silent.read(timeout: 5) == .closed)
        #expect(server.stop() == 0)
    }

    @Test func connectionLimitClosesExtra() throws {
        let server = try EndToEndServer(arguments: ["--max-connections", "4"])
        let httpPort = try #require(server.httpPort)
        let request = "GET /liveness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

        let heldConnections = try (0..<4).map { _ in try LimitsSocket(port: httpPort) }
        let fifth = try LimitsSocket(port: httpPort)
        #expect(fifth.read(timeout: 5) == .closed)
        #expect(LifecyclePolling.wait { server.log.contains("connection limit reached") })

        // The held connections are still served.
        heldConnections[0].send(request)
        #expect(LimitsSocket.status(of: heldConnections[0].readResponse()) == 200)

        heldConnections[1].close()
        var servedAfterClose = false
        for _ in 0..<50 where !servedAfterClose {
            let next = try LimitsSocket(port: httpPort)
            next.send(request)
            servedAfterClose = LimitsSocket.status(of: next.readResponse(timeout: 2)) == 200
            if !servedAfterClose { usleep(100_000) }
        }
        #expect(servedAfterClose)
        withExtendedLifetime(heldConnections) {}
        #expect(server.stop() == 0)
    }
}
