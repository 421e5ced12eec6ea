/// Why an `Authorization` header was rejected.
///
/// The `label` is stable and safe for metrics and logs. The `message` never repeats the
/// credential, and no reason tells whether a username exists.
public struct CredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, CaseIterable {
        case tooLong = "header-too-long"
        case missingScheme = "missing-scheme"
        case unsupportedScheme = "unsupported-scheme"
        case missingCredentials = "missing-credentials"
        case invalidBase64 = "invalid-base64"
        case invalidUTF8 = "invalid-utf8"
        case missingColon = "missing-colon"
        case emptyUsername = "empty-username"
        case controlCharacter = "control-character"
        case invalidBearerToken = "invalid-bearer-token"
    }

    public var reason: Reason
    /// The scheme as sent, for `missingCredentials`. For `unsupportedScheme` it is set only when
    /// the scheme is a short token followed by a space, so credentials glued to it stay out.
    public var scheme: String?

    public init(_ reason: Reason, scheme: String? = nil) {
        self.reason = reason
        self.scheme = scheme
    }

    /// A stable label for metrics.
    public var label: String { reason.rawValue }

    /// A sentence for the client, safe to send in an error body.
    public var message: String {
        switch reason {
        case .tooLong:
            "The Authorization header is longer than \(AuthorizationCredentials.maxHeaderLength) bytes"
        case .missingScheme:
            "The Authorization header is empty"
        case .unsupportedScheme:
            "The Authorization scheme is not supported"
        case .missingCredentials:
            "The Authorization header has a scheme but no credentials"
        case .invalidBase64:
            "The Basic credentials are not valid base64"
        case .invalidUTF8:
            "The Basic credentials are not valid UTF-8"
        case .missingColon:
            "The Basic credentials have no ':' between username and password"
        case .emptyUsername:
            "The Basic credentials have an empty username"
        case .controlCharacter:
            "The Basic credentials contain a control character"
        case .invalidBearerToken:
            "The bearer token has invalid syntax"
        }
    }

    public var description: String { message }
}
