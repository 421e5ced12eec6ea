import InternalAPISecurity
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP/1.1 server, plain or TLS, on the loops of an `EventLoopGroup`.
///
/// One loop accepts and hands each connection to the group's loops in turn; each connection
/// then lives on one loop. Requests are parsed with `http_parser`, and each connection gets
/// its responses in request order, one request at a time. Bad requests get a JSON error (`{"Error":"..."}`) and the
/// connection is closed: 400 for malformed requests (parser errors, HTTP/0.9, `CONNECT`,
/// `Content-Length` together with `Transfer-Encoding`, a missing `Host` on HTTP/1.1), 408, 413,
/// 417 and 431 for the limits in `HTTPLimits`, 505 for versions other than 1.0 and 1.1.
///
/// `start()` ignores `SIGPIPE` for the whole process, because writing to a socket whose client
/// has gone must fail with an error instead of ending the process.
public final class HTTPServer: Sendable {
    private struct State: @unchecked Sendable {
        // The listener is used only on the first loop's thread; the mutex guards the reference.
        var listener: Listener?
        var port: Int?
        var stopped = false
    }

    private let configuration: HTTPServerConfiguration
    private let group: EventLoopGroup
    private let context: ServerContext
    private let tables: [ConnectionTable]
    private let state = Mutex(State())

    /// - Parameters:
    ///   - responder: receives every valid request, on the loop thread of its connection.
    ///   - logger: receives the start and stop lines (info), limit warnings, and rejected
    ///     requests and failed connections (debug).
    public init(
        configuration: HTTPServerConfiguration, group: EventLoopGroup, responder: some HTTPResponder, logger: Logger
    ) {
        self.configuration = configuration
        self.group = group
        let context = ServerContext(
            limits: configuration.limits, tls: configuration.tls, responder: responder, logger: logger)
        self.context = context
        tables = group.loops.map { ConnectionTable(loop: $0, server: context) }
    }

    deinit {
        // A listener left running would call back into freed memory on the next accept.
        guard let listener = state.withLock({ $0.listener }) else { return }
        let box = UncheckedBox(listener)
        group.loops[0].execute { box.value.close() }
    }

    /// The number of open connections across all loops.
    public var connectionCount: Int {
        context.openConnections.load(ordering: .relaxed)
    }

    /// Binds, starts accepting and returns the bound port. Calling it again returns the same port.
    ///
    /// - Throws: `SecurityError` with code `.listenFailed` when the address cannot be bound
    ///   (in use, not local, needs privileges), naming the address and a fix, and
    ///   `.invalidArgument` when a limit is unusable.
    @discardableResult
    public func start() throws -> Int {
        if let port = state.withLock({ $0.port }) { return port }
        try configuration.limits.validate()
        LibEvent.prepared

        let (socket, port) = try SocketAddress.listen(host: configuration.host, port: configuration.port)
        let loop = group.loops[0]
        let context = context
        let tables = tables
        let listener = loop.submitAndWait {
            UncheckedBox(Listener(socket: socket, loop: loop, server: context, tables: tables))
        }?.value
        guard let listener else {
            close(socket)
            throw SecurityError(
                .listenFailed, reason: "Cannot start accepting connections on the event loop",
                value: "\(configuration.host):\(port)",
                fix:
                    "Start the server before shutting its event loop group down, and check the file descriptor limit (ulimit -n)"
            )
        }
        state.withLock {
            $0.listener = listener
            $0.port = port
        }
        context.logger.info(
            "HTTP server started",
            metadata: [
                "host": configuration.host, "port": "\(port)", "tls": "\(configuration.tls != nil)",
                "event_loops": "\(group.loops.count)",
            ])
        return port
    }

    /// Stops accepting, closes idle connections, lets requests in progress finish until
    /// `deadline` has passed, then closes whatever is left.
    ///
    /// Connections that finish a response while the server stops are closed instead of kept
    /// alive. The event loops keep running; shut the group down afterwards.
    public func stop(deadline: Duration) async {
        let listener = state.withLock { state -> Listener? in
            defer {
                state.listener = nil
                state.stopped = true
            }
            return state.stopped ? nil : state.listener
        }
        context.isDraining.store(true, ordering: .releasing)
        if let listener {
            let box = UncheckedBox(listener)
            await run(on: group.loops[0]) { box.value.close() }
        }
        for table in tables {
            await run(on: table.loop) { table.closeIdleConnections() }
        }

        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while connectionCount > 0, clock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let remaining = connectionCount
        for table in tables {
            await run(on: table.loop) { table.closeAllConnections() }
        }
        context.logger.info(
            "HTTP server stopped",
            metadata: ["port": "\(state.withLock { $0.port ?? 0 })", "connections_closed_at_deadline": "\(remaining)"])
    }

    private func run(on loop: EventLoop, _ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.execute {
                work()
                continuation.resume()
            }
        }
    }
}

/// Carries a loop-confined object through a `@Sendable` closure to or from its loop.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
