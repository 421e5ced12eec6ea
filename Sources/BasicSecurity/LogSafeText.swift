/// Prepares client-supplied text for log metadata.
enum LogSafeText {
    /// The maximum length of a logged username, in Unicode scalars. Longer ones are cut and end with `…`.
    static let maxUsernameLength = 128

    /// Returns `username` with control and line-separator characters escaped as `\u{XX}` and
    /// its length bounded, so a crafted username cannot forge or flood log lines.
    ///
    /// The log formatter escapes control characters too; this keeps the metadata value safe for
    /// any log handler. The input is a Swift `String`, so it is always valid Unicode.
    static func username(_ username: String) -> String {
        var output = ""
        var length = 0
        for scalar in username.unicodeScalars {
            guard length < maxUsernameLength else {
                output += "…"
                break
            }
            if needsEscaping(scalar) {
                output += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                output.unicodeScalars.append(scalar)
            }
            length += 1
        }
        return output
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: scalar == "\\"
        }
    }
}
