import Foundation

/// A curl request running in the background, so that a test can signal the server while the
/// request is in flight and collect the outcome afterwards.
final class LifecycleRequest {
    /// What curl reported once it finished.
    struct Outcome {
        /// curl's exit status: 0 when a response arrived, non-zero when the transfer failed.
        var curlStatus: Int32
        /// The HTTP status, or nil when no response arrived.
        var httpStatus: Int?
        var body: String
    }

    private let process = Process()
    private let output = Pipe()
    private let bodyFile: URL

    /// Starts `curl -k` on `url` with `headers`; its output is read when the request finishes.
    init(_ url: String, headers: [String: String] = [:], maxTime: TimeInterval = 20) throws {
        bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("lifecycle-body-\(UUID().uuidString)")
        var arguments = ["-k", "-s", "--max-time", String(maxTime), "-o", bodyFile.path, "-w", "%{http_code}"]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            arguments += ["-H", "\(name): \(value)"]
        }
        arguments.append(url)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: bodyFile)
    }

    var isRunning: Bool { process.isRunning }

    /// Waits for curl to exit and returns what it received.
    func finish() -> Outcome {
        let written = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let code = Int(String(decoding: written, as: UTF8.self).trimmingCharacters(in: .whitespaces)) ?? 0
        let body = (try? String(contentsOf: bodyFile, encoding: .utf8)) ?? ""
        return Outcome(curlStatus: process.terminationStatus, httpStatus: code == 0 ? nil : code, body: body)
    }
}
