/// An interactive password question, which can decline when no terminal is attached.
///
/// The secure vault takes a prompt instead of reading the terminal itself, so that tests and
/// embedding servers can decide whether an interactive question is possible.
public struct PasswordPrompt: Sendable {
    /// Whether a question can be asked now.
    public let isAvailable: @Sendable () -> Bool
    /// Asks with the given prompt text and returns the answer, or nil at end of input.
    public let ask: @Sendable (String) throws -> String?

    public init(isAvailable: @escaping @Sendable () -> Bool, ask: @escaping @Sendable (String) throws -> String?) {
        self.isAvailable = isAvailable
        self.ask = ask
    }

    /// Asks on standard input without echo, when standard input is a terminal.
    public static let terminal = PasswordPrompt(
        isAvailable: { TerminalInput.isInteractive },
        ask: { prompt in try TerminalInput.readLineWithoutEcho(prompt: prompt) })

    /// A prompt that is never available, for servers run by a service manager.
    public static let unavailable = PasswordPrompt(isAvailable: { false }, ask: { _ in nil })
}
