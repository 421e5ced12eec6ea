/// One HTTP/1.x request as the transport parsed it, with the connection facts a handler needs.
///
/// The values are raw: `target` and `path` are not percent-decoded or normalised, and header
/// names keep the client's spelling and order.
public struct HTTPRequest: Sendable {
    /// The method in upper case, for example `GET`.
    public var method: String
    /// The request-target exactly as sent, for example `/management/apis?apiName=x`.
    public var target: String
    /// The part of `target` before the first `?`.
    public var path: String
    /// The part of `target` after the first `?`, or nil when there is no `?`.
    public var query: String?
    /// The header fields in the order received. A name may repeat.
    public var headers: [(name: String, value: String)]
    /// The request body, with any chunked transfer coding removed.
    public var body: [UInt8]
    /// The client's IP address, without the port.
    public var remoteAddress: String
    /// True when the request arrived over TLS.
    public var isTLS: Bool
    /// True when the connection stays open after the response (HTTP/1.1 without
    /// `Connection: close`, or HTTP/1.0 with `Connection: keep-alive`).
    public var keepAlive: Bool
    /// The subject of the client certificate in RFC 2253 form, when TLS client verification
    /// is on and the client presented a certificate that passed it.
    public var clientCertificateSubject: String?

    public init(
        method: String,
        target: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        remoteAddress: String = "127.0.0.1",
        isTLS: Bool = false,
        keepAlive: Bool = true,
        clientCertificateSubject: String? = nil
    ) {
        self.method = method
        self.target = target
        if let questionMark = target.firstIndex(of: "?") {
            path = String(target[..<questionMark])
            query = String(target[target.index(after: questionMark)...])
        } else {
            path = target
            query = nil
        }
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.isTLS = isTLS
        self.keepAlive = keepAlive
        self.clientCertificateSubject = clientCertificateSubject
    }

    /// Returns the value of the first header named `name`, compared case-insensitively.
    public func headerValue(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
