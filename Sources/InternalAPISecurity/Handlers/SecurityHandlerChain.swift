/// The ordered handlers of one API, run as the `SecurityHandler` protocol describes.
public struct SecurityHandlerChain: Sendable {
    public let handlers: [any SecurityHandler]

    public init(_ handlers: [any SecurityHandler]) {
        self.handlers = handlers
    }

    /// The result of running the chain on a request.
    public enum Decision: Sendable, Equatable {
        /// Every handler that protects the path proceeded; the principal is the last one set.
        case allowed(Principal?)
        /// A handler responded; send this response.
        case responded(SecurityResponse, handler: String)
    }

    /// Runs the handlers on `request`, whose `path` must already be normalised.
    ///
    /// - Throws: whatever a handler throws. The caller responds with 503 and never calls the resource.
    public func evaluate(_ request: SecurityRequest, logger: Logger, events: any SecurityEventSink) async throws
        -> Decision
    {
        if request.path == "/" {
            return .allowed(nil)
        }

        var context = SecurityContext(principal: nil, logger: logger, events: events)
        for handler in handlers where handler.protects(path: request.path) {
            switch try await handler.handle(request, context: context) {
            case .proceed(let principal):
                if let principal { context.principal = principal }
            case .respond(let response):
                return .responded(response, handler: handler.name)
            }
        }
        return .allowed(context.principal)
    }
}
