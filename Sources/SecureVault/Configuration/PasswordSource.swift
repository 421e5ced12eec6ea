/// The sources of a key store password, tried in this order:
///
/// 1. the environment variable `environmentVariable`, when it is set and not empty;
/// 2. the first line of `passwordFile` (relative to the home folder), when the file exists.
///    With `deletesPasswordFileAfterReading` the file is removed once read, and also when the
///    environment variable gave the password, as WSO2 Micro Integrator removes `password-tmp`;
/// 3. an interactive prompt without echo, when `promptsOnTerminal` is set and standard input
///    is a terminal.
///
/// When none of them gives a password, loading fails with an error that lists all three.
public struct PasswordSource: Sendable, Equatable {
    /// The name of the environment variable, or nil to skip the environment.
    public var environmentVariable: String?
    /// The password file path, absolute or relative to the home folder, or nil to skip it.
    public var passwordFile: String?
    /// Whether the password file is deleted after it was read, or when the environment gave the password.
    public var deletesPasswordFileAfterReading: Bool
    /// Whether to ask on the terminal when the other sources give nothing.
    public var promptsOnTerminal: Bool

    public init(
        environmentVariable: String?,
        passwordFile: String?,
        deletesPasswordFileAfterReading: Bool = false,
        promptsOnTerminal: Bool = true
    ) {
        self.environmentVariable = environmentVariable
        self.passwordFile = passwordFile
        self.deletesPasswordFileAfterReading = deletesPasswordFileAfterReading
        self.promptsOnTerminal = promptsOnTerminal
    }

    /// The default for the key store password: `INTERNAL_API_SECURITY_KEYSTORE_PASSWORD`, then
    /// `password-tmp` in the home folder (kept after reading), then the terminal.
    public static let keyStoreDefault = PasswordSource(
        environmentVariable: "INTERNAL_API_SECURITY_KEYSTORE_PASSWORD", passwordFile: "password-tmp")

    /// The default for a PKCS #12 key password that differs from the store password:
    /// `INTERNAL_API_SECURITY_KEY_PASSWORD`, then the terminal.
    public static let keyDefault = PasswordSource(
        environmentVariable: "INTERNAL_API_SECURITY_KEY_PASSWORD", passwordFile: nil)
}
