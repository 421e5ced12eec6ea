import CLibEvent
import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

/// The connections of one server on one event loop, keyed by id.
///
/// Writers find their connection here by id, so a response for a closed connection finds
/// nothing and is dropped. The class is `@unchecked Sendable` because writers carry it across
/// threads, but every method except `loop` must run on `loop`'s thread.
final class ConnectionTable: @unchecked Sendable {
    let loop: EventLoop
    let server: ServerContext
    private var connections: [UInt64: HTTPConnection] = [:]
    private var lastID: UInt64 = 0
    private var cachedDateSecond = 0
    private var cachedDate = ""

    init(loop: EventLoop, server: ServerContext) {
        self.loop = loop
        self.server = server
    }

    var count: Int { connections.count }

    /// Takes over an accepted socket whose slot in `server.openConnections` is already counted.
    func adopt(socket: Int32, remoteAddress: String) {
        guard !server.draining else {
            close(socket)
            server.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        lastID &+= 1
        guard let connection = HTTPConnection(id: lastID, socket: socket, remoteAddress: remoteAddress, table: self)
        else {
            server.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        connections[lastID] = connection
        connection.start()
    }

    /// Hands a response to the connection waiting for it, or drops it when that connection
    /// has closed.
    func deliver(_ response: HTTPResponse, connectionID: UInt64, requestSequence: UInt64) {
        guard let connection = connections[connectionID] else {
            server.logger.debug(
                "dropping a response because its connection has closed",
                metadata: ["connection": "\(connectionID)", "status": "\(response.status)"])
            return
        }
        connection.deliver(response, requestSequence: requestSequence)
    }

    /// Called by a connection as it closes.
    func remove(_ id: UInt64) {
        connections[id] = nil
    }

    /// Closes the connections that are waiting for a request, for a graceful stop.
    func closeIdleConnections() {
        for connection in Array(connections.values) {
            connection.closeIfIdle()
        }
    }

    /// Closes every connection, whatever it is doing.
    func closeAllConnections() {
        for connection in Array(connections.values) {
            connection.close()
        }
    }

    /// The current time as an RFC 9110 `Date` value, formatted at most once a second.
    func httpDate() -> String {
        let now = time(nil)
        if now != cachedDateSecond {
            cachedDateSecond = now
            var moment = tm()
            var now = now
            gmtime_r(&now, &moment)
            var buffer = [CChar](repeating: 0, count: 64)
            let length = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &moment)
            cachedDate = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return cachedDate
    }
}
