/// A command line the cipher tool cannot run: unknown command or option, missing value.
/// The tool prints it with the usage text and exits with status 2.
public struct CipherToolUsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problem, as one sentence.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
