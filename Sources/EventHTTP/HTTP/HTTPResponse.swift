import InternalAPISecurity

/// A response for the transport to send.
///
/// The transport adds `Content-Length`, `Date` and `Connection` itself and drops those names,
/// and `Transfer-Encoding`, from `headers`. A header whose name is not an RFC 9110 token, or
/// whose value contains CR, LF or NUL, is dropped with a warning, so a value taken from a
/// request cannot split the response.
public struct HTTPResponse: Sendable {
    /// The status code, 100 to 599. Anything else is sent as 500.
    public var status: Int
    /// Header fields, in the order to send them.
    public var headers: [(name: String, value: String)]
    /// The body. It is not sent for `HEAD` requests or for 1xx, 204 and 304 responses.
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response whose body is `{"Error":"<message>"}` with a JSON content type.
    public static func jsonError(status: Int, message: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [(name: "Content-Type", value: "application/json")],
            body: Array("{\"Error\":\(JSONText.quote(message))}".utf8)
        )
    }
}
