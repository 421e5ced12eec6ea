import InternalAPISecurity

/// Applies an API's `<cors>` settings: responds to preflight requests and adds CORS headers to
/// every response.
///
/// The API authenticates with the `Authorization` header, not with cookies, so responses never
/// send `Access-Control-Allow-Credentials`, and a configured `*` is sent as `*`.
struct CORSPolicy: Sendable {
    /// How long a browser may cache a preflight response, in seconds.
    static let maxAge = 600
    /// The methods a cross-origin page may use. POST is listed because login handlers may
    /// accept it.
    static let allowedMethods = "GET, HEAD, POST, OPTIONS"
    /// Response headers a page may read besides the CORS-safelisted ones.
    static let exposedHeaders = "WWW-Authenticate, Retry-After, X-Request-ID"
    /// Request headers allowed when the configuration lists none.
    static let defaultAllowedHeaders = "Authorization, Content-Type"

    private let allowsAnyOrigin: Bool
    private let allowedOrigins: Set<String>
    private let allowedHeaders: String

    /// Creates the policy, or returns nil when `configuration` is missing or disabled.
    init?(_ configuration: CORSConfiguration?) {
        guard let configuration, configuration.enabled else { return nil }
        let origins = configuration.allowedOrigins.map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
        allowsAnyOrigin = origins.contains("*")
        allowedOrigins = Set(origins)
        let headers = configuration.allowedHeaders.map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
        allowedHeaders = headers.isEmpty ? Self.defaultAllowedHeaders : headers.joined(separator: ", ")
    }

    /// Returns whether `request` is a CORS preflight: `OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`.
    static func isPreflight(_ request: ApplicationRequest) -> Bool {
        request.method == "OPTIONS" && request.headers.contains("Origin")
            && request.headers.contains("Access-Control-Request-Method")
    }

    /// Builds the response to a preflight request. A foreign origin gets 204 without any
    /// `Access-Control-Allow-*` header, so the browser blocks the real request.
    func preflightResponse(origin: String?) -> SecurityResponse {
        var response = SecurityResponse(status: 204)
        guard let allowed = allowedOriginValue(for: origin) else {
            response.headers.set("Vary", "Origin")
            return response
        }
        response.headers.set("Access-Control-Allow-Origin", allowed)
        response.headers.set("Access-Control-Allow-Methods", Self.allowedMethods)
        response.headers.set("Access-Control-Allow-Headers", allowedHeaders)
        response.headers.set("Access-Control-Max-Age", String(Self.maxAge))
        response.headers.set("Vary", "Origin")
        return response
    }

    /// Adds `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers` for an allowed
    /// origin, and `Vary: Origin` in every case, because the answer depends on the origin.
    func decorate(_ response: inout SecurityResponse, origin: String?) {
        response.headers.set("Vary", "Origin")
        guard let allowed = allowedOriginValue(for: origin) else { return }
        response.headers.set("Access-Control-Allow-Origin", allowed)
        response.headers.set("Access-Control-Expose-Headers", Self.exposedHeaders)
    }

    private func allowedOriginValue(for origin: String?) -> String? {
        guard let origin else { return nil }
        if allowsAnyOrigin { return "*" }
        return allowedOrigins.contains(origin) ? origin : nil
    }
}

extension String {
    /// Returns the string without leading and trailing spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
