import CCrypt

/// A stored password of the file user store, and how a presented password is checked against it.
///
/// Two formats are accepted:
/// - **Plain text**, as written in the configuration or resolved from the secure vault. It is
///   compared with the presented password as UTF-8 bytes, in constant time, without Unicode
///   normalisation.
/// - **A crypt(3) hash behind the `{crypt}` marker**, for example
///   `{crypt}$2b$12$...` (bcrypt), `{crypt}$6$...` (sha512-crypt), `{crypt}$5$...`
///   (sha256-crypt) or `{crypt}$y$...` (yescrypt). The presented password is hashed with
///   libxcrypt's `crypt_rn` using the stored hash as the setting, and the output is compared
///   in constant time. Make one with `mkpasswd -m bcrypt` (Debian's `whois` package),
///   `htpasswd -nbB user password` (taking the part after the colon) or `makeCryptHash`.
///
/// A hash is recognised only by the explicit `{crypt}` marker, never by a leading `$`, so a
/// plain password such as `$ecret` keeps working. The loader looks for the marker after leading
/// white space, so a plain password that starts with `{crypt}`, with or without white space
/// before it, cannot be written as plain text. Put it in the secure vault instead, because
/// vault values are always plain text.
///
/// NOTE: bcrypt reads only the first 72 bytes of a password, so two passwords that share those
/// bytes match the same bcrypt hash. The other methods read the whole password.
public struct PasswordHash: Sendable, Equatable {
    /// The prefix that marks a stored value as a crypt(3) hash.
    public static let cryptMarker = "{crypt}"

    /// The hash method prefixes accepted after `{crypt}`. Older methods (DES, MD5-crypt `$1$`)
    /// are rejected because they are fast to brute-force.
    public static let acceptedMethodPrefixes = ["$2b$", "$2y$", "$6$", "$5$", "$y$"]

    /// The length of the text after a hash's last `$`, by method prefix: bcrypt's 22-character
    /// salt and 31-character digest, or the SHA-crypt and yescrypt digests.
    private static let finalFieldLengths = ["$2b$": 53, "$2y$": 53, "$6$": 86, "$5$": 43, "$y$": 43]

    enum Storage: Sendable, Equatable {
        case plainText([UInt8])
        case crypt(String)
    }

    let storage: Storage

    /// Creates a stored password from a configuration value.
    ///
    /// - Parameters:
    ///   - storedValue: the password or `{crypt}` hash, exactly as written.
    ///   - source: `.hash` for a `{crypt}` value; `.plainText` and `.secret` are plain text.
    /// - Throws: `invalidConfiguration` when a `.hash` value lacks the marker, uses a method
    ///   not in `acceptedMethodPrefixes`, or is not a setting libxcrypt accepts.
    public init(storedValue: String, source: UserEntry.PasswordSource) throws {
        switch source {
        case .plainText, .secret:
            self.init(plainText: storedValue)
        case .hash:
            guard storedValue.hasPrefix(Self.cryptMarker) else {
                throw Self.invalidHash("Password hash does not start with \(Self.cryptMarker)")
            }
            try self.init(cryptHash: String(storedValue.dropFirst(Self.cryptMarker.count)))
        }
    }

    /// Creates a stored password from a crypt(3) hash without the `{crypt}` marker.
    ///
    /// - Throws: `invalidConfiguration` for a method not in `acceptedMethodPrefixes` or a hash
    ///   that libxcrypt's `crypt_checksalt` does not accept.
    public init(cryptHash: String) throws {
        guard Self.acceptedMethodPrefixes.contains(where: { cryptHash.hasPrefix($0) }) else {
            throw Self.invalidHash(
                "Password hash method is not accepted; use one of \(Self.acceptedMethodPrefixes.joined(separator: " "))"
            )
        }
        // `crypt_checksalt` checks only the setting part, so the digest's length and alphabet
        // are checked here; a truncated hash could otherwise never match any password.
        // libxcrypt 4.4 reports sha256-crypt as legacy, which is still accepted.
        let check = crypt_checksalt(cryptHash)
        guard check == CRYPT_SALT_OK || check == CRYPT_SALT_METHOD_LEGACY, Self.hasCompleteDigest(cryptHash) else {
            throw Self.invalidHash("Password hash is malformed")
        }
        storage = .crypt(cryptHash)
    }

    /// Creates a stored plain-text password.
    public init(plainText: String) {
        storage = .plainText(Array(plainText.utf8))
    }

    /// Whether checking a password costs a deliberately slow hash, which callers should run
    /// off their event loop with `BlockingWork.run(_:)`.
    public var isSlow: Bool {
        if case .crypt = storage { return true }
        return false
    }

