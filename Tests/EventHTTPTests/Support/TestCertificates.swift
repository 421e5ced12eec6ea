import Foundation

/// Runs a program and returns its exit status and combined output.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], input: String? = nil) throws -> (
    status: Int32, output: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    try process.run()
    if let input {
        inputPipe.fileHandleForWriting.write(Data(input.utf8))
    }
    try inputPipe.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A temporary folder with a CA, a server certificate for localhost and 127.0.0.1 signed by
/// it, and a client certificate signed by it, made with the `openssl` command.
struct TestCertificates {
    let directory: URL
    var caCertificate: String { directory.appendingPathComponent("ca.pem").path }
    var serverCertificate: String { directory.appendingPathComponent("server.pem").path }
    var serverKey: String { directory.appendingPathComponent("server-key.pem").path }
    var clientCertificate: String { directory.appendingPathComponent("client.pem").path }
    var clientKey: String { directory.appendingPathComponent("client-key.pem").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventhttp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let folder = directory.path
        let extensions = "\(folder)/server.ext"
        try "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n".write(
            toFile: extensions, atomically: true, encoding: .utf8)

        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(folder)/ca-key.pem", "-out",
                caCertificate,
                "-days", "2", "-subj", "/CN=EventHTTP Test CA",
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey, "-out", "\(folder)/server.csr",
                "-subj", "/CN=localhost",
            ],
            [
                "x509", "-req", "-in", "\(folder)/server.csr", "-CA", caCertificate, "-CAkey", "\(folder)/ca-key.pem",
                "-CAcreateserial", "-out", serverCertificate, "-days", "2", "-extfile", extensions,
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", clientKey, "-out", "\(folder)/client.csr",
                "-subj", "/O=EventHTTP Tests/CN=test-client",
            ],
            [
                "x509", "-req", "-in", "\(folder)/client.csr", "-CA", caCertificate, "-CAkey", "\(folder)/ca-key.pem",
                "-CAcreateserial", "-out", clientCertificate, "-days", "2",
            ],
        ]
        for arguments in steps {
            let result = try runProcess("/usr/bin/openssl", arguments)
            guard result.status == 0 else {
                throw ClientError(description: "openssl \(arguments[0]) failed: \(result.output)")
            }
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs curl against the server and returns its exit status and output (the body, then the
/// status code on the last line).
func curl(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try runProcess("/usr/bin/curl", ["-sS", "--max-time", "5", "-w", "\n%{http_code}"] + arguments)
}
