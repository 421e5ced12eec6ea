import Foundation

/// The SHA-256 digest of a token's exact bytes: the key under which token stores keep a token.
///
/// Stores never keep the token itself, so a stolen store dump contains no usable credential.
public struct TokenDigest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// - Throws: `invalidArgument` unless `bytes` has exactly 32 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw SecurityError(
                .invalidArgument, reason: "A token digest must have 32 bytes", value: String(bytes.count),
                fix: "pass the SHA-256 digest of the token")
        }
        self.bytes = bytes
    }

    /// Lower-case hexadecimal, for store keys. Safe to log: it cannot be turned back into a token.
    public var hex: String {
        var text = ""
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return text
    }

    public var description: String { hex }

    private static let hexDigits: [Character] = Array("0123456789abcdef")
}

/// What a token store keeps for one issued token.
public struct TokenRecord: Sendable, Equatable {
    public var digest: TokenDigest
    public var username: String
    public var isAdmin: Bool
    public var issuedAt: Date
    /// The token is invalid from this instant on (the JWT `exp` claim).
    public var expiresAt: Date
    /// The last time the token was used; eviction picks the least recent.
    public var lastAccess: Date

    public init(
        digest: TokenDigest, username: String, isAdmin: Bool, issuedAt: Date, expiresAt: Date, lastAccess: Date? = nil
    ) {
        self.digest = digest
        self.username = username
        self.isAdmin = isAdmin
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.lastAccess = lastAccess ?? issuedAt
    }

    /// Whether the token is expired at `now`. A token is expired at the exact second of `exp`.
    public func isExpired(at now: Date) -> Bool {
        now >= expiresAt
    }
}

/// The result of inserting a token into a bounded store.
public enum TokenInsertResult: Sendable, Equatable {
    /// The token was stored. `evicted` live tokens and `purged` expired ones were removed to make room.
    case stored(evicted: Int, purged: Int)
    /// The store is full of live tokens and overflow eviction is off.
    /// `retryAfter` is the number of seconds until the earliest token expires (at least 1).
    case full(retryAfter: Int)
}

/// Limits of a bounded token store.
public struct TokenStoreLimits: Sendable, Equatable {
    /// The maximum number of tokens held at once (MI's `MaxSize`).
    public var maxSize: Int
    /// Evict the least recently accessed token when full (MI's `RemoveOldestTokenOnOverflow`);
    /// when false, an insert into a full store fails with `.full`.
    public var removeOldestOnOverflow: Bool

    public init(maxSize: Int = 200, removeOldestOnOverflow: Bool = true) {
        self.maxSize = maxSize
        self.removeOldestOnOverflow = removeOldestOnOverflow
    }
}

/// Where issued tokens live. Membership is what makes a token valid: a token is accepted only
/// while its digest is in the store, not revoked and not expired.
///
/// Conformers are safe to call from many tasks at once. `insert` enforces `limits` atomically:
/// concurrent inserts never leave more than `limits.maxSize` tokens, counting expired ones that
/// were not purged yet. When full, an insert removes expired tokens first, then, with
/// `removeOldestOnOverflow`, the least recently accessed live token.
///
/// Every implementation must pass the shared contract suite in the test targets.
public protocol TokenStore: Sendable {
    var limits: TokenStoreLimits { get }

    /// Stores a new token, making room as described on the protocol.
    func insert(_ record: TokenRecord, now: Date) async throws -> TokenInsertResult

    /// Returns the live record for `digest` and marks it accessed at `now`, or nil when the
    /// token is unknown, revoked or expired at `now`. An expired record is removed.
    func validate(_ digest: TokenDigest, now: Date) async throws -> TokenRecord?

    /// Returns the record without touching it or checking expiry.
    func record(for digest: TokenDigest) async throws -> TokenRecord?

    /// Removes the token. Returns true only for the call that removed it, so two concurrent
    /// revocations of one token see one true and one false.
    func revoke(_ digest: TokenDigest) async throws -> Bool

    /// Removes every token expired at `now` and returns how many were removed.
    func removeExpired(now: Date) async throws -> Int

    /// Removes every token whose record `shouldRemove` selects and returns how many were
    /// removed, for example the tokens of users that a reloaded configuration no longer has.
    ///
    /// NOTE: this may visit every token in the store; it is meant for reloads, not requests.
    func removeAll(where shouldRemove: @escaping @Sendable (TokenRecord) -> Bool) async throws -> Int

    /// The number of tokens held, expired ones included until they are removed.
    func count() async throws -> Int
}
