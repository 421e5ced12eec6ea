import Dispatch
import Foundation

/// Runs a command-line tool such as `keytool` or `openssl` with a timeout.
struct ToolRunner {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// How long one tool run may take before it is stopped, in seconds.
    var timeout: TimeInterval = 120

    /// Runs `tool` (looked up on PATH) with `arguments` in `directory` and returns its output.
    ///
    /// - Throws: `Failure` when the tool is not found, exits non-zero or runs past the timeout.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> String {
        guard let executable = Self.find(tool) else {
            throw Failure(
                description: "'\(tool)' is not on PATH; install it (keytool: apt-get install default-jdk-headless)")
        }
        let outputURL = directory.appendingPathComponent(".tool-output-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw Failure(description: "Creating \(outputURL.path) failed")
        }
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()

        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) timed out after \(Int(timeout)) s")
        }
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure(
                description:
                    "\(tool) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(text)")
        }
        return text
    }

    static func find(_ tool: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
