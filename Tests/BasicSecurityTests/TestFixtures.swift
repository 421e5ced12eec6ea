import Foundation
import InternalAPISecurity
import Synchronization

/// A user store with fixed users that counts `authenticate` calls.
struct CountingUserStore: UserStore {
    final class Calls: Sendable {
        private let value = Mutex(0)
        var count: Int { value.withLock { $0 } }
        func increment() { value.withLock { $0 += 1 } }
    }

    let users: [String: (password: String, isAdmin: Bool)]
    let calls = Calls()
    var kind: String { "counting" }

    func authenticate(username: String, password: String) async throws -> Principal? {
        calls.increment()
        guard let user = users[username], user.password == password else { return nil }
        return Principal(username: username, isAdmin: user.isAdmin)
    }

    func users() async throws -> [UserSummary] {
        users.map { UserSummary(username: $0.key, isAdmin: $0.value.isAdmin) }
    }
}

/// A user store that fails every call, like a directory that is down.
struct UnavailableUserStore: UserStore {
    var kind: String { "unavailable" }

    func authenticate(username: String, password: String) async throws -> Principal? {
        throw SecurityError(.storeFailed, reason: "Directory is down")
    }

    func users() async throws -> [UserSummary] {
        throw SecurityError(.storeFailed, reason: "Directory is down")
    }
}

/// Keeps every recorded event in order.
final class RecordingEventSink: SecurityEventSink {
    private let storage = Mutex<[SecurityEvent]>([])
    var events: [SecurityEvent] { storage.withLock { $0 } }
    func record(_ event: SecurityEvent) { storage.withLock { $0.append(event) } }
}

/// Makes the store most tests use: an admin and a plain user with a non-ASCII name.
func makeUserStore() -> CountingUserStore {
    CountingUserStore(users: [
        "admin": (password: "admin-secret", isAdmin: true),
        "jörg": (password: "pässword:with:colons", isAdmin: false),
    ])
}

/// Builds the header value `Basic <base64(user:password)>`.
func basicHeader(_ username: String, _ password: String) -> String {
    "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
}

/// Makes a GET request with the given `Authorization` header, or none.
func makeRequest(path: String = "/apis", authorization: String? = nil, requestID: String = "req-1")
    -> SecurityRequest
{
    var headers = HTTPHeaders()
    if let authorization { headers.add("Authorization", authorization) }
    return SecurityRequest(
        method: "GET", path: path, headers: headers, clientAddress: "127.0.0.7", requestID: requestID)
}

/// Extracts the response of an outcome, or nil when it proceeded.
func response(of outcome: SecurityOutcome) -> SecurityResponse? {
    if case .respond(let response) = outcome { return response }
    return nil
}

/// Extracts the principal of an outcome that proceeded, or nil.
func principal(of outcome: SecurityOutcome) -> Principal? {
    if case .proceed(let principal) = outcome { return principal }
    return nil
}
