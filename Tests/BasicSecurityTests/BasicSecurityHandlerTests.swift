import BasicSecurity
import Foundation
import InternalAPISecurity
import Testing

private let challenge = "Basic realm=\"WSO2 Micro Integrator Management API\", charset=\"UTF-8\""

/// One header through the handler: nil status means the request proceeds.
struct HeaderCase: Sendable, CustomTestStringConvertible {
    var label: String
    var header: String?
    var status: Int?
    var reason: String?

    var testDescription: String { label }
}

private let headerCases: [HeaderCase] = [
    HeaderCase(label: "valid admin", header: basicHeader("admin", "admin-secret")),
    HeaderCase(label: "lower-case scheme", header: "basic " + basicHeader("admin", "admin-secret").dropFirst(6)),
    HeaderCase(label: "upper-case scheme", header: "BASIC " + basicHeader("admin", "admin-secret").dropFirst(6)),
    HeaderCase(label: "UTF-8 user, colons in password", header: basicHeader("jörg", "pässword:with:colons")),
    HeaderCase(label: "no header", header: nil, status: 401, reason: "missing-credentials"),
    HeaderCase(label: "scheme alone", header: "Basic", status: 401, reason: "missing-credentials"),
    HeaderCase(
        label: "wrong password", header: basicHeader("admin", "nope"), status: 401, reason: "invalid-credentials"),
    HeaderCase(label: "unknown user", header: basicHeader("mallory", "x"), status: 401, reason: "invalid-credentials"),
    HeaderCase(label: "bad base64", header: "Basic YWRt!W46", status: 401, reason: "invalid-base64"),
    HeaderCase(label: "no colon", header: "Basic YWRtaW4=", status: 401, reason: "missing-colon"),
    HeaderCase(label: "tab after scheme", header: "Basic\tYWRtaW46eA==", status: 401, reason: "unsupported-scheme"),
    HeaderCase(label: "bearer token", header: "Bearer abc.def", status: 401, reason: "bearer-not-accepted"),
    HeaderCase(label: "other scheme", header: "Digest username=admin", status: 401, reason: "unsupported-scheme"),
]

