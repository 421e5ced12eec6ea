import CHTTPParser
import CLibEvent
import COpenSSL
import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection: a bufferevent (plain or OpenSSL), an `http_parser` and a deadline
/// timer. Used only on the thread of the loop that owns its `ConnectionTable`.
///
/// The table holds the only strong reference. libevent and the parser see the object through
/// unretained pointers, which stay valid because `close()` frees the bufferevent and the timer
/// (so no callback can arrive later) before the table lets go of the object.
final class HTTPConnection {
    enum Phase: Equatable {
        /// Accepted (TLS handshake included), no byte of the first request yet.
        case awaitingFirstRequest
        /// Kept alive after a response, no byte of the next request yet.
        case idle
        /// Reading the request line and header fields.
        case head
        /// Reading the body.
        case body
        /// The request went to the responder; waiting for its response.
        case responding
        /// Writing a response.
        case writing
        /// The last response is written and our sending side is shut down. Input is read and
        /// discarded, because closing with unread input would reset the connection before
        /// the client has read the response.
        case lingering
        case closed
    }

    /// How long a closing connection keeps discarding input before it is closed anyway.
    static let lingerTime: Duration = .seconds(2)

    let id: UInt64
    let table: ConnectionTable
    let remoteAddress: String
    let isTLS: Bool
    var server: ServerContext { table.server }
    var limits: HTTPLimits { table.server.limits }
    var logger: Logger { table.server.logger }

    let socket: Int32
    private(set) var bufferEvent: OpaquePointer?
    private var timer: OpaquePointer?
    let parser: UnsafeMutablePointer<http_parser>

    var phase = Phase.awaitingFirstRequest
    /// Set while `processInput()` runs, so a response sent synchronously by the responder does
    /// not start parsing the next request from inside the current parse.
    var isProcessingInput = false
    /// True after the client shut down its sending side.
    var peerClosed = false
    /// Whether the connection closes after the response being written.
    var closeAfterWrite = false
    /// Counts requests, so a late response to an earlier request is never taken for the
    /// current one.
    var requestSequence: UInt64 = 0

    // The request being parsed.
    var headBytes = 0
    var targetBytes: [UInt8] = []
    var headerFieldBytes: [UInt8] = []
    var headerValueBytes: [UInt8] = []
    var readingHeaderValue = false
    var rawHeaders: [(name: [UInt8], value: [UInt8])] = []
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    var method = ""
    var target = ""
    var requestKeepAlive = false
    /// A response decided inside a parser callback, sent once the parser returns.
    var pendingRejection: (status: Int, message: String)?

    private var clientCertificateChecked = false
    private var clientCertificateSubjectValue: String?

    /// Wraps an accepted, non-blocking socket. Returns nil, with the socket closed, when
    /// libevent or OpenSSL cannot set it up.
    init?(id: UInt64, socket: Int32, remoteAddress: String, table: ConnectionTable) {
        self.id = id
        self.table = table
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.isTLS = table.server.tls != nil
        parser = .allocate(capacity: 1)
        http_parser_init(parser, HTTP_REQUEST)

        let base = table.loop.base
        let options = Int32(BEV_OPT_CLOSE_ON_FREE.rawValue | BEV_OPT_DEFER_CALLBACKS.rawValue)
        if let tls = table.server.tls {
            guard let ssl = SSL_new(tls.context) else {
                table.server.logger.error("SSL_new failed; closing the connection", metadata: ["client": remoteAddress])
                Glibc.close(socket)
                return nil
            }
            // With BEV_OPT_CLOSE_ON_FREE the bufferevent frees `ssl` and closes the socket.
            bufferEvent = bufferevent_openssl_socket_new(base, socket, ssl, BUFFEREVENT_SSL_ACCEPTING, options)
            if bufferEvent == nil {
                SSL_free(ssl)
            }
        } else {
            bufferEvent = bufferevent_socket_new(base, socket, options)
        }
        guard let bufferEvent else {
            table.server.logger.error(
                "cannot create a bufferevent; closing the connection", metadata: ["client": remoteAddress])
            Glibc.close(socket)
            return nil
        }
        if isTLS {
            // A client that closes without a TLS close_notify is reported as end of file, not as
            // an error: HTTP/1.1 delimits its messages itself.
            bufferevent_openssl_set_allow_dirty_shutdown(bufferEvent, 1)
        }
    }

    deinit {
        parser.deallocate()
    }

