import EventHTTP
import Foundation
import InternalAPISecurity
import Testing

extension EventHTTPTests {
    @Suite struct ServerLifecycleTests {
        @Test func lateReplyIsDropped() async throws {
            let fixture = try TestServer()
            do {
                let client = try BlockingClient(port: fixture.port)
                try client.send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n")
            }
            // The client has closed. The responder sends its response 300 ms after the request.
            #expect(await fixture.waitUntil { fixture.responder.lateSent == 1 })
            #expect(
                await fixture.waitUntil {
                    !fixture.logs.entries(withMessage: "dropping a response because its connection has closed").isEmpty
                })

            let client = try BlockingClient(port: fixture.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            await fixture.shutdown()
        }

        @Test func secondSendIsIgnored() async throws {
            let responder = HTTPResponderFunction { _, writer in
                writer.send(HTTPResponse(status: 200, body: Array("first".utf8)))
                writer.send(HTTPResponse(status: 500, body: Array("second".utf8)))
            }
            let logs = LogCapture()
            let group = EventLoopGroup(numberOfThreads: 1)
            let server = HTTPServer(
                configuration: HTTPServerConfiguration(), group: group, responder: responder,
                logger: logs.logger(level: .debug))
            let port = try server.start()
            let client = try BlockingClient(port: port)

            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let first = try client.readResponse()
            let second = try client.readResponse()

            #expect(first.bodyText == "first")
            #expect(second.bodyText == "first")
            #expect(logs.entries(withMessage: "response already sent for this request; ignoring another").count == 2)
            await server.stop(deadline: .seconds(1))
            group.shutdownGracefully()
        }

        @Test func taskRunsOnLoopThread() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send("GET /task HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()

            #expect(response.bodyText == "before=true after=true")
            await fixture.shutdown()
        }

        @Test func executeRunsOnLoopThread() async throws {
            let loop = EventLoop(name: "test-loop")
            #expect(loop.inEventLoop == false)

            let ranOnLoop = await withCheckedContinuation { continuation in
                loop.execute { continuation.resume(returning: loop.inEventLoop) }
            }

            #expect(ranOnLoop)
            loop.shutdown()
        }

        @Test func gracefulStopFinishesSlowRequest() async throws {
            let fixture = try TestServer()
            let busy = try BlockingClient(port: fixture.port)
            let idle = try BlockingClient(port: fixture.port)
            try idle.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try idle.readResponse().status == 200)
            try busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await fixture.waitUntil { fixture.responder.recorder.count == 2 })

            // The response comes 500 ms after the request; stop() marks the server as stopping
            // before it first suspends, so the response announces the close.
            async let reading = busy.readResponseOnThread()
            await fixture.server.stop(deadline: .seconds(5))
            let response = try await reading

            #expect(response.bodyText == "slow")
            #expect(response.header("Connection") == "close")
            #expect(idle.waitForClose())
            #expect(fixture.server.connectionCount == 0)
            #expect(throws: ClientError.self) { try BlockingClient(port: fixture.port) }
            fixture.group.shutdownGracefully()
        }

        @Test func stopDeadlineClosesStuckRequest() async throws {
            let responder = HTTPResponderFunction { _, _ in }
            let group = EventLoopGroup(numberOfThreads: 1)
            let server = HTTPServer(
                configuration: HTTPServerConfiguration(), group: group, responder: responder, logger: .disabled())
            let port = try server.start()
            let client = try BlockingClient(port: port)
            try client.send("GET /never HTTP/1.1\r\nHost: a\r\n\r\n")

            await server.stop(deadline: .milliseconds(200))

            #expect(server.connectionCount == 0)
            #expect(client.waitForClose())
            group.shutdownGracefully()
        }

        @Test func portInUseThrows() async throws {
            let fixture = try TestServer()
            let group = EventLoopGroup(numberOfThreads: 1)
            let second = HTTPServer(
                configuration: HTTPServerConfiguration(port: fixture.port), group: group,
                responder: TestResponder(), logger: .disabled())

            let error = #expect(throws: SecurityError.self) { try second.start() }

            #expect(error?.code == .listenFailed)
            #expect(error?.value == "127.0.0.1:\(fixture.port)")
            #expect(error?.fix?.contains("choose another port") == true)
            group.shutdownGracefully()
            await fixture.shutdown()
        }

        @Test func invalidLimitThrows() throws {
            var limits = HTTPLimits()
            limits.headerTimeout = .zero
            let group = EventLoopGroup(numberOfThreads: 1)
            defer { group.shutdownGracefully() }
            let server = HTTPServer(
                configuration: HTTPServerConfiguration(limits: limits), group: group,
                responder: TestResponder(), logger: .disabled())

            let error = #expect(throws: SecurityError.self) { try server.start() }

            #expect(error?.code == .invalidArgument)
            #expect(error?.reason.contains("headerTimeout") == true)
        }

        @Test func startLogsPort() async throws {
            let fixture = try TestServer()

            let started = fixture.logs.entries(withMessage: "HTTP server started")

            #expect(started.count == 1)
            #expect(started.first?.metadata["port"] == "\(fixture.port)")
            await fixture.shutdown()
        }
    }
}