@Suite("BasicSecurityHandler")
struct BasicSecurityHandlerTests {
    @Test("header table", arguments: headerCases)
    func headerTable(_ testCase: HeaderCase) async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore())
        let context = SecurityContext(logger: .disabled())

        let outcome = try await handler.handle(makeRequest(authorization: testCase.header), context: context)

        guard let status = testCase.status else {
            #expect(principal(of: outcome) != nil)
            return
        }
        let rejected = try #require(response(of: outcome))
        #expect(rejected.status == status)
        #expect(rejected.headers["WWW-Authenticate"] == challenge)
        #expect(rejected.headers["Cache-Control"] == "no-store")
        #expect(rejected.headers["Content-Type"] == "application/json")
        #expect(rejected.bodyText.hasPrefix("{\"Error\":"))
    }

    @Test("table reasons logged", arguments: headerCases.filter { $0.status != nil })
    func tableReasonsLogged(_ testCase: HeaderCase) async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore())
        let capture = LogCapture()
        let events = RecordingEventSink()
        let context = SecurityContext(logger: capture.logger(), events: events)

        _ = try await handler.handle(makeRequest(authorization: testCase.header), context: context)

        let lines = capture.entries(withMessage: BasicSecurityHandler.rejectionLogMessage.text)
        #expect(lines.count == 1)
        #expect(capture.entries.count == 1)
        #expect(lines.first?.level == .warning)
        #expect(lines.first?.metadata["reason"] == testCase.reason)
        #expect(lines.first?.metadata["client"] == "127.0.0.7")
        #expect(lines.first?.metadata["request_id"] == "req-1")
        #expect(events.events == [.rejected(handler: "BasicSecurityHandler", reason: testCase.reason ?? "")])
    }

    @Test("proceeds with store principal")
    func proceedsWithStorePrincipal() async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore())
        let events = RecordingEventSink()
        let context = SecurityContext(logger: .disabled(), events: events)

        let outcome = try await handler.handle(
            makeRequest(authorization: basicHeader("jörg", "pässword:with:colons")), context: context)

        #expect(principal(of: outcome) == Principal(username: "jörg", isAdmin: false))
        #expect(events.events == [.authenticated(handler: "BasicSecurityHandler")])
    }

    @Test("unknown user matches wrong password")
    func unknownUserMatchesWrongPassword() async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore())
        let context = SecurityContext(logger: .disabled())

        let wrongPassword = try await handler.handle(
            makeRequest(authorization: basicHeader("admin", "wrong")), context: context)
        let unknownUser = try await handler.handle(
            makeRequest(authorization: basicHeader("nobody", "wrong")), context: context)

        let first = try #require(response(of: wrongPassword))
        let second = try #require(response(of: unknownUser))
        #expect(first.status == 401)
        #expect(first.body == second.body)
        #expect(first.headers == second.headers)
        #expect(first == second)
    }

    @Test("failure log omits password")
    func failureLogOmitsPassword() async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore())
        let capture = LogCapture()
        let context = SecurityContext(logger: capture.logger())
        let password = "correct-horse-battery"
        let header = basicHeader("admin", password)

        _ = try await handler.handle(makeRequest(authorization: header, requestID: "req-42"), context: context)

        let lines = capture.entries(withMessage: BasicSecurityHandler.rejectionLogMessage.text)
        #expect(lines.count == 1)
        #expect(lines.first?.metadata["user"] == "admin")
        #expect(lines.first?.metadata["client"] == "127.0.0.7")
        #expect(lines.first?.metadata["request_id"] == "req-42")
        #expect(lines.first?.metadata["reason"] == "invalid-credentials")
        #expect(!capture.allText.contains(password))
        #expect(!capture.allText.contains(String(header.dropFirst(6))))
    }

    @Test("logged username is escaped")
    func loggedUsernameIsEscaped() async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore())
        let capture = LogCapture()
        let context = SecurityContext(logger: capture.logger())

        _ = try await handler.handle(
            makeRequest(authorization: basicHeader("eve\u{85}forged\u{2028}line\\", "x")), context: context)
        _ = try await handler.handle(
            makeRequest(authorization: basicHeader(String(repeating: "a", count: 500), "x")), context: context)

        let users = capture.entries.map { $0.metadata["user"] }
        #expect(users.first == "eve\\u{85}forged\\u{2028}line\\u{5c}")
        #expect(users.last == String(repeating: "a", count: 128) + "…")
    }

    @Test("cache hit skips store")
    func cacheHitSkipsStore() async throws {
        let store = makeUserStore()
        let handler = try BasicSecurityHandler(userStore: store)
        let context = SecurityContext(logger: .disabled())
        let request = makeRequest(authorization: basicHeader("admin", "admin-secret"))

        let first = try await handler.handle(request, context: context)
        let second = try await handler.handle(request, context: context)

        #expect(store.calls.count == 1)
        #expect(principal(of: first) == Principal(username: "admin", isAdmin: true))
        #expect(principal(of: second) == Principal(username: "admin", isAdmin: true))
    }

    @Test("cache separates passwords")
    func cacheSeparatesPasswords() async throws {
        let store = makeUserStore()
        let handler = try BasicSecurityHandler(userStore: store)
        let context = SecurityContext(logger: .disabled())

        _ = try await handler.handle(makeRequest(authorization: basicHeader("admin", "admin-secret")), context: context)
        let wrong = try await handler.handle(
            makeRequest(authorization: basicHeader("admin", "admin-secreT")), context: context)

        #expect(response(of: wrong)?.status == 401)
        #expect(store.calls.count == 2)
    }

    @Test("cache entry expires")
    func cacheEntryExpires() async throws {
        let store = makeUserStore()
        let clock = ManualClock()
        let handler = try BasicSecurityHandler(
            userStore: store, cacheSettings: .init(capacity: 16, timeToLive: 60), clock: clock)
        let context = SecurityContext(logger: .disabled())
        let request = makeRequest(authorization: basicHeader("admin", "admin-secret"))

        _ = try await handler.handle(request, context: context)
        clock.advance(by: 59)
        _ = try await handler.handle(request, context: context)
        #expect(store.calls.count == 1)

        clock.advance(by: 1)
        let afterExpiry = try await handler.handle(request, context: context)
        #expect(store.calls.count == 2)
        #expect(principal(of: afterExpiry) != nil)
    }

    @Test("failures not cached")
    func failuresNotCached() async throws {
        let store = makeUserStore()
        let handler = try BasicSecurityHandler(userStore: store)
        let context = SecurityContext(logger: .disabled())
        let wrong = makeRequest(authorization: basicHeader("admin", "wrong"))

        _ = try await handler.handle(wrong, context: context)
        let again = try await handler.handle(wrong, context: context)

        #expect(store.calls.count == 2)
        #expect(response(of: again)?.status == 401)
    }

    @Test("disabled cache asks store")
    func disabledCacheAsksStore() async throws {
        let store = makeUserStore()
        let handler = try BasicSecurityHandler(userStore: store, cacheSettings: .disabled)
        let context = SecurityContext(logger: .disabled())
        let request = makeRequest(authorization: basicHeader("admin", "admin-secret"))

        _ = try await handler.handle(request, context: context)
        let second = try await handler.handle(request, context: context)

        #expect(store.calls.count == 2)
        #expect(principal(of: second) != nil)
    }

    @Test("full cache evicts oldest")
    func fullCacheEvictsOldest() async throws {
        let store = makeUserStore()
        let clock = ManualClock()
        let handler = try BasicSecurityHandler(
            userStore: store, cacheSettings: .init(capacity: 1, timeToLive: 60), clock: clock)
        let context = SecurityContext(logger: .disabled())
        let admin = makeRequest(authorization: basicHeader("admin", "admin-secret"))
        let jorg = makeRequest(authorization: basicHeader("jörg", "pässword:with:colons"))

        _ = try await handler.handle(admin, context: context)
        clock.advance(by: 1)
        _ = try await handler.handle(jorg, context: context)
        _ = try await handler.handle(jorg, context: context)
        #expect(store.calls.count == 2)

        _ = try await handler.handle(admin, context: context)
        #expect(store.calls.count == 3)
    }

    @Test("concurrent hits share cache")
    func concurrentHitsShareCache() async throws {
        let store = makeUserStore()
        let handler = try BasicSecurityHandler(userStore: store)
        let context = SecurityContext(logger: .disabled())
        let request = makeRequest(authorization: basicHeader("admin", "admin-secret"))
        _ = try await handler.handle(request, context: context)

        let proceeded = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask { principal(of: try await handler.handle(request, context: context)) != nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }

        #expect(proceeded == 200)
        #expect(store.calls.count == 1)
    }

    @Test("concurrent eviction keeps principals")
    func concurrentEvictionKeepsPrincipals() async throws {
        let handler = try BasicSecurityHandler(
            userStore: makeUserStore(), cacheSettings: .init(capacity: 1, timeToLive: 60))
        let context = SecurityContext(logger: .disabled())
        let admin = makeRequest(authorization: basicHeader("admin", "admin-secret"))
        let jorg = makeRequest(authorization: basicHeader("jörg", "pässword:with:colons"))

        let usernames = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let outcome = try await handler.handle(index.isMultiple(of: 2) ? admin : jorg, context: context)
                    return (index, principal(of: outcome)?.username)
                }
            }
            return try await group.reduce(into: [Int: String?]()) { $0[$1.0] = $1.1 }
        }

        #expect(usernames.count == 200)
        #expect(usernames.allSatisfy { $0.value == ($0.key.isMultiple(of: 2) ? "admin" : "jörg") })
    }

    @Test("login and logout not found", arguments: ["/login", "/logout"])
    func loginAndLogoutNotFound(path: String) async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore())
        let context = SecurityContext(logger: .disabled())

        let valid = try await handler.handle(
            makeRequest(path: path, authorization: basicHeader("admin", "admin-secret")), context: context)
        let invalid = try await handler.handle(
            makeRequest(path: path, authorization: basicHeader("admin", "wrong")), context: context)

        let validResponse = try #require(response(of: valid))
        #expect(validResponse.status == 404)
        #expect(validResponse.headers["Cache-Control"] == "no-store")
        #expect(validResponse.headers["Content-Type"] == "application/json")
        #expect(validResponse.bodyText.contains("JWTTokenSecurityHandler"))
        #expect(validResponse.headers["WWW-Authenticate"] == nil)

        let invalidResponse = try #require(response(of: invalid))
        #expect(invalidResponse.status == 401)
        #expect(invalidResponse.headers["WWW-Authenticate"] == challenge)
    }

    @Test("bearer gets Basic challenge")
    func bearerGetsBasicChallenge() async throws {
        let store = makeUserStore()
        let handler = try BasicSecurityHandler(userStore: store)
        let context = SecurityContext(logger: .disabled())

        let outcome = try await handler.handle(
            makeRequest(authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), context: context)

        let rejected = try #require(response(of: outcome))
        #expect(rejected.status == 401)
        #expect(rejected.headers["WWW-Authenticate"] == challenge)
        #expect(rejected.headers.values("WWW-Authenticate").count == 1)
        #expect(store.calls.count == 0)
    }

    @Test("two Authorization headers rejected")
    func twoAuthorizationHeadersRejected() async throws {
        let store = makeUserStore()
        let handler = try BasicSecurityHandler(userStore: store)
        var request = makeRequest(authorization: basicHeader("admin", "admin-secret"))
        request.headers.add("Authorization", basicHeader("jörg", "pässword:with:colons"))

        let outcome = try await handler.handle(request, context: SecurityContext(logger: .disabled()))

        #expect(response(of: outcome)?.status == 401)
        #expect(store.calls.count == 0)
    }

    @Test("store failure propagates")
    func storeFailurePropagates() async throws {
        let handler = try BasicSecurityHandler(userStore: UnavailableUserStore())
        let capture = LogCapture()
        let context = SecurityContext(logger: capture.logger())
        let request = makeRequest(authorization: basicHeader("admin", "admin-secret"))

        let error = await #expect(throws: SecurityError.self) {
            try await handler.handle(request, context: context)
        }

        #expect(error?.code == .storeFailed)
        #expect(capture.entries(withMessage: BasicSecurityHandler.rejectionLogMessage.text).isEmpty)
    }

    @Test("custom realm in challenge")
    func customRealmInChallenge() async throws {
        let handler = try BasicSecurityHandler(userStore: makeUserStore(), realm: "ops \"east\"")

        let outcome = try await handler.handle(makeRequest(), context: SecurityContext(logger: .disabled()))

        #expect(
            response(of: outcome)?.headers["WWW-Authenticate"] == "Basic realm=\"ops \\\"east\\\"\", charset=\"UTF-8\"")
    }

    @Test("invalid settings rejected")
    func invalidSettingsRejected() throws {
        #expect(throws: SecurityError.self) {
            try BasicSecurityHandler(userStore: makeUserStore(), realm: "")
        }
        #expect(throws: SecurityError.self) {
            try BasicSecurityHandler(userStore: makeUserStore(), realm: "line\r\nbreak")
        }
        #expect(throws: SecurityError.self) {
            try BasicSecurityHandler(userStore: makeUserStore(), cacheSettings: .init(capacity: -1, timeToLive: 60))
        }
        #expect(throws: SecurityError.self) {
            try BasicSecurityHandler(userStore: makeUserStore(), cacheSettings: .init(capacity: 8, timeToLive: .nan))
        }
        #expect(throws: SecurityError.self) {
            try BasicSecurityHandler(userStore: makeUserStore(), cacheSettings: .init(capacity: 8, timeToLive: 7200))
        }
    }

    @Test("resources limit protection")
    func resourcesLimitProtection() throws {
        let handler = try BasicSecurityHandler(resources: ResourceSet(["/users"]), userStore: makeUserStore())
        let everything = try BasicSecurityHandler(userStore: makeUserStore())

        #expect(handler.protects(path: "/users"))
        #expect(handler.protects(path: "/users/alice"))
        #expect(!handler.protects(path: "/usersX"))
        #expect(!handler.protects(path: "/apis"))
        #expect(everything.protects(path: "/apis"))
        #expect(everything.protects(path: "/login"))
    }
}
