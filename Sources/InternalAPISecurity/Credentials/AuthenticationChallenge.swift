/// `WWW-Authenticate` challenges (RFC 7235, section 4.1).
public enum AuthenticationChallenge {
    /// The realm every built-in handler names unless its configuration sets `<Realm>`, so a
    /// client sees one protection space for the whole management API.
    public static let defaultRealm = "WSO2 Micro Integrator Management API"

    /// `Basic realm="<realm>", charset="UTF-8"` (RFC 7617, section 2.1).
    public static func basic(realm: String) -> String {
        "Basic realm=\(quoted(realm)), charset=\"UTF-8\""
    }

    /// `Bearer realm="<realm>"`, with `error="invalid_token"` when a token was presented but is
    /// not valid (RFC 6750, section 3).
    public static func bearer(realm: String, invalidToken: Bool) -> String {
        var value = "Bearer realm=\(quoted(realm))"
        if invalidToken { value += ", error=\"invalid_token\"" }
        return value
    }

    /// Quotes a value as an HTTP quoted-string, escaping `"` and `\`.
    static func quoted(_ value: String) -> String {
        var output = "\""
        for character in value {
            if character == "\"" || character == "\\" { output.append("\\") }
            output.append(character)
        }
        return output + "\""
    }
}
