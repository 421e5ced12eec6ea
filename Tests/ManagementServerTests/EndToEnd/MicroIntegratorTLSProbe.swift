import Foundation

/// TLS checks with `openssl s_client` and `openssl x509`: which certificate a port serves and
/// which protocol versions it accepts.
enum MicroIntegratorTLSProbe {
    /// Connects to `127.0.0.1:port` and returns the `s_client` result, with `extraArguments`
    /// such as `-tls1_1`.
    static func handshake(port: Int, _ extraArguments: [String] = []) throws -> ToolResult {
        try MicroIntegratorTool.run(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"] + extraArguments,
            timeout: 20)
    }

    /// Attempts a TLS 1.1 handshake. `DEFAULT@SECLEVEL=0` lets the local OpenSSL offer TLS 1.1
    /// at all, so a failure comes from the server.
    static func handshakeWithTLS11(port: Int) throws -> ToolResult {
        try handshake(port: port, ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])
    }

    /// Fetches the leaf certificate that `127.0.0.1:port` serves, as PEM, over TLS 1.2.
    static func servedCertificate(port: Int) throws -> String {
        let result = try handshake(port: port, ["-tls1_2"])
        guard result.status == 0, let pem = firstCertificate(in: result.output) else {
            throw EndToEndError.commandFailed("openssl s_client got no certificate: \(result.combinedOutput)")
        }
        return pem
    }

    /// Computes the SHA-256 fingerprint of a PEM certificate, as `openssl x509 -fingerprint` prints it.
    static func fingerprint(_ pem: String) throws -> String {
        try x509(pem, ["-noout", "-fingerprint", "-sha256"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Reads the subject of a PEM certificate, as `openssl x509 -subject` prints it.
    static func subject(_ pem: String) throws -> String {
        try x509(pem, ["-noout", "-subject"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Finds the first `-----BEGIN CERTIFICATE-----` block in `text`.
    static func firstCertificate(in text: String) -> String? {
        guard let begin = text.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex)
        else { return nil }
        return String(text[begin.lowerBound..<end.upperBound]) + "\n"
    }

    private static func x509(_ pem: String, _ arguments: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mi-certificate-\(UUID().uuidString).pem")
        try pem.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try MicroIntegratorTool.openssl(["x509", "-in", file.path] + arguments)
    }
}
