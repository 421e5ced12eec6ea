import CLibEvent
import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

/// The listening socket of one server, accepting on one loop and handing connections to all
/// of the group's loops in turn.
///
/// One listener with round-robin hand-off was chosen over one `SO_REUSEPORT` listener per
/// loop: it spreads connections evenly (the kernel's reuseport hashing can put most of a few
/// long-lived connections on one loop), port 0 needs no second bind, and no other process of
/// the same user can bind the same port. The cost is one cross-thread hand-off per accepted
/// connection, not per request.
///
/// Used only on the thread of `loop`.
final class Listener {
    private let loop: EventLoop
    private let server: ServerContext
    private let tables: [ConnectionTable]
    private var nextTable = 0
    private var listener: OpaquePointer?
    private var resumeTimer: OpaquePointer?

    /// Starts accepting on `socket`, a bound and listening socket. Call on `loop`'s thread.
    init?(socket: Int32, loop: EventLoop, server: ServerContext, tables: [ConnectionTable]) {
        self.loop = loop
        self.server = server
        self.tables = tables
        let context = Unmanaged.passUnretained(self).toOpaque()
        let flags = UInt32(LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC)
        guard let listener = evconnlistener_new(loop.base, listenerAcceptCallback, context, flags, 0, socket) else {
            return nil
        }
        self.listener = listener
        evconnlistener_set_error_cb(listener, listenerErrorCallback)
        resumeTimer = event_new(loop.base, -1, 0, listenerResumeCallback, context)
    }

    /// Closes the listening socket. Call on `loop`'s thread.
    func close() {
        if let resumeTimer {
            event_free(resumeTimer)
            self.resumeTimer = nil
        }
        if let listener {
            evconnlistener_free(listener)
            self.listener = nil
        }
    }

    fileprivate func accepted(_ socket: Int32, address: UnsafeMutablePointer<sockaddr>?, length: Int32) {
        let limit = server.limits.maxConnections
        let open = server.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
        guard open <= limit, !server.draining else {
            server.openConnections.subtract(1, ordering: .relaxed)
            Glibc.close(socket)
            warnAboutRejectedConnection(limit: limit)
            return
        }

        var noDelay: Int32 = 1
        // Without TCP_NODELAY a response can wait for the client's delayed ACK (about 40 ms).
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let remoteAddress = SocketAddress.numericHost(address, length: length)

        let table = tables[nextTable]
        nextTable = (nextTable + 1) % tables.count
        if table.loop.inEventLoop {
            table.adopt(socket: socket, remoteAddress: remoteAddress)
        } else {
            table.loop.execute { table.adopt(socket: socket, remoteAddress: remoteAddress) }
        }
    }

    private func warnAboutRejectedConnection(limit: Int) {
        let rejected = server.rejectedConnections.wrappingAdd(1, ordering: .relaxed).newValue
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let second = now.tv_sec
        let last = server.lastRejectionWarning.load(ordering: .relaxed)
        // At most one warning a second, carrying the count since the previous one.
        guard second != last else { return }
        server.lastRejectionWarning.store(second, ordering: .relaxed)
        server.rejectedConnections.store(0, ordering: .relaxed)
        server.logger.warning(
            "connection limit reached; closing new connections",
            metadata: ["max_connections": "\(limit)", "closed": "\(rejected)"])
    }

    /// Accept failed, typically because the process is out of file descriptors. Accepting
    /// again at once would spin on the same error, so pause for a second.
    fileprivate func acceptFailed() {
        let error = errno
        server.logger.error(
            "accept failed; pausing new connections for 1 second",
            metadata: ["errno": "\(error)", "error": String(cString: strerror(error))])
        guard let listener, let resumeTimer else { return }
        evconnlistener_disable(listener)
        var interval = timeval(tv_sec: 1, tv_usec: 0)
        event_add(resumeTimer, &interval)
    }

    fileprivate func resume() {
        guard let listener else { return }
        evconnlistener_enable(listener)
    }
}

private func listenerAcceptCallback(
    _ listener: OpaquePointer?, _ socket: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: Int32,
    _ context: UnsafeMutableRawPointer?
) {
    guard let context else { return }
    Unmanaged<Listener>.fromOpaque(context).takeUnretainedValue().accepted(socket, address: address, length: length)
}

private func listenerErrorCallback(_ listener: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<Listener>.fromOpaque(context).takeUnretainedValue().acceptFailed()
}

private func listenerResumeCallback(_ fd: Int32, _ events: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<Listener>.fromOpaque(context).takeUnretainedValue().resume()
}
