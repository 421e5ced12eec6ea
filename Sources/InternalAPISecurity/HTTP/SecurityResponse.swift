/// An HTTP response produced by a handler or a resource, independent of any HTTP library.
public struct SecurityResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response whose body is already encoded.
    public static func json(status: Int, body: String, headers: HTTPHeaders = HTTPHeaders()) -> SecurityResponse {
        var headers = headers
        headers.set("Content-Type", "application/json")
        return SecurityResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    /// A JSON error `{"Error": "<message>"}`, the shape every error body of this project has.
    ///
    /// Responses that depend on credentials must not be cached, so the body also carries
    /// `Cache-Control: no-store`.
    public static func error(status: Int, message: String, headers: HTTPHeaders = HTTPHeaders()) -> SecurityResponse {
        var headers = headers
        headers.set("Cache-Control", "no-store")
        return json(status: status, body: "{\"Error\":\(JSONText.quote(message))}", headers: headers)
    }

    /// The body as UTF-8 text, for tests and logs.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}
