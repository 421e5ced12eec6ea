import Foundation
import InternalAPISecurity
import JWTTokenSecurity

/// One RSA-2048 key for the whole test run, because generating one takes a large fraction of a second.
enum TestKeys {
    static let signing: RSASigningKey = {
        do {
            return try RSASigningKey.generate(bits: 2048)
        } catch {
            fatalError("RSA key generation failed: \(error)")
        }
    }()
}

/// A handler on an in-memory store with a manual clock, plus what its tests inspect.
struct HandlerFixture {
    let handler: JWTTokenSecurityHandler
    let store: InMemoryTokenStore
    let clock: ManualClock
    let events = RecordingEventSink()
    let logs = LogCapture()
    let sleeper = ManualSleeper()

    static let resources = ["/apis", "/users"]

    init(maxSize: Int = 10, removeOldestOnOverflow: Bool = true, lifetime: Int = 3600) throws {
        clock = ManualClock(TokenRecords.start)
        store = try InMemoryTokenStore(
            limits: TokenStoreLimits(maxSize: maxSize, removeOldestOnOverflow: removeOldestOnOverflow))
        let sleeper = self.sleeper
        let cleanup = try TokenCleanupTask(
            store: store, interval: .seconds(600), clock: clock, logger: .disabled(),
            sleeper: { try await sleeper.sleep($0) })
        handler = JWTTokenSecurityHandler(
            name: "JWTTokenSecurityHandler", resources: try ResourceSet(Self.resources), userStore: FixedUserStore(),
            tokenStore: store, issuer: try TokenIssuer(key: TestKeys.signing, lifetime: lifetime), cleanup: cleanup,
            realm: "Test Realm", clock: clock)
    }

    var context: SecurityContext {
        SecurityContext(logger: logs.logger(), events: events)
    }

    /// A context whose logger discards lines, for tests that run many requests in parallel.
    /// `LogCapture` guards its lines with a `Mutex`, and ThreadSanitizer cannot see a contended
    /// `Mutex` hand-over on Linux, so capturing there would report false races.
    var parallelContext: SecurityContext {
        SecurityContext(logger: .disabled(), events: events)
    }

    func handle(_ request: SecurityRequest, context: SecurityContext? = nil) async throws -> SecurityOutcome {
        try await handler.handle(request, context: context ?? self.context)
    }

    static func basicHeader(_ username: String, _ password: String) -> String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    static func request(_ path: String, method: String = "GET", authorization: String? = nil) -> SecurityRequest {
        var headers = HTTPHeaders()
        if let authorization { headers.add("Authorization", authorization) }
        return SecurityRequest(
            method: method, path: path, headers: headers, clientAddress: "127.0.0.1", requestID: "req-1")
    }

    /// Logs in and returns the token, or nil when the response is not a 200 with a token.
    func login(_ username: String = "alice", _ password: String = "alice-secret", context: SecurityContext? = nil)
        async throws -> String?
    {
        let outcome = try await handle(
            Self.request("/login", method: "POST", authorization: Self.basicHeader(username, password)),
            context: context)
        guard case .respond(let response) = outcome, response.status == 200 else { return nil }
        let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return body?["AccessToken"] as? String
    }

    /// Sends `token` as a bearer token to `path`.
    func bearer(_ token: String, path: String = "/apis", method: String = "GET", context: SecurityContext? = nil)
        async throws -> SecurityOutcome
    {
        try await handle(Self.request(path, method: method, authorization: "Bearer " + token), context: context)
    }
}

extension SecurityOutcome {
    /// The response of a `.respond` outcome, or nil for `.proceed`.
    var response: SecurityResponse? {
        if case .respond(let response) = self { return response }
        return nil
    }

    /// The principal of a `.proceed` outcome, or nil.
    var principal: Principal? {
        if case .proceed(let principal) = self { return principal }
        return nil
    }
}
