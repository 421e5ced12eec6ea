import InternalAPISecurity
import ManagementServer
import Testing

@Suite struct CORSTests {
    static let explicitList = CORSConfiguration(
        enabled: true, allowedOrigins: ["https://console.example.org"], allowedHeaders: ["Authorization", "X-Test-Key"])
    static let anyOrigin = CORSConfiguration(enabled: true, allowedOrigins: ["*"], allowedHeaders: [])

    static func preflightHeaders(origin: String) -> HTTPHeaders {
        ["Origin": origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-test-key"]
    }

    @Test func preflightBeforeAuthentication() async throws {
        let server = try TestServer(cors: Self.explicitList)
        let response = await server.send(
            "/management/users", method: "OPTIONS",
            headers: Self.preflightHeaders(origin: "https://console.example.org"))
        #expect(response.status == 204)
        #expect(response.headers["Access-Control-Allow-Origin"] == "https://console.example.org")
        #expect(response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST, OPTIONS")
        #expect(response.headers["Access-Control-Allow-Headers"] == "Authorization, X-Test-Key")
        #expect(response.headers["Access-Control-Max-Age"] == "600")
        #expect(response.headers["Vary"] == "Origin")
        #expect(server.userStore.listCount == 0)
    }

    @Test func preflightFromForeignOrigin() async throws {
        let server = try TestServer(cors: Self.explicitList)
        let response = await server.send(
            "/management/users", method: "OPTIONS", headers: Self.preflightHeaders(origin: "https://evil.example.net"))
        #expect(response.status == 204)
        #expect(response.headers["Access-Control-Allow-Origin"] == nil)
        #expect(response.headers["Access-Control-Allow-Methods"] == nil)
    }

    @Test func anyOriginAllowed() async throws {
        let server = try TestServer(cors: Self.anyOrigin)
        let preflight = await server.send(
            "/management/apis", method: "OPTIONS", headers: Self.preflightHeaders(origin: "https://anywhere.example"))
        #expect(preflight.headers["Access-Control-Allow-Origin"] == "*")
        #expect(preflight.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type")
        let response = await server.send(
            "/management/apis", headers: ["Origin": "https://anywhere.example", "X-Test-Key": "open-sesame"])
        #expect(response.status == 200)
        #expect(response.headers["Access-Control-Allow-Origin"] == "*")
    }

    @Test func headersStayOn401() async throws {
        let server = try TestServer(cors: Self.explicitList)
        let response = await server.send("/management/users", headers: ["Origin": "https://console.example.org"])
        #expect(response.status == 401)
        #expect(response.headers["Access-Control-Allow-Origin"] == "https://console.example.org")
        #expect(response.headers["Access-Control-Expose-Headers"]?.contains("WWW-Authenticate") == true)
        #expect(response.headers["Vary"] == "Origin")
    }

    @Test func foreignOriginGetsNoAllowOrigin() async throws {
        let server = try TestServer(cors: Self.explicitList)
        let response = await server.send(
            "/management/apis", headers: ["Origin": "https://evil.example.net", "X-Test-Key": "open-sesame"])
        #expect(response.status == 200)
        #expect(response.headers["Access-Control-Allow-Origin"] == nil)
        #expect(response.headers["Vary"] == "Origin")
    }

    @Test func disabledCORSRunsTheChain() async throws {
        let disabled = CORSConfiguration(enabled: false, allowedOrigins: ["*"], allowedHeaders: [])
        let server = try TestServer(cors: disabled)
        let response = await server.send(
            "/management/users", method: "OPTIONS",
            headers: Self.preflightHeaders(origin: "https://console.example.org"))
        #expect(response.status == 401)
        #expect(response.headers["Access-Control-Allow-Origin"] == nil)
    }
}
