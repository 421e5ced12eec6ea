/// Where and how an `HTTPServer` listens.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal (`127.0.0.1`, `::1`) or a host name, whose
    /// first resolved address is used.
    public var host: String
    /// The TCP port. 0 lets the kernel pick a free port, which `HTTPServer.start()` returns.
    public var port: Int
    /// The TLS settings, or nil for plain HTTP.
    public var tls: TLSServerContext?
    /// Size, time and connection limits.
    public var limits: HTTPLimits

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        tls: TLSServerContext? = nil,
        limits: HTTPLimits = HTTPLimits()
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.limits = limits
    }
}
