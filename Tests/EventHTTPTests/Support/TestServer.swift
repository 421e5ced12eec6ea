import EventHTTP
import Foundation
import InternalAPISecurity
import Synchronization

/// Records what the test responder saw, for checks that a request did or did not arrive.
final class RequestRecorder: Sendable {
    private let requests = Mutex<[HTTPRequest]>([])

    func record(_ request: HTTPRequest) {
        requests.withLock { $0.append(request) }
    }

    var count: Int { requests.withLock { $0.count } }
    var all: [HTTPRequest] { requests.withLock { $0 } }
}

/// The responder the tests run against. Routes:
/// - `/hello`: 200 `hello`
/// - `/echo`: 200 with the request body
/// - `/describe`: 200 `method=.. tls=.. subject=..`
/// - `/slow`: 200 `slow` after 500 ms, sent from another thread
/// - `/late`: 200 after 300 ms, sent from another thread; `lateSent` counts them
/// - `/task`: responds from a task preferring the loop executor, with whether it ran on the
///   loop thread before and after a suspension
/// - anything else: 404 JSON
final class TestResponder: HTTPResponder {
    let recorder = RequestRecorder()
    private let lateResponses = Atomic<Int>(0)

    /// The `/late` responses sent so far.
    var lateSent: Int { lateResponses.load(ordering: .acquiring) }

    func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        recorder.record(request)
        switch request.path {
        case "/hello":
            writer.send(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("hello".utf8)))
        case "/echo":
            writer.send(HTTPResponse(status: 200, body: request.body))
        case "/describe":
            let text =
                "method=\(request.method) tls=\(request.isTLS) subject=\(request.clientCertificateSubject ?? "none")"
            writer.send(HTTPResponse(status: 200, body: Array(text.utf8)))
        case "/slow":
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
                writer.send(HTTPResponse(status: 200, body: Array("slow".utf8)))
            }
        case "/late":
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
                writer.send(HTTPResponse(status: 200, body: Array("late".utf8)))
                self.lateResponses.add(1, ordering: .releasing)
            }
        case "/task":
            Task(executorPreference: writer.loop) {
                let before = writer.loop.inEventLoop
                try? await Task.sleep(for: .milliseconds(20))
                let after = writer.loop.inEventLoop
                writer.send(HTTPResponse(status: 200, body: Array("before=\(before) after=\(after)".utf8)))
            }
        default:
            writer.send(HTTPResponse.jsonError(status: 404, message: "Not found"))
        }
    }
}

/// A server on its own two-loop group, on a kernel-chosen loopback port.
final class TestServer: Sendable {
    let group: EventLoopGroup
    let server: HTTPServer
    let port: Int
    let responder: TestResponder
    let logs: LogCapture

    init(
        limits: HTTPLimits = HTTPLimits(),
        tls: TLSServerContext? = nil,
        host: String = "127.0.0.1",
        responder: TestResponder = TestResponder()
    ) throws {
        logs = LogCapture()
        group = EventLoopGroup(numberOfThreads: 2)
        self.responder = responder
        server = HTTPServer(
            configuration: HTTPServerConfiguration(host: host, port: 0, tls: tls, limits: limits),
            group: group,
            responder: responder,
            logger: logs.logger(label: "eventhttp-test", level: .debug)
        )
        do {
            port = try server.start()
        } catch {
            group.shutdownGracefully()
            throw error
        }
    }

    func shutdown() async {
        await server.stop(deadline: .seconds(1))
        group.shutdownGracefully()
    }

    /// Waits up to `timeout` for `condition`, polling every 10 ms.
    func waitUntil(timeout: Duration = .seconds(3), _ condition: () -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while clock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
