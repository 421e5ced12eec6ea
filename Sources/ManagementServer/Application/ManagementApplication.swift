import InternalAPISecurity
import Synchronization

/// The reference server's application layer: routes a request to its API, responds to CORS
/// preflights, runs the API's security handler chain and serves the resource, with no
/// knowledge of sockets or HTTP libraries.
///
/// A transport builds an `ApplicationRequest` for each request, awaits `handle(_:)` and writes
/// the returned `SecurityResponse` as it is. Safe to call from many tasks at once.
public final class ManagementApplication: Sendable {
    /// The version reported by each management API root document.
    public static let defaultVersion = "1.0.0"

    /// An API with everything routing needs, prepared once at start. A class, so that
    /// matching a request copies one reference.
    private final class Route: Sendable {
        let api: ServedAPI
        let cors: CORSPolicy?
        let metrics: APIRequestMetrics
        let managementRouter: ManagementRouter?

        init(api: ServedAPI, cors: CORSPolicy?, metrics: APIRequestMetrics, managementRouter: ManagementRouter?) {
            self.api = api
            self.cors = cors
            self.metrics = metrics
            self.managementRouter = managementRouter
        }
    }

    /// The APIs, longest context first, so a nested context wins over its parent.
    private let routes: [Route]
    private let unmatchedMetrics: APIRequestMetrics
    private let ready: Atomic<Bool>
    /// The metrics this application records into and serves on its Prometheus APIs.
    public let metrics: Metrics
    private let logger: Logger

    /// Creates the application.
    ///
    /// - Parameters:
    ///   - apis: The APIs to serve. Each request goes to the API with the longest context
    ///     that contains its path and is served on the request's transport.
    ///   - userStore: The store listed by `/users`.
    ///   - sampleData: The content of the management resources.
    ///   - metrics: Where requests and security events are counted. Pass the same object to
    ///     handlers that record events outside a request, such as a token cleanup task.
    ///   - logger: The application's logger. Each request's lines carry `request_id` and
    ///     `client` metadata.
    ///   - version: The version in each management API root document.
    ///   - ready: The initial readiness. Call `setReady(true)` once the listeners accept
    ///     connections, and `setReady(false)` when draining starts.
    /// - Throws: `invalidConfiguration` when two APIs share a context on the same protocol.
    public init(
        apis: [ServedAPI],
        userStore: any UserStore,
        sampleData: SampleData,
        metrics: Metrics,
        logger: Logger,
        version: String = ManagementApplication.defaultVersion,
        ready: Bool = false
    ) throws {
        for (index, api) in apis.enumerated() {
            for other in apis[..<index]
            where other.context == api.context && !other.protocols.isDisjoint(with: api.protocols) {
                throw SecurityError(
                    .invalidConfiguration, reason: "Two APIs share a context on the same protocol",
                    value: "\(other.name) and \(api.name) at \(api.context)",
                    fix: "give each API its own context or serve them on different protocols")
            }
        }

        routes = apis.sorted { $0.context.utf8.count > $1.context.utf8.count }.map { api in
            Route(
                api: api,
                cors: CORSPolicy(api.cors),
                metrics: metrics.requestMetrics(forAPI: api.name),
                managementRouter: api.kind == .management
                    ? ManagementRouter(
                        apiName: api.name, serverVersion: version, sampleData: sampleData, userStore: userStore)
                    : nil)
        }
        unmatchedMetrics = metrics.requestMetrics(forAPI: Metrics.unmatchedAPILabel)
        self.ready = Atomic(ready)
        self.metrics = metrics
        self.logger = logger
    }

    /// Marks the server ready (readiness probes get 200) or draining (they get 503).
    public func setReady(_ isReady: Bool) {
        ready.store(isReady, ordering: .relaxed)
    }

    /// Whether readiness probes currently get 200.
    public var isReady: Bool {
        ready.load(ordering: .relaxed)
    }

    /// Handles one request. Never throws, and the only 5xx it produces itself is 503.
    ///
    /// In order: a path that `RequestPath.normalize(_:)` rejects gets 400; a path outside
    /// every API served on `request.transport` gets 404; a CORS preflight to a CORS-enabled
    /// API is answered before authentication; then the API's handler chain runs on the path
    /// relative to the context (`/management/login` becomes `/login`). A handler that throws
    /// gets 503 and the resource is not called; a handler that responds has its response
    /// sent. Only then is the resource found (404), the method checked (405 with `Allow`)
    /// and the resource served.
    ///
    /// Every response carries `X-Request-ID`; every response of a management API carries
    /// `Cache-Control: no-store`; every response of a CORS-enabled API carries its CORS
    /// headers, 401s included. A `HEAD` request is answered as `GET` with an empty body and a
    /// `Content-Length` header giving the length of the `GET` body: a transport must send
    /// that header as it is and no body.
    public func handle(_ request: ApplicationRequest) async -> SecurityResponse {
        let start = ContinuousClock.now

        let path: String
        do {
            path = try RequestPath.normalize(String(request.rawPath))
        } catch {
            logger.info(
                "Rejected an invalid request path",
                metadata: requestMetadata(
                    request, ["path": String(request.rawPath), "error": String(describing: error)]))
            let message = (error as? SecurityError)?.reason ?? "Request path is invalid"
            let response = SecurityResponse.error(status: 400, message: message)
            return finish(response, request: request, route: nil, metrics: unmatchedMetrics, start: start)
        }

        guard let (route, relativePath) = match(path, transport: request.transport) else {
            let response = SecurityResponse.error(status: 404, message: "No API is served at \(path)")
            return finish(response, request: request, route: nil, metrics: unmatchedMetrics, start: start)
        }

        if let cors = route.cors, CORSPolicy.isPreflight(request) {
            let response = cors.preflightResponse(origin: request.headers.first("Origin"))
            return finish(response, request: request, route: route, metrics: route.metrics, start: start)
        }

        let canonicalPath = route.api.kind == .management ? SampleResource.canonicalPath(relativePath) : relativePath
        let response = await authorizeAndServe(request, route: route, relativePath: canonicalPath)
        return finish(response, request: request, route: route, metrics: route.metrics, start: start)
    }

