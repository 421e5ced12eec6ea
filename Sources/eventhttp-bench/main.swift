import EventHTTP
import Foundation
import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

// A minimal server for Benchmarks/http-transport.sh: sends a fixed body for every request.
// Usage: eventhttp-bench <port> [<certificate.pem> <key.pem>]
// Runs until SIGTERM or SIGINT.

struct FixedResponder: HTTPResponder {
    let response = HTTPResponse(
        status: 200, headers: [(name: "Content-Type", value: "text/plain")], body: Array("hello, world\n".utf8))

    func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        writer.send(response)
    }
}

func runBenchmarkServer() throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 2 || arguments.count == 4, let port = Int(arguments[1]) else {
        throw SecurityError(
            .invalidArgument, reason: "Invalid arguments", value: arguments.dropFirst().joined(separator: " "),
            fix: "Run: eventhttp-bench <port> [<certificate.pem> <key.pem>]")
    }
    var tls: TLSServerContext?
    if arguments.count == 4 {
        tls = try TLSServerContext(certificateChainFile: arguments[2], privateKeyFile: arguments[3])
    }

    // Blocked before the loop threads start, so they inherit the mask and sigwait gets the signal.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGTERM)
    sigaddset(&signals, SIGINT)
    pthread_sigmask(SIG_BLOCK, &signals, nil)

    let verbose = ProcessInfo.processInfo.environment["EVENTHTTP_BENCH_DEBUG"] == "1"
    let logger = Logger(label: "eventhttp-bench", handler: StreamLogHandler(logLevel: verbose ? .debug : .info))
    let group = EventLoopGroup()
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port, tls: tls),
        group: group, responder: FixedResponder(), logger: logger)
    try server.start()

    var received: Int32 = 0
    sigwait(&signals, &received)
    group.shutdownGracefully()
}

do {
    try runBenchmarkServer()
} catch {
    FileHandle.standardError.write(Data("eventhttp-bench: \(error)\n".utf8))
    exit(1)
}
