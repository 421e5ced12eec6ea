/// A failure of the scaffold plugin, with a message that names the value and the fix.
struct ScaffoldError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
