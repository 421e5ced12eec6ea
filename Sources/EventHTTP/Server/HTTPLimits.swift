import InternalAPISecurity

/// Bounds on what one client can make the server hold: bytes, time and connections.
///
/// Every timeout is a deadline for a whole phase, not an inactivity timer, so a client that
/// sends one byte a second is still cut off when the deadline passes.
public struct HTTPLimits: Sendable {
    /// The maximum number of bytes for the request line plus the header fields, counting the line
    /// ends and the blank line that ends the head. A longer head gets `431 Request Header Fields
    /// Too Large` with a JSON body, and the connection is closed.
    ///
    /// NOTE: http_parser 2.9.4 has its own process-wide head limit of 80 KiB, so a larger
    /// value here still gets 431 at 80 KiB.
    public var maxHeaderBytes: Int = 16 * 1024
    /// The maximum number of body bytes, after removing any chunked coding. A declared
    /// `Content-Length` above it is rejected before the body is read; a chunked body is rejected
    /// as soon as it passes it. Either way the client gets `413 Payload Too Large` with a JSON
    /// body, and the connection is closed.
    public var maxBodyBytes: Int = 1024 * 1024
    /// Time allowed for the whole request head, counted from the connection's accept (which
    /// includes the TLS handshake) for the first request and from the first byte for later ones.
    /// On expiry, a client that has sent part of a head gets `408 Request Timeout` and the
    /// connection is closed. A silent new connection is closed without a response.
    public var headerTimeout: Duration = .seconds(10)
    /// Time allowed for the whole body, counted from the end of the head. On expiry: 408 and close.
    public var bodyTimeout: Duration = .seconds(30)
    /// How long a keep-alive connection may wait for its next request before it is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// Time allowed for writing one response to the socket. On expiry the connection is closed.
    public var writeTimeout: Duration = .seconds(30)
    /// The maximum number of open connections across all loops of one server. The server accepts a
    /// connection beyond it and closes it at once without a response, so the kernel's backlog
    /// does not fill with clients that would wait until their own timeout.
    public var maxConnections: Int = 1024

    /// Creates the default limits; change the properties you need.
    public init() {}

    /// Checks that every limit is usable.
    ///
    /// - Throws: `SecurityError` with code `.invalidArgument`, naming the limit and its value.
    public func validate() throws {
        let counts: [(name: String, value: Int, minimum: Int)] = [
            ("maxHeaderBytes", maxHeaderBytes, 64),
            ("maxBodyBytes", maxBodyBytes, 0),
            ("maxConnections", maxConnections, 1),
        ]
        for count in counts where count.value < count.minimum {
            throw SecurityError(
                .invalidArgument, reason: "HTTP limit \(count.name) is too small", value: "\(count.value)",
                fix: "Set \(count.name) to at least \(count.minimum)")
        }
        let timeouts: [(name: String, value: Duration)] = [
            ("headerTimeout", headerTimeout), ("bodyTimeout", bodyTimeout),
            ("idleTimeout", idleTimeout), ("writeTimeout", writeTimeout),
        ]
        for timeout in timeouts where timeout.value <= .zero {
            throw SecurityError(
                .invalidArgument, reason: "HTTP limit \(timeout.name) must be positive", value: "\(timeout.value)",
                fix: "Set \(timeout.name) to a positive duration, for example .seconds(10)")
        }
    }
}
