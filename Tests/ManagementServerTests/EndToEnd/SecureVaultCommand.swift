import Foundation

/// Runs the command-line tools of the secure-vault tests (`openssl`, `keytool`, `ciphertool`)
/// with text on standard input and an explicit environment.
enum SecureVaultCommand {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `arguments`; the first is the program, looked up on PATH unless it contains a `/`.
    ///
    /// - Parameter environment: variables set on top of this process's environment. An empty
    ///   value does not unset a variable, but it hides the inherited value from tools that skip
    ///   empty variables.
    static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], in directory: String
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }

        let output = Pipe()
        let error = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input {
            standardInput.fileHandleForWriting.write(Data(input.utf8))
        }
        try standardInput.fileHandleForWriting.close()

        // Read both pipes before waiting, so a command that writes a lot cannot block on a full pipe.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs the command and throws `EndToEndError.commandFailed` with its error output when it
    /// exits with a non-zero status.
    @discardableResult
    static func succeed(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], in directory: String
    ) throws -> String {
        let result = try run(arguments, input: input, environment: environment, in: directory)
        guard result.status == 0 else {
            throw EndToEndError.commandFailed(
                "'\(arguments.joined(separator: " "))' exited with status \(result.status): \(result.error)")
        }
        return result.output
    }
}
