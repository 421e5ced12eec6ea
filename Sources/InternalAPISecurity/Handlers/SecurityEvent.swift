/// Something a handler reports for metrics. Never carries a password or a token.
public enum SecurityEvent: Sendable, Equatable {
    /// A request was authenticated by `handler`.
    case authenticated(handler: String)
    /// A request was rejected by `handler`; `reason` is a short stable label such as
    /// `missing-credentials`, `invalid-credentials`, `invalid-token` or `forbidden`.
    case rejected(handler: String, reason: String)
    /// A token was issued to a user.
    case login(handler: String)
    /// A token was revoked by its holder.
    case logout(handler: String)
    /// `count` live tokens were evicted to make room for new ones.
    case tokensEvicted(handler: String, count: Int)
    /// A login failed because the token store was full.
    case tokenStoreFull(handler: String)
}

/// Receives `SecurityEvent`s. Must be cheap and must not block: it is called on event loops.
public protocol SecurityEventSink: Sendable {
    func record(_ event: SecurityEvent)
}

/// A sink that ignores every event.
public struct DiscardingEventSink: SecurityEventSink {
    public init() {}
    public func record(_ event: SecurityEvent) {}
}
