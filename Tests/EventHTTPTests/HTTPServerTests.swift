import EventHTTP
import InternalAPISecurity
import Testing

extension EventHTTPTests {
    @Suite struct HTTPServerTests {
        @Test func keepAliveServesSeveralRequests() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            for _ in 0..<3 {
                try client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == "hello")
                #expect(response.header("Connection") == "keep-alive")
                #expect(response.header("Date") != nil)
                #expect(response.header("Content-Type") == "text/plain")
            }
            #expect(fixture.server.connectionCount == 1)
            await fixture.shutdown()
        }

        @Test func postBodyReachesResponder() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send("POST /echo?x=1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world")
            let response = try client.readResponse()

            #expect(response.status == 200)
            #expect(response.bodyText == "hello world")
            let request = try #require(fixture.responder.recorder.all.first)
            #expect(request.method == "POST")
            #expect(request.path == "/echo")
            #expect(request.query == "x=1")
            #expect(request.target == "/echo?x=1")
            #expect(request.remoteAddress == "127.0.0.1")
            #expect(request.isTLS == false)
            #expect(request.headerValue("content-length") == "11")
            await fixture.shutdown()
        }

        @Test func chunkedBodyIsDecoded() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send(
                "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            )
            let response = try client.readResponse()

            #expect(response.status == 200)
            #expect(response.bodyText == "hello world")
            await fixture.shutdown()
        }

        @Test func pipelinedRequestsAnswerInOrder() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send(
                "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nsecondGET /hello HTTP/1.1\r\nHost: a\r\n\r\n"
            )
            let first = try client.readResponse()
            let second = try client.readResponse()
            let third = try client.readResponse()

            #expect(first.bodyText == "slow")
            #expect(second.bodyText == "second")
            #expect(third.bodyText == "hello")
            await fixture.shutdown()
        }

        @Test func http10ClosesByDefault() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send("GET /hello HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()

            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
            await fixture.shutdown()
        }

        @Test func http10KeepAliveIsHonoured() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try client.readResponse()
            try client.send("GET /hello HTTP/1.0\r\n\r\n")
            let second = try client.readResponse()

            #expect(first.header("Connection") == "keep-alive")
            #expect(second.status == 200)
            #expect(second.header("Connection") == "close")
            await fixture.shutdown()
        }

        @Test func http10ChunkedClosesConnection() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send(
                "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\nGET /hello HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()

            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
            #expect(fixture.responder.recorder.count == 1)
            await fixture.shutdown()
        }

        @Test func expectContinueGetsInterimResponse() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            let interim = try client.readResponse()
            try client.send("ping")
            let final = try client.readResponse()

            #expect(interim.status == 100)
            #expect(final.status == 200)
            #expect(final.bodyText == "ping")
            await fixture.shutdown()
        }

        @Test func unknownExpectationGets417() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 4\r\n\r\nping")
            let response = try client.readResponse()

            #expect(response.status == 417)
            #expect(fixture.responder.recorder.count == 0)
            await fixture.shutdown()
        }

        @Test func headResponseOmitsBody() async throws {
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(toHeadRequest: true)

            #expect(head.header("Content-Length") == "5")
            // The body of the GET follows directly: had HEAD carried a body, it would be read here.
            let get = try client.readResponse()
            #expect(get.statusLine == "HTTP/1.1 200 OK")
            #expect(get.bodyText == "hello")
            await fixture.shutdown()
        }

        @Test func unsafeResponseHeadersAreDropped() async throws {
            let responder = HTTPResponderFunction { _, writer in
                writer.send(
                    HTTPResponse(
                        status: 200,
                        headers: [
                            ("X-Split", "a\r\nInjected: yes"), ("Bad Name", "x"), ("Content-Length", "999"),
                            ("X-Kept", "kept"),
                        ],
                        body: Array("ok".utf8)))
            }
            let logs = LogCapture()
            let group = EventLoopGroup(numberOfThreads: 1)
            let server = HTTPServer(
                configuration: HTTPServerConfiguration(), group: group, responder: responder,
                logger: logs.logger(level: .debug))
            let client = try BlockingClient(port: try server.start())

            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()

            #expect(response.bodyText == "ok")
            #expect(response.header("Content-Length") == "2")
            #expect(response.header("X-Kept") == "kept")
            #expect(response.header("Injected") == nil)
            #expect(response.header("X-Split") == nil)
            #expect(response.header("Bad Name") == nil)
            #expect(logs.entries(withMessage: "dropping an invalid response header").count == 2)
            await server.stop(deadline: .seconds(1))
            group.shutdownGracefully()
        }

        static let malformedRequests: [(name: String, bytes: [UInt8])] = [
            ("garbage", Array("HELLO THERE\r\n\r\n".utf8)),
            ("HTTP/0.9", Array("GET /\r\n\r\n".utf8)),
            ("invalid method", Array("G@T / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)),
            (
                "length and chunked",
                Array(
                    "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                        .utf8)
            ),
            (
                "two lengths",
                Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd".utf8)
            ),
            ("missing host", Array("GET /hello HTTP/1.1\r\n\r\n".utf8)),
            (
                "bad chunk size",
                Array("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8)
            ),
            ("CONNECT", Array("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n".utf8)),
            ("non UTF-8 target", Array("GET /".utf8) + [0xFF, 0xFE] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8)),
            (
                "space before colon in Content-Length",
                Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length : 3\r\n\r\nabc".utf8)
            ),
            (
                "space before colon in Transfer-Encoding",
                Array("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n".utf8)
            ),
            ("two Host headers", Array("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".utf8)),
        ]

        @Test(arguments: malformedRequests.indices)
        func malformedRequestGets400(index: Int) async throws {
            let (name, bytes) = Self.malformedRequests[index]
            let fixture = try TestServer()
            let client = try BlockingClient(port: fixture.port)

            try client.send(bytes)
            let response = try client.readResponse()

            #expect(response.status == 400, "case \(name)")
            #expect(response.header("Content-Type") == "application/json", "case \(name)")
            #expect(response.bodyText.hasPrefix("{\"Error\":"), "case \(name)")
            #expect(response.header("Connection") == "close", "case \(name)")
            #expect(client.waitForClose(), "case \(name)")
            #expect(fixture.responder.recorder.count == 0, "case \(name)")
            await fixture.shutdown()
        }

        @Test func ipv6LoopbackServes() async throws {
            let fixture = try TestServer(host: "::1")
            let client = try BlockingClient(port: fixture.port, host: "::1")

            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()

            #expect(response.status == 200)
            #expect(fixture.responder.recorder.all.first?.remoteAddress == "::1")
            await fixture.shutdown()
        }
    }
}
