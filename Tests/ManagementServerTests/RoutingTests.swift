import Foundation
import InternalAPISecurity
import ManagementServer
import Testing

@Suite struct RoutingTests {
    @Test func rootNeedsNoCredentials() async throws {
        let server = try TestServer()
        let response = await server.send("/management", headers: [:])
        #expect(response.status == 200)
        let body = try jsonObject(response)
        #expect(body["name"] as? String == "ManagementApi")
        #expect(body["version"] as? String == "9.9.9")
    }

    @Test func rootWithTrailingSlash() async throws {
        let server = try TestServer()
        let response = await server.send("/management/", headers: [:])
        #expect(response.status == 200)
    }

    @Test func contextMatchesOnSegmentBoundary() async throws {
        let server = try TestServer()
        let response = await server.send("/managementX/users")
        #expect(response.status == 404)
        #expect(try jsonObject(response)["Error"] as? String == "No API is served at /managementX/users")
        #expect(server.userStore.listCount == 0)
    }

    @Test func unknownPathOutsideAPIs() async throws {
        let server = try TestServer()
        let response = await server.send("/other")
        #expect(response.status == 404)
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test(arguments: ["/management/applications", "/management/applications/x", "/management/carbon-apps"])
    func aliasGetsTargetDecision(target: String) async throws {
        let server = try TestServer(handlers: [HeaderKeyHandler(), ForbiddingHandler(resources: ["/carbon-apps"])])
        let response = await server.send(target)
        #expect(response.status == 403)
    }

    @Test func resourceNeedsCredentials() async throws {
        let server = try TestServer()
        let response = await server.send("/management/users", headers: [:])
        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == "Key realm=\"test\"")
        #expect(server.userStore.listCount == 0)
    }

    @Test(arguments: ["/management//users", "/management/./users", "/management/x/../users", "/management/%75sers"])
    func normalisedPathIsProtected(target: String) async throws {
        let server = try TestServer()
        let rejected = await server.send(target, headers: [:])
        #expect(rejected.status == 401)
        let accepted = await server.send(target)
        #expect(accepted.status == 200)
        #expect(try jsonObject(accepted)["count"] as? Int == 1)
    }

    @Test(arguments: ["/management/..%2fx", "/management/../..", "/management/%2e%2e/%2e%2e", "/management/a%00b"])
    func invalidPathGets400(target: String) async throws {
        let server = try TestServer()
        let response = await server.send(target)
        #expect(response.status == 400)
        #expect(try jsonObject(response)["Error"] != nil)
        #expect(server.logs.entries(withMessage: "Rejected an invalid request path").count == 1)
    }

    @Test func unknownResourceAfterAuthentication() async throws {
        let server = try TestServer()
        let anonymous = await server.send("/management/nothing-here", headers: [:])
        #expect(anonymous.status == 401)
        let authenticated = await server.send("/management/nothing-here")
        #expect(authenticated.status == 404)
        #expect(try jsonObject(authenticated)["Error"] as? String == "Resource /nothing-here not found")
    }

    @Test func unsupportedMethodGets405() async throws {
        let server = try TestServer()
        let response = await server.send("/management/apis", method: "DELETE")
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
        #expect(try jsonObject(response)["Error"] != nil)
    }

    @Test func optionsWithoutPreflightListsMethods() async throws {
        let server = try TestServer()
        let response = await server.send("/management/apis", method: "OPTIONS")
        #expect(response.status == 204)
        #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
    }

