import Foundation

/// An HTTP response as curl received it.
struct CurlResponse {
    var status: Int
    /// Header fields with lower-case names; repeated fields keep their last value.
    var headers: [String: String]
    var body: String

    func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}

/// Runs `/usr/bin/curl` against the server under test, as an operator would.
enum CurlClient {
    /// Sends one request. `-k` accepts the server's self-signed certificate.
    static func request(
        _ url: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil,
        extraArguments: [String] = []
    ) throws -> CurlResponse {
        var arguments = ["-k", "-s", "-S", "--max-time", "20", "-X", method, "-D", "-", "-o", "-"]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            arguments += ["-H", "\(name): \(value)"]
        }
        if let body {
            arguments += ["--data-binary", body]
        }
        arguments += extraArguments
        arguments.append(url)

        let output = try run("/usr/bin/curl", arguments)
        return try parse(output)
    }

    /// Runs a command with a timeout and returns its standard output.
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 30) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EndToEndError.commandFailed(
                "\(executable) \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus): "
                    + String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func parse(_ output: String) throws -> CurlResponse {
        guard let separator = output.range(of: "\r\n\r\n") else {
            throw EndToEndError.commandFailed("curl output has no header block: \(output)")
        }
        let head = output[..<separator.lowerBound]
        let body = String(output[separator.upperBound...])
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw EndToEndError.commandFailed("curl output has no status line: \(statusLine)")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
        return CurlResponse(status: status, headers: headers, body: body)
    }
}
