import Foundation

/// The outside world of the cipher tool: streams, environment, terminal and working folder.
///
/// The executable uses `process`; tests pass their own input and capture the output.
public struct CipherToolIO: Sendable {
    /// Reads standard input to its end.
    public var readStandardInput: @Sendable () -> Data
    /// Writes to standard output.
    public var writeOutput: @Sendable (String) -> Void
    /// Writes to standard error.
    public var writeError: @Sendable (String) -> Void
    /// Asks for passwords and values without echo.
    public var prompt: PasswordPrompt
    /// The environment, for the key store password.
    public var environment: [String: String]
    /// The folder that relative paths and the `password-tmp` file resolve against.
    public var workingDirectory: String

    public init(
        readStandardInput: @escaping @Sendable () -> Data,
        writeOutput: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void,
        prompt: PasswordPrompt,
        environment: [String: String],
        workingDirectory: String
    ) {
        self.readStandardInput = readStandardInput
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.prompt = prompt
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The real process: its standard streams, environment, terminal and current folder.
    public static var process: CipherToolIO {
        CipherToolIO(
            readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() },
            writeOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            prompt: .terminal,
            environment: ProcessInfo.processInfo.environment,
            workingDirectory: FileManager.default.currentDirectoryPath)
    }
}
