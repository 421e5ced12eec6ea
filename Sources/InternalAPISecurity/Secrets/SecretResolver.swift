/// Turns a secure-vault alias into its secret.
///
/// Implementations never fall back to the literal `$secret{...}` text or to the alias: an
/// alias that cannot be resolved is an error.
public protocol SecretResolver: Sendable {
    /// Returns the secret for `alias`.
    ///
    /// - Throws: `SecurityError` with code `secretNotResolved`, naming the alias and never the secret.
    func resolve(alias: String) throws -> String
}

/// The `$secret{alias}` notation for secure-vault references in configuration values.
public enum SecretReference {
    /// Returns the alias when `value` is exactly `$secret{alias}` with a non-empty alias, else nil.
    public static func alias(in value: String) -> String? {
        guard value.hasPrefix("$secret{"), value.hasSuffix("}") else { return nil }
        let alias = value.dropFirst("$secret{".count).dropLast()
        guard !alias.isEmpty, !alias.contains("}"), !alias.contains("{") else { return nil }
        return String(alias)
    }
}

/// The resolver used when no secure vault is configured: every alias fails.
public struct UnconfiguredSecretResolver: SecretResolver {
    public init() {}

    public func resolve(alias: String) throws -> String {
        throw SecurityError(
            .secretNotResolved, reason: "Secret alias cannot be resolved because no secure vault is configured",
            value: alias,
            fix: "configure a secret repository (see the SecureVault module) or write the value in plain text")
    }
}

/// A resolver backed by a fixed dictionary, for tests and embedded use.
public struct DictionarySecretResolver: SecretResolver {
    private let secrets: [String: String]

    public init(_ secrets: [String: String]) {
        self.secrets = secrets
    }

    public func resolve(alias: String) throws -> String {
        guard let secret = secrets[alias] else {
            throw SecurityError(
                .secretNotResolved, reason: "Secret alias not found in the secret repository", value: alias,
                fix: "add the alias with the cipher tool or correct the reference")
        }
        return secret
    }
}
