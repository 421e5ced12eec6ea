import Foundation
import Testing

/// A `management-server` process started for one test on kernel-chosen loopback ports.
///
/// The server's log goes to a file so that a test can read the chosen ports and check what
/// was logged. `stop()` sends SIGTERM and waits; `deinit` kills a server a test forgot.
final class EndToEndServer: @unchecked Sendable {
    let process: Process
    let directory: URL
    let logFile: URL
    /// The HTTPS port of the management API, when it is served over HTTPS.
    private(set) var httpsPort: Int?
    /// The HTTP port of metrics and probes.
    private(set) var httpPort: Int?

    /// Starts the server with `arguments` and waits until it logs that it is ready.
    ///
    /// - Parameters:
    ///   - configuration: XML written to `internal-apis.xml` in a fresh folder and passed with
    ///     `--config`, or nil for the embedded default.
    ///   - files: other files to write into the folder (relative path to contents).
    ///   - configurationFile: a configuration file already on disk, passed with `--config`
    ///     instead of `configuration` (for documents that are not UTF-8).
    ///   - home: the folder passed with `--home`, or nil for the server's own fresh folder.
    init(
        configuration: String? = nil, files: [String: String] = [:], arguments: [String] = [],
        environment: [String: String] = [:], configurationFile: URL? = nil, home: URL? = nil
    ) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("management-server-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        logFile = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)

        for (path, contents) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }

        var allArguments = [
            "--https-port", "0", "--http-port", "0", "--bind", "127.0.0.1",
            "--state-dir", directory.appendingPathComponent("state").path,
            "--home", (home ?? directory).path, "--event-loops", "2",
        ]
        if let configuration {
            let configPath = directory.appendingPathComponent("internal-apis.xml")
            try configuration.write(to: configPath, atomically: true, encoding: .utf8)
            allArguments += ["--config", configPath.path]
        } else if let configurationFile {
            allArguments += ["--config", configurationFile.path]
        }
        allArguments += arguments

        process = Process()
        process.executableURL = try Self.serverExecutable()
        process.arguments = allArguments
        process.currentDirectoryURL = directory
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment.merge(environment) { _, new in new }
        process.environment = processEnvironment
        let logHandle = try FileHandle(forWritingTo: logFile)
        process.standardError = logHandle
        process.standardOutput = logHandle
        try process.run()

        try waitUntilReady()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The server's log so far.
    var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// `https://127.0.0.1:<port>` for the management API.
    var managementURL: String {
        "https://127.0.0.1:\(httpsPort ?? 0)/management"
    }

    var metricsURL: String {
        "http://127.0.0.1:\(httpPort ?? 0)/metric-service/metrics"
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 20) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            process.terminate()
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func waitUntilReady(timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = log
            for line in text.split(separator: "\n") where line.contains("listening") {
                guard let port = Self.metadataValue("port", in: line).flatMap(Int.init) else { continue }
                if Self.metadataValue("scheme", in: line) == "https" { httpsPort = port }
                if Self.metadataValue("scheme", in: line) == "http" { httpPort = port }
            }
            // The transport's own "HTTP server started" line comes before the listening lines,
            // so only the server's final line means every port is known.
            if text.contains("management-server: server started") {
                return
            }
            if !process.isRunning {
                throw EndToEndError.exited(status: process.terminationStatus, log: text)
            }
            usleep(50_000)
        }
        throw EndToEndError.timedOut(log: log)
    }

    /// Reads `key=value` from a log line; values are not quoted for ports and schemes.
    static func metadataValue(_ key: String, in line: Substring) -> String? {
        for field in line.split(separator: " ") where field.hasPrefix("\(key)=") {
            return String(field.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// Finds the `management-server` binary built next to the test bundle.
    static func serverExecutable() throws -> URL {
        var candidates: [URL] = []
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(testBinary.deletingLastPathComponent().appendingPathComponent("management-server"))
        candidates.append(
            testBinary.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("management-server"))
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/management-server"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw EndToEndError.executableNotFound(candidates.map(\.path))
    }
}

enum EndToEndError: Error, CustomStringConvertible {
    case exited(status: Int32, log: String)
    case timedOut(log: String)
    case executableNotFound([String])
    case commandFailed(String)

    var description: String {
        switch self {
        case .exited(let status, let log): "management-server exited with status \(status) before it was ready:\n\(log)"
        case .timedOut(let log): "management-server was not ready within the timeout:\n\(log)"
        case .executableNotFound(let paths):
            "management-server not found; build it with `swift build --build-tests`. Looked at: \(paths)"
        case .commandFailed(let message): message
        }
    }
}