    /// Installs the callbacks and starts the head deadline. Call once, after the table stores
    /// the connection.
    func start() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        timer = event_new(table.loop.base, -1, 0, connectionTimerCallback, context)
        guard let bufferEvent, timer != nil else {
            close()
            return
        }
        parser.pointee.data = context
        bufferevent_setcb(
            bufferEvent, connectionReadCallback, connectionWriteCallback, connectionEventCallback, context)
        // Stop reading once this much is buffered but not parsed (pipelined requests behind one
        // still waiting for its response), so a client cannot make the server buffer without bound.
        bufferevent_setwatermark(bufferEvent, Int16(EV_READ), 0, 64 * 1024)
        bufferevent_enable(bufferEvent, Int16(EV_READ | EV_WRITE))
        startTimer(limits.headerTimeout)
    }

    /// The client certificate subject, read from the TLS session once.
    var clientCertificateSubject: String? {
        if !clientCertificateChecked, let bufferEvent, let ssl = bufferevent_openssl_get_ssl(bufferEvent) {
            clientCertificateChecked = true
            clientCertificateSubjectValue = TLSServerContext.verifiedPeerSubject(ssl)
        }
        return clientCertificateSubjectValue
    }

    // MARK: Deadlines

    func startTimer(_ duration: Duration) {
        guard let timer else { return }
        let (seconds, attoseconds) = duration.components
        var interval = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        event_add(timer, &interval)
    }

    func cancelTimer() {
        guard let timer else { return }
        event_del(timer)
    }

    fileprivate func deadlinePassed() {
        switch phase {
        case .awaitingFirstRequest, .idle:
            logger.trace("closing a connection that sent no request in time", metadata: ["client": remoteAddress])
            close()
        case .head:
            reject(status: 408, message: "The request head was not received within the time limit")
        case .body:
            reject(status: 408, message: "The request body was not received within the time limit")
        case .writing, .lingering:
            close()
        case .responding, .closed:
            break
        }
    }

    // MARK: Bufferevent events

    fileprivate func readable() {
        processInput()
    }

    fileprivate func writeDrained() {
        // Deferred callbacks can deliver a write callback queued before the response was
        // added (the socket became writable while the buffer was still empty), so check.
        guard phase == .writing, let bufferEvent, evbuffer_get_length(bufferevent_get_output(bufferEvent)) == 0 else {
            return
        }
        if closeAfterWrite || peerClosed {
            beginLingeringClose()
            return
        }
        phase = .idle
        http_parser_pause(parser, 0)
        startTimer(limits.idleTimeout)
        processInput()
    }

    fileprivate func handleEvent(_ events: Int16) {
        let eventMask = Int32(events)
        if eventMask & Int32(BEV_EVENT_ERROR) != 0 {
            logConnectionError()
            close()
            return
        }
        if eventMask & Int32(BEV_EVENT_EOF) != 0 {
            peerClosed = true
            if phase == .writing {
                // Finish the response already queued, then close without lingering.
                closeAfterWrite = true
            } else {
                // Like nginx, the server takes a client that closes before its response as
                // gone. The connection closes now and the late response is dropped.
                close()
            }
        }
    }

    private func logConnectionError() {
        var metadata: Logger.Metadata = ["client": remoteAddress, "phase": "\(phase)"]
        if let bufferEvent, isTLS {
            let code = bufferevent_get_openssl_error(bufferEvent)
            if code != 0 {
                metadata["tls_error"] = OpenSSLError.describe(code)
            }
        }
        var socketError: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(socket, SOL_SOCKET, SO_ERROR, &socketError, &size) == 0, socketError != 0 {
            metadata["errno"] = "\(socketError)"
        }
        // Scanners and aborted handshakes are common, so this stays at debug level.
        logger.debug("connection failed", metadata: metadata)
    }

    // MARK: Closing

    /// Closes the connection now if it is waiting for a request, for a graceful stop.
    func closeIfIdle() {
        if phase == .idle || phase == .awaitingFirstRequest {
            close()
        }
    }

    /// Shuts down our sending side once the last response is out, then discards input until
    /// the client closes or `lingerTime` passes.
    func beginLingeringClose() {
        guard phase != .closed else { return }
        if peerClosed {
            close()
            return
        }
        phase = .lingering
        shutdown(socket, Int32(SHUT_WR))
        startTimer(Self.lingerTime)
        processInput()
    }

    /// Frees the bufferevent (closing the socket and freeing the TLS session) and the timer,
    /// and leaves the table. Safe to call more than once.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        if let timer {
            event_free(timer)
            self.timer = nil
        }
        if let bufferEvent {
            bufferevent_free(bufferEvent)
            self.bufferEvent = nil
        }
        server.openConnections.subtract(1, ordering: .relaxed)
        table.remove(id)
    }
}

private func connection(from context: UnsafeMutableRawPointer?) -> HTTPConnection? {
    guard let context else { return nil }
    return Unmanaged<HTTPConnection>.fromOpaque(context).takeUnretainedValue()
}

private func connectionReadCallback(_ bufferEvent: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let connection = connection(from: context) else { return }
    withExtendedLifetime(connection) { connection.readable() }
}

private func connectionWriteCallback(_ bufferEvent: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let connection = connection(from: context) else { return }
    withExtendedLifetime(connection) { connection.writeDrained() }
}

private func connectionEventCallback(
    _ bufferEvent: OpaquePointer?, _ events: Int16, _ context: UnsafeMutableRawPointer?
) {
    guard let connection = connection(from: context) else { return }
    withExtendedLifetime(connection) { connection.handleEvent(events) }
}

private func connectionTimerCallback(_ fd: Int32, _ events: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let connection = connection(from: context) else { return }
    withExtendedLifetime(connection) { connection.deadlinePassed() }
}
