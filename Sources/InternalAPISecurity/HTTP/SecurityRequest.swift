/// An HTTP request as the security handlers see it, independent of any HTTP library.
public struct SecurityRequest: Sendable {
    /// The request method in upper case, for example `GET`.
    public var method: String
    /// The normalised path relative to the API context: `/login` for `/management/login`,
    /// and `/` for the API root. See `RequestPath.normalize(_:)`.
    public var path: String
    /// The API context the request was routed to, for example `/management`.
    public var apiContext: String
    /// The query string without the `?`, or nil.
    public var query: String?
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The client's IP address as text, for logs.
    public var clientAddress: String
    /// An identifier for this request, for logs and the `X-Request-ID` response header.
    public var requestID: String

    public init(
        method: String,
        path: String,
        apiContext: String = "/management",
        query: String? = nil,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        clientAddress: String = "127.0.0.1",
        requestID: String = "-"
    ) {
        self.method = method
        self.path = path
        self.apiContext = apiContext
        self.query = query
        self.headers = headers
        self.body = body
        self.clientAddress = clientAddress
        self.requestID = requestID
    }

    /// The value of the `Authorization` header, or nil when it is missing.
    public var authorization: String? {
        headers.first("Authorization")
    }
}
