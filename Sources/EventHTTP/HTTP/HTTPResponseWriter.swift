import InternalAPISecurity
import Synchronization

/// The handle a responder uses to send the response to one request.
///
/// The writer refers to its connection by an id looked up on the owning loop, never by a
/// pointer, so a response sent after the client went away, or after the server closed the
/// connection, is dropped without touching freed memory.
///
/// Thread safety: `send(_:)` may be called from any thread. Copies share one "sent" flag.
public struct HTTPResponseWriter: Sendable {
    /// The event loop that owns the connection. Use it as a task executor preference to stay on
    /// the loop thread.
    public let loop: EventLoop

    let connections: ConnectionTable
    let connectionID: UInt64
    let requestSequence: UInt64
    private let sent: SentFlag
    private let logger: Logger

    init(connections: ConnectionTable, connectionID: UInt64, requestSequence: UInt64, logger: Logger) {
        self.loop = connections.loop
        self.connections = connections
        self.connectionID = connectionID
        self.requestSequence = requestSequence
        self.sent = SentFlag()
        self.logger = logger
    }

    /// Sends `response` to the client. Call it once per request; a second call is ignored and
    /// logged at debug level.
    ///
    /// On the loop thread the response is written at once; from another thread it is handed to
    /// the loop. If the connection has closed meanwhile, the response is dropped.
    public func send(_ response: HTTPResponse) {
        guard sent.claim() else {
            logger.debug(
                "response already sent for this request; ignoring another",
                metadata: ["connection": "\(connectionID)", "status": "\(response.status)"])
            return
        }

        if loop.inEventLoop {
            connections.deliver(response, connectionID: connectionID, requestSequence: requestSequence)
        } else {
            let connections = connections
            let connectionID = connectionID
            let requestSequence = requestSequence
            loop.execute {
                connections.deliver(response, connectionID: connectionID, requestSequence: requestSequence)
            }
        }
    }
}

/// A flag that one caller can claim, shared by copies of a writer.
private final class SentFlag: Sendable {
    private let isSet = Atomic<Bool>(false)

    /// Returns true for the first caller only.
    func claim() -> Bool {
        !isSet.exchange(true, ordering: .acquiringAndReleasing)
    }
}