    /// The method and cost part of a crypt(3) hash, without salt and digest, such as `$2b$13$`,
    /// `$6$rounds=20000$` or `$y$j9T$`; nil for plain text. Hashes with the same setting cost the
    /// same work to verify.
    var costSetting: String? {
        guard case .crypt(let hash) = storage else { return nil }
        let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
        // bcrypt writes salt and digest as one field, the other methods as two.
        let saltAndDigestFields = hash.hasPrefix("$2") ? 1 : 2
        guard fields.count > saltAndDigestFields + 1 else { return hash }
        return fields.dropLast(saltAndDigestFields).joined(separator: "$") + "$"
    }

    /// Checks `password` against the stored value.
    ///
    /// Blocks the calling thread for the hash's whole cost, which for bcrypt at usual costs is
    /// tens to hundreds of milliseconds. Returns false when libxcrypt fails, and when the
    /// password contains a NUL byte because crypt(3) would cut the password there.
    public func verify(_ password: String) -> Bool {
        switch storage {
        case .plainText(let stored):
            return Self.constantTimeEquals(Array(password.utf8), stored)
        case .crypt(let stored):
            guard !password.utf8.contains(0), let computed = Self.crypt(password: password, setting: stored) else {
                return false
            }
            return Self.constantTimeEquals(Array(computed.utf8), Array(stored.utf8))
        }
    }

    /// Hashes `password` with a new random salt, for writing `{crypt}` values.
    ///
    /// - Parameters:
    ///   - methodPrefix: one of `acceptedMethodPrefixes`, for example `$2b$`.
    ///   - cost: the method's cost parameter (bcrypt: 4 to 31), or 0 for libxcrypt's default.
    /// - Returns: the hash without the `{crypt}` marker.
    /// - Throws: `invalidArgument` when libxcrypt rejects the method or the cost.
    public static func makeCryptHash(password: String, methodPrefix: String, cost: Int = 0) throws -> String {
        guard acceptedMethodPrefixes.contains(methodPrefix), cost >= 0 else {
            throw SecurityError(
                .invalidArgument, reason: "Hash method or cost is not accepted", value: "\(methodPrefix) cost \(cost)",
                fix: "use one of \(acceptedMethodPrefixes.joined(separator: " ")) with a valid cost")
        }
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        // A nil random-bytes argument makes libxcrypt read the operating system's random source.
        guard crypt_gensalt_rn(methodPrefix, UInt(cost), nil, 0, &setting, Int32(setting.count)) != nil,
            let hash = crypt(
                password: password,
                setting: String(decoding: setting.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        else {
            throw SecurityError(
                .invalidArgument, reason: "libxcrypt could not make a hash with this method and cost",
                value: "\(methodPrefix) cost \(cost)", fix: "use a cost the method supports")
        }
        return hash
    }

    // MARK: - Helpers

    /// Runs `crypt_rn`, which unlike `crypt_r` takes the work area's size and returns nil on
    /// failure instead of a failure token.
    static func crypt(password: String, setting: String) -> String? {
        let size = ccrypt_data_size()
        let workArea = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        workArea.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            // The work area contains a copy of the password.
            workArea.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            workArea.deallocate()
        }
        guard let output = crypt_rn(password, setting, workArea, Int32(size)) else { return nil }
        return String(cString: output)
    }

    private static func hasCompleteDigest(_ hash: String) -> Bool {
        guard let prefix = acceptedMethodPrefixes.first(where: { hash.hasPrefix($0) }),
            let expectedLength = finalFieldLengths[prefix],
            let finalField = hash.split(separator: "$", omittingEmptySubsequences: false).last
        else { return false }
        let isHashAlphabet: (UInt8) -> Bool = { byte in
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                true
            default:
                false
            }
        }
        return finalField.utf8.count == expectedLength && finalField.utf8.allSatisfy(isHashAlphabet)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count) | (left.count == right.count ? 0 : 1)
        let length = max(left.count, right.count)
        for index in 0..<length {
            let leftByte = index < left.count ? left[index] : 0
            let rightByte = index < right.count ? right[index] : 0
            difference |= leftByte ^ rightByte
        }
        return difference == 0
    }

    private static func invalidHash(_ reason: String) -> SecurityError {
        SecurityError(
            .invalidConfiguration, reason: reason,
            fix:
                "write {crypt} followed by a bcrypt ($2b$), sha512-crypt ($6$), sha256-crypt ($5$) or yescrypt ($y$) hash, for example from mkpasswd -m bcrypt"
        )
    }
}
