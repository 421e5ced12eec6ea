import InternalAPISecurity
import Synchronization
import Testing

@Suite("SecurityHandlerChain")
struct SecurityHandlerChainTests {
    /// Records the order in which handlers run.
    final class CallLog: Sendable {
        private let names = Mutex<[String]>([])
        func append(_ name: String) { names.withLock { $0.append(name) } }
        var calls: [String] { names.withLock { $0 } }
    }

    struct RecordingHandler: SecurityHandler {
        enum Action: Sendable {
            case proceed(Principal?)
            case respond(Int)
            case fail
        }

        struct Failure: Error {}

        var name: String
        var resources: ResourceSet = .all
        var action: Action
        var log: CallLog

        func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
            log.append(name)
            switch action {
            case .proceed(let principal): return .proceed(principal)
            case .respond(let status): return .respond(SecurityResponse(status: status))
            case .fail: throw Failure()
            }
        }
    }

    private func evaluate(_ chain: SecurityHandlerChain, path: String) async throws -> SecurityHandlerChain.Decision {
        try await chain.evaluate(
            SecurityRequest(method: "GET", path: path), logger: .disabled(), events: DiscardingEventSink())
    }

    @Test func runsHandlersInOrder() async throws {
        let log = CallLog()
        let chain = SecurityHandlerChain([
            RecordingHandler(
                name: "authenticate", action: .proceed(Principal(username: "amy", isAdmin: true)), log: log),
            RecordingHandler(name: "authorize", action: .proceed(nil), log: log),
        ])

        let decision = try await evaluate(chain, path: "/users")

        #expect(decision == .allowed(Principal(username: "amy", isAdmin: true)))
        #expect(log.calls == ["authenticate", "authorize"])
    }

    @Test func firstResponseEndsChain() async throws {
        let log = CallLog()
        let chain = SecurityHandlerChain([
            RecordingHandler(name: "first", action: .respond(401), log: log),
            RecordingHandler(name: "second", action: .respond(403), log: log),
        ])

        let decision = try await evaluate(chain, path: "/apis")

        #expect(decision == .responded(SecurityResponse(status: 401), handler: "first"))
        #expect(log.calls == ["first"])
    }

    @Test func rootSkipsHandlers() async throws {
        let log = CallLog()
        let chain = SecurityHandlerChain([RecordingHandler(name: "deny", action: .respond(401), log: log)])

        let decision = try await evaluate(chain, path: "/")

        #expect(decision == .allowed(nil))
        #expect(log.calls.isEmpty)
    }

    @Test func unprotectedPathSkipsHandler() async throws {
        let log = CallLog()
        let chain = SecurityHandlerChain([
            RecordingHandler(
                name: "admin-only", resources: try ResourceSet(["/users"]), action: .respond(403), log: log),
            RecordingHandler(name: "open", action: .proceed(nil), log: log),
        ])

        let decision = try await evaluate(chain, path: "/usersX")

        #expect(decision == .allowed(nil))
        #expect(log.calls == ["open"])
    }

    @Test func throwingHandlerPropagates() async throws {
        let log = CallLog()
        let chain = SecurityHandlerChain([
            RecordingHandler(name: "broken", action: .fail, log: log),
            RecordingHandler(name: "after", action: .proceed(nil), log: log),
        ])

        await #expect(throws: RecordingHandler.Failure.self) { try await evaluate(chain, path: "/apis") }
        #expect(log.calls == ["broken"])
    }
}
