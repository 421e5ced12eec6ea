import EventHTTP
import Foundation
import InternalAPISecurity
import Testing

extension EventHTTPTests {
    @Suite struct HTTPLimitsTests {
        /// Builds a GET whose request line and headers are exactly `size` bytes, blank line included.
        static func request(headBytes size: Int) -> String {
            let prefix = "GET /hello HTTP/1.1\r\nHost: a\r\nX-Fill: "
            let suffix = "\r\n\r\n"
            return prefix + String(repeating: "x", count: size - prefix.utf8.count - suffix.utf8.count) + suffix
        }

        @Test func headAtLimitIsAccepted() async throws {
            var limits = HTTPLimits()
            limits.maxHeaderBytes = 1024
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port)

            try client.send(Self.request(headBytes: 1024))
            let response = try client.readResponse()

            #expect(response.status == 200)
            await fixture.shutdown()
        }

        @Test func oversizeHeadGets431() async throws {
            var limits = HTTPLimits()
            limits.maxHeaderBytes = 1024
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port)

            try client.send(Self.request(headBytes: 1025))
            let response = try client.readResponse()

            #expect(response.statusLine == "HTTP/1.1 431 Request Header Fields Too Large")
            #expect(response.header("Content-Type") == "application/json")
            let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
            #expect(json?["Error"]?.isEmpty == false)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
            #expect(fixture.responder.recorder.count == 0)
            await fixture.shutdown()
        }

        @Test func defaultLimitRejectsLargeHead() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send(Self.request(headBytes: 40 * 1024))
            let response = try client.readResponse()

            #expect(response.status == 431)
            await fixture.shutdown()
        }

        @Test func declaredOversizeBodyGets413() async throws {
            var limits = HTTPLimits()
            limits.maxBodyBytes = 100
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port)

            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n")
            let response = try client.readResponse()

            #expect(response.status == 413)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.bodyText.hasPrefix("{\"Error\":"))
            #expect(fixture.responder.recorder.count == 0)
            await fixture.shutdown()
        }

        @Test func chunkedOversizeBodyGets413() async throws {
            var limits = HTTPLimits()
            limits.maxBodyBytes = 100
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port)

            let chunk = String(repeating: "y", count: 60)
            try client.send(
                "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3c\r\n\(chunk)\r\n3c\r\n\(chunk)\r\n"
            )
            let response = try client.readResponse()

            #expect(response.status == 413)
            #expect(fixture.responder.recorder.count == 0)
            await fixture.shutdown()
        }

        @Test func bodyAtLimitIsAccepted() async throws {
            var limits = HTTPLimits()
            limits.maxBodyBytes = 100
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port)

            let body = String(repeating: "z", count: 100)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n\(body)")
            let response = try client.readResponse()

            #expect(response.status == 200)
            #expect(response.bodyText == body)
            await fixture.shutdown()
        }

        @Test func tricklingClientIsCutOff() async throws {
            var limits = HTTPLimits()
            limits.headerTimeout = .seconds(1)
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port, timeout: .seconds(1))
            let clock = ContinuousClock()
            let start = clock.now

            // One header byte every 100 ms for at most 4 s: each read would restart an
            // inactivity timer, so only a deadline for the whole head can stop this client.
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nX-Slow: ")
            while clock.now - start < .seconds(4), !client.hasPendingInput {
                try client.send("a")
                try await Task.sleep(for: .milliseconds(100))
            }
            let elapsed = clock.now - start
            let response = try client.readResponse()

            // A deadline restarted on every read would let this client trickle for the whole 4 s.
            #expect(elapsed < .seconds(3))
            #expect(response.status == 408)
            #expect(response.header("Content-Type") == "application/json")
            #expect(client.waitForClose())
            #expect(fixture.responder.recorder.count == 0)
            await fixture.shutdown()
        }

        @Test func bodyDeadlineAnswers408() async throws {
            var limits = HTTPLimits()
            limits.bodyTimeout = .milliseconds(300)
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port)

            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            let response = try client.readResponse()

            #expect(response.status == 408)
            #expect(response.header("Content-Type") == "application/json")
            await fixture.shutdown()
        }

        @Test func idleConnectionIsClosed() async throws {
            var limits = HTTPLimits()
            limits.idleTimeout = .milliseconds(200)
            let fixture = try TestServer(limits: limits)
            let client = try BlockingClient(port: fixture.port)

            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()

            #expect(response.status == 200)
            #expect(client.waitForClose())
            #expect(await fixture.waitUntil { fixture.server.connectionCount == 0 })
            await fixture.shutdown()
        }

        @Test func connectionLimitIsEnforced() async throws {
            var limits = HTTPLimits()
            limits.maxConnections = 2
            let fixture = try TestServer(limits: limits)
            var first: BlockingClient? = try BlockingClient(port: fixture.port)
            let second = try BlockingClient(port: fixture.port)
            for client in [first!, second] {
                try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }

            let third = try BlockingClient(port: fixture.port)
            try? third.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(third.waitForClose())
            #expect(fixture.server.connectionCount == 2)

            first = nil
            #expect(await fixture.waitUntil { fixture.server.connectionCount == 1 })
            let fourth = try BlockingClient(port: fixture.port)
            try fourth.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try fourth.readResponse().status == 200)
            #expect(fixture.logs.entries(withMessage: "connection limit reached; closing new connections").count == 1)
            await fixture.shutdown()
        }
    }
}
