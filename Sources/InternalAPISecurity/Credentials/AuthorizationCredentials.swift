/// Credentials from an `Authorization` header, parsed strictly.
///
/// This is the one parser of the project: the Basic handler and the JWT handler's `/login`
/// both use it, so they cannot disagree about what a valid header is.
public enum AuthorizationCredentials: Sendable, Equatable {
    /// `Basic` credentials (RFC 7617).
    case basic(BasicCredentials)
    /// A `Bearer` token (RFC 6750), exactly as sent.
    case bearer(String)

    /// The longest `Authorization` value accepted, in bytes. Longer headers are rejected before
    /// any decoding, so a huge header costs no base64 work.
    public static let maxHeaderLength = 8192

    /// Parses an `Authorization` header value.
    ///
    /// The scheme is matched case-insensitively and must be followed by one or more spaces
    /// (RFC 7235, section 2.1). Leading and trailing spaces and tabs around the whole value are
    /// ignored, as HTTP field values allow.
    ///
    /// - Throws: `CredentialsError` describing the first problem found.
    public static func parse(_ header: String) throws(CredentialsError) -> AuthorizationCredentials {
        guard header.utf8.count <= maxHeaderLength else {
            throw CredentialsError(.tooLong)
        }
        // Native strings store contiguous UTF-8, so the header is read in place without a copy.
        if let result = header.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0[...]) }) {
            return try result.get()
        }
        let copy = Array(header.utf8)
        return try copy.withUnsafeBufferPointer { parse(bytes: $0[...]) }.get()
    }

    private static func parse(bytes all: Slice<UnsafeBufferPointer<UInt8>>) -> Result<
        AuthorizationCredentials, CredentialsError
    > {
        let bytes = trimmingOptionalWhitespace(all)
        guard let spaceIndex = bytes.firstIndex(of: UInt8(ascii: " ")) else {
            if bytes.isEmpty { return .failure(CredentialsError(.missingScheme)) }
            if isScheme(bytes, "basic") || isScheme(bytes, "bearer") {
                return .failure(CredentialsError(.missingCredentials, scheme: String(decoding: bytes, as: UTF8.self)))
            }
            // Without a space the scheme's end is unknown: the value may be a scheme glued to its
            // credentials (`Basic\tdXNl...`), so none of it is kept in the error.
            return .failure(CredentialsError(.unsupportedScheme))
        }

        let scheme = bytes[..<spaceIndex]
        var credentialStart = spaceIndex
        while credentialStart < bytes.endIndex, bytes[credentialStart] == UInt8(ascii: " ") {
            credentialStart += 1
        }
        let credential = bytes[credentialStart...]

        do {
            if isScheme(scheme, "basic") {
                return .success(.basic(try BasicCredentials.decode(ArraySlice(credential))))
            }
            if isScheme(scheme, "bearer") {
                return .success(.bearer(try BearerToken.validate(credential)))
            }
        } catch {
            return .failure(error)
        }
        return .failure(CredentialsError(.unsupportedScheme, scheme: reportableScheme(scheme)))
    }

    /// Returns the scheme as text when it is a plausible scheme name (1 to 32 token characters,
    /// RFC 9110, section 5.6.2), or nil. Base64 with `/` or `=`, or a value with a tab, is no
    /// token, so most credentials sent without a proper scheme stay out of the error.
    static func reportableScheme<Bytes: Collection<UInt8>>(_ scheme: Bytes) -> String? {
        guard (1...32).contains(scheme.count), scheme.allSatisfy(isTokenCharacter) else { return nil }
        return String(decoding: scheme, as: UTF8.self)
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Compares a scheme with a lower-case ASCII name, ignoring ASCII case.
    static func isScheme<Bytes: Collection<UInt8>>(_ scheme: Bytes, _ lowercaseName: String) -> Bool {
        guard scheme.count == lowercaseName.utf8.count else { return false }
        return zip(scheme, lowercaseName.utf8).allSatisfy { byte, expected in
            let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            return lowered == expected
        }
    }

    /// Returns `bytes` without leading and trailing spaces and tabs, as a slice of the same buffer.
    private static func trimmingOptionalWhitespace(
        _ bytes: Slice<UnsafeBufferPointer<UInt8>>
    ) -> Slice<UnsafeBufferPointer<UInt8>> {
        let isOptionalWhitespace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isOptionalWhitespace($0) }),
            let last = bytes.lastIndex(where: { !isOptionalWhitespace($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }
}

/// A username and password from a `Basic` header.
public struct BasicCredentials: Sendable, Equatable {
    public var username: String
    /// The password exactly as sent. Never log it.
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Decodes the token68 part of a `Basic` header.
    ///
    /// The base64 must be strict (RFC 4648, section 4): standard alphabet, padding to a multiple
    /// of four, zero pad bits, nothing else. The decoded bytes must be UTF-8 (RFC 7617 with
    /// `charset="UTF-8"`), independent of the host locale, and are split at the first colon, so a
    /// password may contain colons. Control characters are rejected in both parts (RFC 7617,
    /// section 2).
    public static func decode(_ credential: ArraySlice<UInt8>) throws(CredentialsError) -> BasicCredentials {
        guard !credential.isEmpty else { throw CredentialsError(.missingCredentials, scheme: "Basic") }
        guard let decoded = Base64.decodeStrict(credential) else {
            throw CredentialsError(.invalidBase64)
        }
        guard let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else {
            throw CredentialsError(.missingColon)
        }
        let userBytes = decoded[..<colon]
        let passwordBytes = decoded[(colon + 1)...]
        guard let username = String(validating: userBytes, as: UTF8.self),
            let password = String(validating: passwordBytes, as: UTF8.self)
        else {
            throw CredentialsError(.invalidUTF8)
        }
        guard !username.isEmpty else { throw CredentialsError(.emptyUsername) }
        let isControl: (Unicode.Scalar) -> Bool = { $0.value < 0x20 || $0.value == 0x7F }
        guard !username.unicodeScalars.contains(where: isControl), !password.unicodeScalars.contains(where: isControl)
        else {
            throw CredentialsError(.controlCharacter)
        }
        return BasicCredentials(username: username, password: password)
    }
}

/// Bearer token syntax (RFC 6750, section 2.1).
public enum BearerToken {
    /// Returns the token when it matches `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~"
    /// / "+" / "/" ) *"="`.
    public static func validate<Bytes: Collection<UInt8>>(_ credential: Bytes) throws(CredentialsError) -> String {
        guard !credential.isEmpty else { throw CredentialsError(.missingCredentials, scheme: "Bearer") }
        var seenPadding = false
        var tokenCharacters = 0
        for byte in credential {
            if byte == UInt8(ascii: "=") {
                seenPadding = true
                continue
            }
            guard !seenPadding, isTokenCharacter(byte) else {
                throw CredentialsError(.invalidBearerToken)
            }
            tokenCharacters += 1
        }
        guard tokenCharacters > 0 else { throw CredentialsError(.invalidBearerToken) }
        return String(decoding: credential, as: UTF8.self)
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
