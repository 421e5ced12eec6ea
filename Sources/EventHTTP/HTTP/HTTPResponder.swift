/// The application side of the transport: turns each request into exactly one response.
///
/// `respond(to:writer:)` runs on the event loop thread that owns the connection, so it must not
/// block. Work that may block or take long (password hashing, network stores) belongs on
/// another thread or in a task, and its result goes back through `writer.send(_:)`, which may be
/// called from any thread. Running async code with `Task(executorPreference: writer.loop)`
/// keeps it on the loop until it first suspends, so the common case costs no thread hop.
///
/// A connection responds to its requests in order: the next request on it is read only after the
/// response to the current one has been sent.
public protocol HTTPResponder: Sendable {
    /// Handles one request. Call `writer.send(_:)` exactly once, now or later.
    func respond(to request: HTTPRequest, writer: HTTPResponseWriter)
}

/// An `HTTPResponder` backed by a closure, for small servers and tests.
public struct HTTPResponderFunction: HTTPResponder {
    private let body: @Sendable (HTTPRequest, HTTPResponseWriter) -> Void

    /// Wraps `body`, which runs on the connection's event loop thread.
    public init(_ body: @escaping @Sendable (HTTPRequest, HTTPResponseWriter) -> Void) {
        self.body = body
    }

    public func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        body(request, writer)
    }
}
