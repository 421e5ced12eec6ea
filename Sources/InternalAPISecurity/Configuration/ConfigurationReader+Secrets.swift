extension ConfigurationReader {
    /// The resolved value of an element that may name a secret.
    struct SecretValue {
        var value: String
        var fromVault: Bool
    }

    /// Reads a value that may come from the secure vault: an `svns:secretAlias="alias"`
    /// attribute (the element's text is then ignored, as Micro Integrator does), text that is
    /// exactly `$secret{alias}`, or the text itself.
    ///
    /// - Parameter trimming: false for passwords, which are used exactly as written.
    /// - Throws: `secretNotResolved` naming the alias when the resolver fails, and
    ///   `invalidConfiguration` for a malformed `$secret{...}` reference. A failure never falls
    ///   back to the literal text.
    func secretCapableValue(of element: ConfigElement, trimming: Bool) throws -> SecretValue {
        if let alias = try secretAliasAttribute(of: element) {
            return SecretValue(value: try resolveSecret(alias: alias, at: element.location), fromVault: true)
        }

        let trimmed = element.trimmedText
        if trimmed.hasPrefix("$secret{") {
            guard let alias = SecretReference.alias(in: trimmed) else {
                throw SecurityError.configuration(
                    "Secret reference is malformed", value: trimmed,
                    fix: "write the reference as $secret{alias} with a non-empty alias", at: element.location)
            }
            return SecretValue(value: try resolveSecret(alias: alias, at: element.location), fromVault: true)
        }
        return SecretValue(value: trimming ? trimmed : element.text, fromVault: false)
    }

    /// Returns the alias of an `svns:secretAlias` attribute, or nil when the element has none.
    private func secretAliasAttribute(of element: ConfigElement) throws -> String? {
        guard let alias = element.attributes["secretAlias"] else { return nil }
        guard element.attributeNamespaces["secretAlias"] == Self.secureVaultNamespace else {
            throw SecurityError.configuration(
                "Attribute secretAlias is not in the secure vault namespace",
                value: element.attributeNamespaces["secretAlias"] ?? "no namespace",
                fix: "declare xmlns:svns=\"\(Self.secureVaultNamespace)\" and write svns:secretAlias",
                at: element.location)
        }
        let trimmed = alias.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw SecurityError.configuration(
                "Attribute svns:secretAlias is empty", fix: "name the alias of the secret in the secret repository",
                at: element.location)
        }
        return trimmed
    }

    private func resolveSecret(alias: String, at location: SecurityError.Location) throws -> String {
        do {
            return try secretResolver.resolve(alias: alias)
        } catch var error as SecurityError {
            if error.location == nil { error.location = location }
            if error.value == nil { error.value = alias }
            throw error
        } catch {
            throw SecurityError(
                .secretNotResolved, reason: "Secret alias could not be resolved", value: alias,
                fix: "check the secret repository and the alias", location: location, underlying: "\(error)")
        }
    }
}
