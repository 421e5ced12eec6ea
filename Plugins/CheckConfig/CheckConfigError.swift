/// A failure of the check-config plugin, with a message that names the value and the fix.
struct CheckConfigError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
