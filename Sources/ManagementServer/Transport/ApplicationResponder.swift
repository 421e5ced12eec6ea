import EventHTTP
import InternalAPISecurity

/// Passes requests from the transport to the current `ManagementApplication` and sends its
/// responses back through the transport.
///
/// The application's async chain runs in a task whose executor preference is the connection's
/// event loop, so a request that never suspends (a bearer token in the in-memory store, a
/// Basic credential in the handler's cache) is decided on the loop thread without a thread
/// hop. Work that suspends (a slow user store, hashing moved to `BlockingWork`) resumes on
/// the same loop, which owns the connection.
struct ApplicationResponder: HTTPResponder {
    let holder: AssemblyHolder
    /// The transport this responder's listener serves, so APIs are routed only on their protocols.
    let transport: APIProtocol
    let requestIDs: RequestIdentifierSource

    func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        var headers = HTTPHeaders()
        for field in request.headers {
            headers.add(field.name, field.value)
        }
        // HEAD reaches the application as HEAD, so handlers can refuse it where a GET would act
        // (a login that issues a token no client receives). The application responds with the
        // GET's Content-Length and no body, and the transport keeps that length.
        let applicationRequest = ApplicationRequest(
            method: request.method, target: request.target, headers: headers, body: request.body,
            clientAddress: request.remoteAddress, requestID: requestIDs.next(), transport: transport)
        let application = holder.current.application

        Task(executorPreference: writer.loop) {
            let response = await application.handle(applicationRequest)
            writer.send(
                HTTPResponse(
                    status: response.status,
                    headers: response.headers.fields.map { (name: $0.name, value: $0.value) },
                    body: response.body))
        }
    }
}