    @Test func headHasNoBody() async throws {
        let server = try TestServer()
        let get = await server.send("/management/apis", method: "GET")
        let head = await server.send("/management/apis", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Length"] == String(get.body.count))
        #expect(head.headers["Content-Type"] == "application/json")
    }

    @Test func handlerThrowGets503() async throws {
        let server = try TestServer(handlers: [ThrowingHandler()])
        let response = await server.send("/management/users")
        #expect(response.status == 503)
        #expect(try jsonObject(response)["Error"] as? String == "Authentication is unavailable, try again later")
        #expect(server.userStore.listCount == 0)
        let logged = server.logs.entries(withMessage: "Security handler failed")
        #expect(logged.count == 1)
        #expect(logged.first?.level == .error)
        #expect(logged.first?.metadata["error"]?.contains("Token store is down") == true)
        #expect(logged.first?.metadata["request_id"] == "req-1")
    }

    @Test func respondingHandlerIsSentAsIs() async throws {
        let server = try TestServer(handlers: [HeaderKeyHandler(), ForbiddingHandler(resources: ["/users"])])
        let forbidden = await server.send("/management/users")
        #expect(forbidden.status == 403)
        #expect(try jsonObject(forbidden)["Error"] as? String == "Forbidden")
        #expect(server.userStore.listCount == 0)
        let other = await server.send("/management/apis")
        #expect(other.status == 200)
    }

    @Test func loginWithoutTokenHandler() async throws {
        let server = try TestServer(handlers: [])
        for path in ["/login", "/logout"] {
            let response = await server.send("/management\(path)")
            #expect(response.status == 404)
            let message = try jsonObject(response)["Error"] as? String
            #expect(message == "\(path) is served by JWTTokenSecurityHandler, which this API does not engage")
        }
    }

    @Test func apiOnlyOnItsProtocols() async throws {
        let server = try TestServer()
        let overHTTP = await server.send("/management/apis", transport: .http)
        #expect(overHTTP.status == 404)
        let overHTTPS = await server.send("/management/apis", transport: .https)
        #expect(overHTTPS.status == 200)
        let metricsOverHTTPS = await server.send("/metric-service/metrics", transport: .https)
        #expect(metricsOverHTTPS.status == 404)
    }

    @Test func managementOnBothProtocols() async throws {
        let server = try TestServer(managementProtocols: [.http, .https])
        let overHTTP = await server.send("/management/apis", transport: .http)
        #expect(overHTTP.status == 200)
    }

    @Test func everyResponseCarriesCommonHeaders() async throws {
        let server = try TestServer()
        let responses = [
            await server.send("/management", headers: [:]),
            await server.send("/management/users", headers: [:]),
            await server.send("/management/apis"),
            await server.send("/management/nothing"),
            await server.send("/management/apis", method: "POST"),
        ]
        for response in responses {
            #expect(response.headers["Cache-Control"] == "no-store")
            #expect(response.headers["X-Request-ID"] == "req-1")
        }
        let outside = await server.send("/../x")
        #expect(outside.headers["X-Request-ID"] == "req-1")
    }

    @Test func duplicateContextIsRejected() throws {
        let first = try ServedAPI(name: "A", kind: .management, protocols: [.https])
        let second = try ServedAPI(name: "B", kind: .management, protocols: [.http, .https])
        #expect(throws: SecurityError.self) {
            try ManagementApplication(
                apis: [first, second], userStore: CountingUserStore(), sampleData: try SampleData.bundled(),
                metrics: Metrics(), logger: .disabled())
        }
    }

    @Test(arguments: ["management", "/", "/../x"])
    func invalidContextIsRejected(context: String) {
        #expect(throws: SecurityError.self) {
            try ServedAPI(name: "A", kind: .management, context: context, protocols: [.https])
        }
    }

    @Test func contextIsNormalised() throws {
        let api = try ServedAPI(name: "A", kind: .management, context: "/management/", protocols: [.https])
        #expect(api.context == "/management")
    }

    @Test func servedAPIFromConfiguration() throws {
        let cors = CORSConfiguration(enabled: true, allowedOrigins: ["*"], allowedHeaders: [])
        let configuration = APIConfiguration(
            name: "MetricsApi", className: "MetricAPI", protocols: [.http], handlers: [], cors: cors, element: nil,
            kind: .prometheus)
        let api = try ServedAPI(configuration: configuration, chain: SecurityHandlerChain([]))
        #expect(api.name == "MetricsApi")
        #expect(api.kind == .prometheus)
        #expect(api.context == "/metric-service")
        #expect(api.protocols == [.http])
        #expect(api.cors == cors)
    }

    @Test func nestedContextWins() async throws {
        let outer = try ServedAPI(name: "Outer", kind: .liveness, context: "/ops", protocols: [.http])
        let inner = try ServedAPI(name: "Inner", kind: .management, context: "/ops/admin", protocols: [.http])
        let application = try ManagementApplication(
            apis: [outer, inner], userStore: CountingUserStore(), sampleData: try SampleData.bundled(),
            metrics: Metrics(), logger: .disabled())
        let response = await application.handle(
            ApplicationRequest(method: "GET", target: "/ops/admin", transport: .http))
        #expect(try jsonObject(response)["name"] as? String == "Inner")
    }
}
