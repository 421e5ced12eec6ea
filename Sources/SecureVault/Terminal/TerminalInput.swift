import Foundation
import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

/// Reads secrets from the terminal on standard input, with echo turned off.
public enum TerminalInput {
    /// Whether standard input is a terminal.
    public static var isInteractive: Bool {
        isatty(STDIN_FILENO) == 1
    }

    /// Writes `prompt` to standard error, reads one line from standard input with echo off,
    /// and restores the terminal settings.
    ///
    /// NOTE: a signal that ends the process while the prompt waits leaves echo off; `stty echo`
    /// turns it back on.
    ///
    /// - Returns: the line without its line break, or nil at end of input.
    /// - Throws: `SecurityError` with code `invalidArgument` when standard input is not a
    ///   terminal or its settings cannot be changed.
    public static func readLineWithoutEcho(prompt: String) throws -> String? {
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else {
            throw SecurityError(
                .invalidArgument, reason: "Standard input is not a terminal, so a secret cannot be asked for",
                fix: "give the secret through the environment, a file or standard input")
        }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else {
            throw SecurityError(
                .invalidArgument, reason: "Terminal echo could not be turned off",
                fix: "give the secret through the environment, a file or standard input")
        }
        defer { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }

        FileHandle.standardError.write(Data(prompt.utf8))
        var bytes: [UInt8] = []
        defer { resetBytes(&bytes) }
        var byte: UInt8 = 0
        while read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") {
                return decodeLine(bytes)
            }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : decodeLine(bytes)
    }

    private static func decodeLine(_ bytes: [UInt8]) -> String {
        var line = bytes[...]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }

    private static func resetBytes(_ bytes: inout [UInt8]) {
        for index in bytes.indices { bytes[index] = 0 }
    }
}