    private func match(_ path: String, transport: APIProtocol) -> (Route, String)? {
        for route in routes where route.api.protocols.contains(transport) {
            if let relative = route.api.relativePath(of: path) {
                return (route, relative)
            }
        }
        return nil
    }

    private func authorizeAndServe(_ request: ApplicationRequest, route: Route, relativePath: String) async
        -> SecurityResponse
    {
        let securityRequest = SecurityRequest(
            method: request.method, path: relativePath, apiContext: route.api.context, query: request.query,
            headers: request.headers, body: request.body, clientAddress: request.clientAddress,
            requestID: request.requestID)
        let requestLogger = logger.with(["request_id": request.requestID, "client": request.clientAddress])

        let decision: SecurityHandlerChain.Decision
        do {
            decision = try await route.api.chain.evaluate(securityRequest, logger: requestLogger, events: metrics)
        } catch {
            requestLogger.error(
                "Security handler failed",
                metadata: [
                    "api": route.api.name, "path": relativePath, "status": "503", "error": String(describing: error),
                ])
            return SecurityResponse.error(status: 503, message: "Authentication is unavailable, try again later")
        }

        switch decision {
        case .responded(let response, _):
            return response
        case .allowed:
            return await serve(securityRequest, route: route, logger: requestLogger)
        }
    }

    private func serve(_ request: SecurityRequest, route: Route, logger: Logger) async -> SecurityResponse {
        switch route.api.kind {
        case .management:
            guard let router = route.managementRouter else {
                return SecurityResponse.error(status: 404, message: "Resource \(request.path) not found")
            }
            return await router.respond(to: request, logger: logger)
        case .prometheus:
            guard request.path == "/metrics" else {
                return SecurityResponse.error(status: 404, message: "Resource \(request.path) not found")
            }
            return await onlyReads(request) {
                let text = await metrics.exposition()
                return SecurityResponse(
                    status: 200, headers: ["Content-Type": PrometheusText.contentType], body: Array(text.utf8))
            }
        case .readiness:
            guard request.path == "/" else {
                return SecurityResponse.error(status: 404, message: "Resource \(request.path) not found")
            }
            return await onlyReads(request) {
                isReady
                    ? .json(status: 200, body: "{\"status\":\"ready\"}")
                    : .json(status: 503, body: "{\"status\":\"draining\"}")
            }
        case .liveness:
            guard request.path == "/" else {
                return SecurityResponse.error(status: 404, message: "Resource \(request.path) not found")
            }
            return await onlyReads(request) { .json(status: 200, body: "{\"status\":\"alive\"}") }
        }
    }

    /// Serves `body` for GET and HEAD, responds to OPTIONS with `Allow` and to any other method
    /// with 405.
    private func onlyReads(_ request: SecurityRequest, _ body: () async -> SecurityResponse) async -> SecurityResponse {
        switch request.method {
        case "GET", "HEAD":
            return await body()
        case "OPTIONS":
            return SecurityResponse(status: 204, headers: ["Allow": ManagementRouter.allowedMethods])
        default:
            return SecurityResponse.error(
                status: 405, message: "Method \(request.method) is not allowed on \(request.path)",
                headers: ["Allow": ManagementRouter.allowedMethods])
        }
    }

    /// Adds the headers every response of the route carries, applies HEAD and counts it.
    private func finish(
        _ response: SecurityResponse, request: ApplicationRequest, route: Route?, metrics: APIRequestMetrics,
        start: ContinuousClock.Instant
    ) -> SecurityResponse {
        var response = response
        response.headers.set("X-Request-ID", request.requestID)
        if let route {
            if route.api.kind == .management {
                response.headers.set("Cache-Control", "no-store")
            }
            route.cors?.decorate(&response, origin: request.headers.first("Origin"))
        }
        if request.method == "HEAD" {
            response.headers.set("Content-Length", String(response.body.count))
            response.body = []
        }
        metrics.record(status: response.status, duration: ContinuousClock.now - start)
        return response
    }

    private func requestMetadata(_ request: ApplicationRequest, _ extra: Logger.Metadata) -> Logger.Metadata {
        extra.merging(["request_id": request.requestID, "client": request.clientAddress]) { current, _ in current }
    }
}
