import InternalAPISecurity
import Synchronization

/// The state of one `HTTPServer` that its loops share: settings, the responder, the
/// connection count and the draining flag.
final class ServerContext: Sendable {
    let limits: HTTPLimits
    let tls: TLSServerContext?
    let responder: any HTTPResponder
    let logger: Logger
    /// Open connections across all loops, counted from accept to close.
    let openConnections = Atomic<Int>(0)
    /// Set by `HTTPServer.stop(deadline:)`: no new requests on kept-alive connections.
    let isDraining = Atomic<Bool>(false)
    /// Connections closed because of `maxConnections` since the last warning about them.
    let rejectedConnections = Atomic<Int>(0)
    /// The monotonic second of the last warning about rejected connections.
    let lastRejectionWarning = Atomic<Int>(-1)

    init(limits: HTTPLimits, tls: TLSServerContext?, responder: any HTTPResponder, logger: Logger) {
        self.limits = limits
        self.tls = tls
        self.responder = responder
        self.logger = logger
    }

    var draining: Bool {
        isDraining.load(ordering: .acquiring)
    }
}
