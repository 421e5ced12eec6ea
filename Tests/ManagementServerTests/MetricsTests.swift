import Foundation
import InternalAPISecurity
import ManagementServer
import Testing

@Suite struct MetricsTests {
    /// One sample line: `name{label="value",...} value`, with the format's escapes.
    static var sampleLine: Regex<(Substring, Substring?, Substring?, Substring?, Substring?)> {
        /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^"\\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^"\\\n])*")*\})? [^ ]+$/
    }

    static func scrape(_ server: TestServer) async throws -> String {
        let response = await server.send("/metric-service/metrics", headers: [:], transport: .http)
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        return response.bodyText
    }

    /// Returns the value of the sample whose name and labels are exactly `series`, or nil.
    static func value(of series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func exposition() async throws {
        let server = try TestServer()
        _ = await server.send("/management/apis")
        _ = await server.send("/management/users", headers: [:])
        server.metrics.record(.rejected(handler: "odd \"name\"\nx\\y", reason: "invalid-token"))
        let text = try await Self.scrape(server)

        var described: Set<String> = []
        var typed: Set<String> = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                described.insert(String(line.split(separator: " ")[2]))
            } else if line.hasPrefix("# TYPE ") {
                typed.insert(String(line.split(separator: " ")[2]))
            } else {
                #expect(line.wholeMatch(of: Self.sampleLine) != nil, "unparsable line: \(line)")
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                let family = ["_bucket", "_sum", "_count"].reduce(name) { current, suffix in
                    current.hasSuffix(suffix) && typed.contains(String(current.dropLast(suffix.count)))
                        ? String(current.dropLast(suffix.count)) : current
                }
                #expect(typed.contains(family), "no TYPE for \(name)")
                #expect(described.contains(family), "no HELP for \(name)")
            }
        }
        #expect(text.hasSuffix("\n"))
        #expect(text.contains(#"handler="odd \"name\"\nx\\y""#))
    }

    @Test func requestCountersIncrease() async throws {
        let server = try TestServer()
        let series = #"internal_api_requests_total{api="ManagementApi",status="200"}"#
        let before = Self.value(of: series, in: try await Self.scrape(server)) ?? 0
        _ = await server.send("/management/apis")
        _ = await server.send("/management/tasks")
        let after = try #require(Self.value(of: series, in: try await Self.scrape(server)))
        #expect(after == before + 2)
    }

    @Test func concurrentRequestsAllCounted() async throws {
        let server = try TestServer()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<400 {
                group.addTask {
                    _ = await server.send("/management/apis")
                    server.metrics.record(.rejected(handler: "jwt", reason: "invalid-token"))
                }
            }
        }
        let text = try await Self.scrape(server)
        #expect(Self.value(of: #"internal_api_requests_total{api="ManagementApi",status="200"}"#, in: text) == 400)
        #expect(Self.value(of: #"internal_api_request_duration_seconds_count{api="ManagementApi"}"#, in: text) == 400)
        let rejected = #"internal_api_authentication_total{handler="jwt",outcome="rejected",reason="invalid-token"}"#
        #expect(Self.value(of: rejected, in: text) == 400)
    }

    @Test func statusesAndUnmatchedCounted() async throws {
        let server = try TestServer()
        _ = await server.send("/management/apis", headers: [:])
        _ = await server.send("/nowhere")
        let text = try await Self.scrape(server)
        #expect(Self.value(of: #"internal_api_requests_total{api="ManagementApi",status="401"}"#, in: text) == 1)
        #expect(Self.value(of: #"internal_api_requests_total{api="none",status="404"}"#, in: text) == 1)
    }

    @Test func authenticationOutcomes() async throws {
        let server = try TestServer()
        _ = await server.send("/management/apis")
        _ = await server.send("/management/apis", headers: [:])
        _ = await server.send("/management/apis", headers: [:])
        let text = try await Self.scrape(server)
        let success = #"internal_api_authentication_total{handler="header-key",outcome="success",reason="none"}"#
        let rejected =
            #"internal_api_authentication_total{handler="header-key",outcome="rejected",reason="missing-credentials"}"#
        #expect(Self.value(of: success, in: text) == 1)
        #expect(Self.value(of: rejected, in: text) == 2)
    }

    @Test func tokenEvents() async throws {
        let server = try TestServer()
        server.metrics.record(.login(handler: "jwt"))
        server.metrics.record(.login(handler: "jwt"))
        server.metrics.record(.logout(handler: "jwt"))
        server.metrics.record(.tokensEvicted(handler: "jwt", count: 3))
        server.metrics.record(.tokenStoreFull(handler: "jwt"))
        let text = try await Self.scrape(server)
        #expect(Self.value(of: "internal_api_logins_total", in: text) == 2)
        #expect(Self.value(of: "internal_api_logouts_total", in: text) == 1)
        #expect(Self.value(of: "internal_api_token_evictions_total", in: text) == 3)
        #expect(Self.value(of: "internal_api_token_store_full_total", in: text) == 1)
    }

    @Test func tokenStoreSizeGauge() async throws {
        let server = try TestServer()
        let without = try await Self.scrape(server)
        #expect(Self.value(of: "internal_api_token_store_size", in: without) == nil)
        server.metrics.setTokenCountSource { 7 }
        let with = try await Self.scrape(server)
        #expect(Self.value(of: "internal_api_token_store_size", in: with) == 7)
        #expect(with.contains("# TYPE internal_api_token_store_size gauge"))
    }

    @Test func durationHistogram() async throws {
        let server = try TestServer()
        _ = await server.send("/management/apis")
        _ = await server.send("/management/apis")
        let text = try await Self.scrape(server)
        let count = Self.value(of: #"internal_api_request_duration_seconds_count{api="ManagementApi"}"#, in: text)
        let infinity = Self.value(
            of: #"internal_api_request_duration_seconds_bucket{api="ManagementApi",le="+Inf"}"#, in: text)
        let smallest = Self.value(
            of: #"internal_api_request_duration_seconds_bucket{api="ManagementApi",le="0.0005"}"#, in: text)
        let largest = Self.value(
            of: #"internal_api_request_duration_seconds_bucket{api="ManagementApi",le="2.5"}"#, in: text)
        #expect(count == 2)
        #expect(infinity == 2)
        #expect(smallest != nil)
        #expect(largest == 2)
        #expect(text.contains("# TYPE internal_api_request_duration_seconds histogram"))
    }

    @Test func handlersGuardMetrics() async throws {
        let server = try TestServer(prometheusHandlers: [HeaderKeyHandler()])
        let anonymous = await server.send("/metric-service/metrics", headers: [:], transport: .http)
        #expect(anonymous.status == 401)
        let authenticated = await server.send("/metric-service/metrics", transport: .http)
        #expect(authenticated.status == 200)
    }

    @Test func metricsRejectsWrites() async throws {
        let server = try TestServer()
        let response = await server.send("/metric-service/metrics", method: "POST", headers: [:], transport: .http)
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
    }
}
