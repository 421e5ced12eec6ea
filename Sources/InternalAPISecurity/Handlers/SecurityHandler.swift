/// A step of the security chain that decides whether a request may reach its resource.
///
/// The server runs the handlers of an API in the order the configuration lists them. A handler
/// whose `protects(path:)` is false for the request is skipped. Each handler that protects the
/// path is called with the principal that earlier handlers established, and returns:
/// - `.proceed(principal)`: the request may go on. A non-nil principal replaces the current
///   one (an authentication handler sets it; an authorisation handler passes nil to keep it).
/// - `.respond(response)`: the chain ends and `response` is sent as it is (a 401 with its
///   challenge, a 403, a 429, or a 200 for a resource the handler serves itself, such as
///   `/login`). The resource is not called.
///
/// A request reaches its resource only when every handler that protects its path proceeded.
/// The API root (`/`) is never passed to handlers: it needs no credentials.
///
/// Throwing means the handler could not decide, for example because its token store is down.
/// The server logs the error and responds with 503 without reaching the resource; a throw never lets
/// a request through. Bad credentials are not an error: return `.respond` for them.
///
/// Handlers are shared by all connections and called concurrently. `handle` runs on the event
/// loop that owns the connection until it suspends, so a handler that must block (slow hashing,
/// synchronous I/O) moves that work elsewhere, for example with `BlockingWork.run(_:)`.
public protocol SecurityHandler: Sendable {
    /// The handler's name from the configuration's `name` attribute, for logs and metrics.
    var name: String { get }

    /// The resource prefixes this handler protects, relative to the API context.
    var resources: ResourceSet { get }

    /// Whether the handler applies to `path`, a normalised path relative to the API context.
    /// The default returns `resources.matches(path)`.
    func protects(path: String) -> Bool

    /// Decides on one request. See the protocol's documentation for the meaning of each outcome.
    func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome
}

extension SecurityHandler {
    public func protects(path: String) -> Bool {
        resources.matches(path)
    }
}

/// What a handler decided about a request.
public enum SecurityOutcome: Sendable, Equatable {
    /// Let the request go on; a non-nil principal becomes the authenticated user.
    case proceed(Principal?)
    /// End the chain and send this response.
    case respond(SecurityResponse)
}

/// What the chain passes to each handler besides the request.
public struct SecurityContext: Sendable {
    /// The principal established by earlier handlers in the chain, or nil.
    public var principal: Principal?
    /// A logger carrying the request id and client address as metadata.
    public var logger: Logger
    /// Receives authentication events for metrics.
    public var events: any SecurityEventSink

    public init(principal: Principal? = nil, logger: Logger, events: any SecurityEventSink = DiscardingEventSink()) {
        self.principal = principal
        self.logger = logger
        self.events = events
    }
}
