import Foundation

/// The exit status, standard output and standard error of one command run by `MicroIntegratorTool`.
struct ToolResult {
    var status: Int32
    var output: String
    var errors: String

    /// Standard output followed by standard error, for tools such as `openssl s_client` that
    /// split one report across both.
    var combinedOutput: String { output + errors }
}

/// Runs the command-line tools the compatibility tests need (`keytool`, `openssl`, the server
/// binary) without treating a non-zero exit as an error, because several tests expect one.
enum MicroIntegratorTool {
    /// Runs `executable` with `arguments`, standard input at `/dev/null`, and kills it after
    /// `timeout` seconds so a stuck tool fails the test instead of hanging it.
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()

        let watchdog = DispatchWorkItem {
            if process.isRunning { process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)

        // Standard error is read on another thread so that neither pipe can fill up and block the tool.
        let errorData = ErrorCollector()
        let errorReader = DispatchQueue(label: "micro-integrator-tool.stderr")
        let group = DispatchGroup()
        errorReader.async(group: group) {
            errorData.store(errors.fileHandleForReading.readDataToEndOfFile())
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        watchdog.cancel()

        return ToolResult(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self), errors: String(decoding: errorData.data, as: UTF8.self)
        )
    }

    /// Runs `keytool` and throws with its output when it fails, because every key store a
    /// test builds must exist before the server starts.
    static func keytool(_ arguments: [String]) throws {
        try requireSuccess("/usr/bin/keytool", arguments)
    }

    /// Runs `openssl` and throws with its output when it fails.
    @discardableResult
    static func openssl(_ arguments: [String]) throws -> String {
        try requireSuccess("/usr/bin/openssl", arguments)
    }

    @discardableResult
    private static func requireSuccess(_ executable: String, _ arguments: [String]) throws -> String {
        let result = try run(executable, arguments)
        guard result.status == 0 else {
            throw EndToEndError.commandFailed(
                "\(executable) \(arguments.joined(separator: " ")) failed with status \(result.status): \(result.combinedOutput)"
            )
        }
        return result.output
    }
}

/// Holds the bytes read from standard error until the reading thread is done.
private final class ErrorCollector: @unchecked Sendable {
    private(set) var data = Data()

    /// Stores the bytes read. The caller's `DispatchGroup.wait()` orders this write before any read of `data`.
    func store(_ data: Data) {
        self.data = data
    }
}
