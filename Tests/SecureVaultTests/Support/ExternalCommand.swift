import Foundation

/// Runs a command found on PATH and collects what it wrote.
struct ExternalCommand {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `arguments` (the first is the program, looked up on PATH unless it has a `/`).
    static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
        in directory: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }

        let output = Pipe()
        let error = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()

        // Read both pipes before waiting, so a chatty command cannot block on a full pipe.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs the command and throws with its error output when it exits with a non-zero status.
    @discardableResult
    static func succeed(_ arguments: [String], input: String? = nil, in directory: String? = nil) throws -> String {
        let result = try run(arguments, input: input, in: directory)
        guard result.status == 0 else {
            throw CommandFailure(command: arguments.joined(separator: " "), status: result.status, error: result.error)
        }
        return result.output
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var command: String
    var status: Int32
    var error: String

    var description: String { "'\(command)' exited with \(status): \(error)" }
}
