import Foundation
import InternalAPISecurity
import JWTTokenSecurity

/// Measures token issuing and bearer validation of `JWTTokenSecurityHandler` on one core.
///
/// Usage: `jwt-benchmark [--seconds N]` (default 3, at most 60). Each phase runs until the
/// time is up or its iteration cap is reached, then prints `name=value` lines that
/// `Benchmarks/jwt/run.sh` reads.
@main
struct JWTBenchmark {
    static func main() async throws {
        let seconds = try parseSeconds(CommandLine.arguments)
        let key = try RSASigningKey.generate(bits: 2048)
        let issuer = try TokenIssuer(key: key, lifetime: 3600)
        let clock = SystemClock()

        let issue = try await measureIssue(issuer: issuer, clock: clock, seconds: seconds)
        print("issue_iterations=\(issue.iterations)")
        print("logins_per_second=\(format(issue.rate))")

        let login = try await measureLogin(issuer: issuer, seconds: seconds)
        print("handler_logins_per_second=\(format(login.rate))")

        let bearer = try await measureBearer(issuer: issuer, seconds: seconds)
        print("bearer_iterations=\(bearer.iterations)")
        print("bearer_ns_per_request=\(format(1e9 / bearer.rate))")

        let parts = try await measureBearerParts(issuer: issuer, seconds: min(seconds, 1))
        print("parse_header_ns=\(format(1e9 / parts.parse.rate))")
        print("token_sha256_ns=\(format(1e9 / parts.digest.rate))")
        print("store_validate_ns=\(format(1e9 / parts.validate.rate))")
    }

    struct Measurement {
        var iterations: Int
        var elapsed: Double
        var rate: Double { Double(iterations) / elapsed }
    }

    /// Token issue: one RS256 signature plus one insert into a store of 200 with eviction.
    static func measureIssue(issuer: TokenIssuer, clock: SystemClock, seconds: Double) async throws -> Measurement {
        let store = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 200, removeOldestOnOverflow: true))
        let principal = Principal(username: "admin", isAdmin: true)
        return try await measure(seconds: seconds, maxIterations: 100_000) {
            let now = clock.now()
            let issued = try issuer.issue(for: principal, at: now)
            _ = store.insert(issued.record, now: now)
        }
    }

    /// A whole `/login` through the handler: Basic parsing, a user store lookup, issue and insert.
    static func measureLogin(issuer: TokenIssuer, seconds: Double) async throws -> Measurement {
        let handler = try makeHandler(issuer: issuer, maxSize: 200)
        let request = SecurityRequest(
            method: "POST", path: "/login",
            headers: ["Authorization": "Basic " + Data("admin:admin".utf8).base64EncodedString()])
        let context = SecurityContext(logger: .disabled())
        let result = try await measure(seconds: seconds, maxIterations: 100_000) {
            _ = try await handler.handle(request, context: context)
        }
        handler.shutDown()
        return result
    }

    /// A bearer request through the handler: header parsing, SHA-256 and a store lookup,
    /// with 200 tokens in the store.
    static func measureBearer(issuer: TokenIssuer, seconds: Double) async throws -> Measurement {
        let handler = try makeHandler(issuer: issuer, maxSize: 200)
        let context = SecurityContext(logger: .disabled())
        var token = ""
        for _ in 0..<200 {
            let login = SecurityRequest(
                method: "POST", path: "/login",
                headers: ["Authorization": "Basic " + Data("admin:admin".utf8).base64EncodedString()])
            guard case .respond(let response) = try await handler.handle(login, context: context),
                let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String],
                let issued = body["AccessToken"]
            else {
                throw SecurityError(.invalidArgument, reason: "Benchmark login did not return a token")
            }
            token = issued
        }
        let request = SecurityRequest(method: "GET", path: "/apis", headers: ["Authorization": "Bearer " + token])
        let result = try await measure(seconds: seconds, maxIterations: 20_000_000) {
            guard case .proceed = try await handler.handle(request, context: context) else {
                throw SecurityError(.invalidArgument, reason: "Benchmark bearer request was rejected")
            }
        }
        handler.shutDown()
        return result
    }

    /// Measures the steps of a bearer request one by one, to show where its time goes.
    static func measureBearerParts(issuer: TokenIssuer, seconds: Double) async throws
        -> (parse: Measurement, digest: Measurement, validate: Measurement)
    {
        let store = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 200, removeOldestOnOverflow: true))
        let now = Date()
        var issued: [IssuedToken] = []
        for _ in 0..<200 {
            let token = try issuer.issue(for: Principal(username: "admin"), at: now)
            _ = store.insert(token.record, now: now)
            issued.append(token)
        }
        let token = issued[issued.count - 1].token
        let header = "Bearer " + token
        let digest = issued[issued.count - 1].record.digest

        let parse = try await measure(seconds: seconds, maxIterations: 20_000_000) {
            guard case .bearer = try AuthorizationCredentials.parse(header) else {
                throw SecurityError(.invalidArgument, reason: "Benchmark header did not parse as Bearer")
            }
        }
        let hashing = try await measure(seconds: seconds, maxIterations: 20_000_000) {
            _ = try TokenDigest(sha256Of: token)
        }
        let validate = try await measure(seconds: seconds, maxIterations: 20_000_000) {
            guard store.validate(digest, now: now) != nil else {
                throw SecurityError(.invalidArgument, reason: "Benchmark token was not found")
            }
        }
        return (parse, hashing, validate)
    }

    static func makeHandler(issuer: TokenIssuer, maxSize: Int) throws -> JWTTokenSecurityHandler {
        let store = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: maxSize, removeOldestOnOverflow: true))
        let cleanup = try TokenCleanupTask(
            store: store, interval: .seconds(600), clock: SystemClock(), logger: .disabled())
        return JWTTokenSecurityHandler(
            name: "benchmark", resources: try ResourceSet(["/apis"]), userStore: SingleUserStore(), tokenStore: store,
            issuer: issuer, cleanup: cleanup)
    }

    /// Runs `body` in batches until `seconds` have passed or `maxIterations` ran.
    static func measure(seconds: Double, maxIterations: Int, _ body: () async throws -> Void) async throws
        -> Measurement
    {
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        var iterations = 0
        var now = start
        while now < deadline, iterations < maxIterations {
            for _ in 0..<64 {
                try await body()
            }
            iterations += 64
            now = DispatchTime.now().uptimeNanoseconds
        }
        return Measurement(iterations: iterations, elapsed: Double(now - start) / 1e9)
    }

    static func parseSeconds(_ arguments: [String]) throws -> Double {
        guard let flag = arguments.firstIndex(of: "--seconds") else { return 3 }
        guard flag + 1 < arguments.count, let seconds = Double(arguments[flag + 1]), seconds > 0, seconds <= 60 else {
            throw SecurityError(
                .invalidArgument, reason: "--seconds needs a number from 0 to 60", fix: "for example --seconds 3")
        }
        return seconds
    }

    static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

/// A user store with one user, `admin`/`admin`, so the login phase measures the handler and not a password hash.
struct SingleUserStore: UserStore {
    var kind: String { "benchmark" }

    func authenticate(username: String, password: String) async throws -> Principal? {
        username == "admin" && password == "admin" ? Principal(username: "admin", isAdmin: true) : nil
    }

    func users() async throws -> [UserSummary] {
        [UserSummary(username: "admin", isAdmin: true)]
    }
}
