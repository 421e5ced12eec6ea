import CShims
import InternalAPISecurity
import Synchronization

/// The server's Prometheus metrics, and the `SecurityEventSink` that feeds the authentication
/// counters.
///
/// Every metric name starts with `internal_api_`. Request counters and durations are atomic,
/// so recording a request takes no lock. Security events take a short lock around one
/// dictionary update, because their labels (handler names, reasons) are not known in advance.
/// Safe to use from any thread.
public final class Metrics: SecurityEventSink {
    /// The prefix of every metric name.
    public static let prefix = "internal_api_"
    /// The `api` label of requests that matched no API.
    public static let unmatchedAPILabel = "none"

    private struct AuthenticationKey: Hashable {
        var handler: String
        var outcome: String
        var reason: String
    }

    private let apis = Mutex<[String: APIRequestMetrics]>([:])
    private let authentications = Mutex<[AuthenticationKey: UInt64]>([:])
    private let logins = AtomicCounter()
    private let logouts = AtomicCounter()
    private let evictions = AtomicCounter()
    private let tokenStoreFull = AtomicCounter()
    private let tokenCountSource = Mutex<(@Sendable () async throws -> Int)?>(nil)

    public init() {}

    /// Sets the closure that reports how many tokens the token store holds, for the
    /// `token_store_size` gauge. Without one, the gauge is left out. A closure that throws
    /// leaves the gauge out of that scrape.
    public func setTokenCountSource(_ source: @escaping @Sendable () async throws -> Int) {
        tokenCountSource.withLock { $0 = source }
    }

    /// Returns the counters of the API labelled `name`, creating them on first use.
    /// The application looks them up once at start, so requests never take this lock.
    func requestMetrics(forAPI name: String) -> APIRequestMetrics {
        apis.withLock { table in
            if let existing = table[name] { return existing }
            let created = APIRequestMetrics(name: name)
            table[name] = created
            return created
        }
    }

    // MARK: SecurityEventSink

    /// Counts one security event. Cheap and non-blocking, as the sink contract requires.
    public func record(_ event: SecurityEvent) {
        switch event {
        case .authenticated(let handler):
            countAuthentication(AuthenticationKey(handler: handler, outcome: "success", reason: "none"))
        case .rejected(let handler, let reason):
            countAuthentication(AuthenticationKey(handler: handler, outcome: "rejected", reason: reason))
        case .login:
            logins.increment()
        case .logout:
            logouts.increment()
        case .tokensEvicted(_, let count):
            evictions.increment(by: UInt64(max(0, count)))
        case .tokenStoreFull:
            tokenStoreFull.increment()
        }
    }

    private func countAuthentication(_ key: AuthenticationKey) {
        withAuthentications { $0[key, default: 0] += 1 }
    }

    /// Runs `body` with the authentication counts under their lock.
    ///
    /// The annotations let ThreadSanitizer see the lock. Swift's `Mutex` hands a contended lock
    /// over in the kernel on Linux, which the sanitizer cannot observe.
    private func withAuthentications<Result>(_ body: (inout [AuthenticationKey: UInt64]) -> Result) -> Result {
        let address = Unmanaged.passUnretained(self).toOpaque()
        return authentications.withLock { counts in
            cshims_tsan_acquire(address)
            defer { cshims_tsan_release(address) }
            return body(&counts)
        }
    }

    // MARK: Exposition

    /// Renders every metric in the Prometheus text format 0.0.4.
    public func exposition() async -> String {
        let prefix = Self.prefix
        var document = PrometheusText()
        let apiMetrics = apis.withLock { $0.values.sorted { $0.name < $1.name } }

        document.family(
            "\(prefix)requests_total", type: "counter", help: "HTTP responses sent, by API and status code.")
        for api in apiMetrics {
            for (status, count) in api.statusCounts() {
                document.sample("\(prefix)requests_total", labels: ["api": api.name, "status": status], value: count)
            }
        }

        appendDurations(of: apiMetrics, to: &document)
        appendAuthentications(to: &document)

        document.family("\(prefix)logins_total", type: "counter", help: "Tokens issued by login.")
        document.sample("\(prefix)logins_total", value: logins.value)
        document.family("\(prefix)logouts_total", type: "counter", help: "Tokens revoked by logout.")
        document.sample("\(prefix)logouts_total", value: logouts.value)
        document.family(
            "\(prefix)token_evictions_total", type: "counter",
            help: "Live tokens evicted to make room for new ones.")
        document.sample("\(prefix)token_evictions_total", value: evictions.value)
        document.family(
            "\(prefix)token_store_full_total", type: "counter",
            help: "Logins rejected because the token store was full.")
        document.sample("\(prefix)token_store_full_total", value: tokenStoreFull.value)

        if let source = tokenCountSource.withLock({ $0 }), let size = try? await source() {
            document.family("\(prefix)token_store_size", type: "gauge", help: "Tokens held in the token store.")
            document.sample("\(prefix)token_store_size", value: String(size))
        }
        return document.text
    }

    private func appendDurations(of apiMetrics: [APIRequestMetrics], to document: inout PrometheusText) {
        let name = "\(Self.prefix)request_duration_seconds"
        document.family(name, type: "histogram", help: "Time from routing a request to its response, in seconds.")
        for api in apiMetrics {
            let snapshot = api.durations.snapshot()
            for (index, bound) in DurationHistogram.upperBounds.enumerated() {
                document.sample(
                    "\(name)_bucket", labels: ["api": api.name, "le": PrometheusText.format(bound)],
                    value: snapshot.cumulative[index])
            }
            document.sample("\(name)_bucket", labels: ["api": api.name, "le": "+Inf"], value: snapshot.count)
            document.sample("\(name)_sum", labels: ["api": api.name], value: PrometheusText.format(snapshot.sum))
            document.sample("\(name)_count", labels: ["api": api.name], value: snapshot.count)
        }
    }

    private func appendAuthentications(to document: inout PrometheusText) {
        let name = "\(Self.prefix)authentication_total"
        document.family(
            name, type: "counter", help: "Authentication decisions of security handlers, by outcome and reason.")
        let counts = withAuthentications { $0 }.sorted {
            ($0.key.handler, $0.key.outcome, $0.key.reason) < ($1.key.handler, $1.key.outcome, $1.key.reason)
        }
        for (key, count) in counts {
            document.sample(
                name, labels: ["handler": key.handler, "outcome": key.outcome, "reason": key.reason], value: count)
        }
    }
}
