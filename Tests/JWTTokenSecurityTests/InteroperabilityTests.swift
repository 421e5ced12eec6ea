import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("Verification by other tools")
struct InteroperabilityTests {
    let issued: IssuedToken

    init() throws {
        issued = try TokenIssuer(key: TestKeys.signing, lifetime: 3600)
            .issue(for: Principal(username: "alice"), at: TokenRecords.start)
    }

    /// Writes the public key, signing input and signature and returns the `openssl dgst` exit
    /// status and output.
    private func verifyWithOpenSSL(token: String) throws -> (status: Int32, output: String) {
        let folder = try TemporaryFolder()
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        let signature = try #require(Base64URL.decode(parts[2]))
        try TestKeys.signing.publicKey.pem().write(toFile: folder.path("pub.pem"), atomically: true, encoding: .utf8)
        try Data((parts[0] + "." + parts[1]).utf8).write(to: URL(fileURLWithPath: folder.path("input.txt")))
        try Data(signature).write(to: URL(fileURLWithPath: folder.path("sig.bin")))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "dgst", "-sha256", "-verify", folder.path("pub.pem"), "-signature", folder.path("sig.bin"),
            folder.path("input.txt"),
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func openSSLVerifiesToken() throws {
        let result = try verifyWithOpenSSL(token: issued.token)

        #expect(result.status == 0)
        #expect(result.output.contains("Verified OK"))
    }

    @Test func openSSLRejectsAlteredToken() throws {
        let parts = issued.token.split(separator: ".")
        let otherClaims = Base64URL.encode(Array("{\"sub\":\"admin\",\"scope\":\"admin\"}".utf8))

        let result = try verifyWithOpenSSL(token: parts[0] + "." + otherClaims + "." + parts[2])

        #expect(result.status != 0)
        #expect(result.output.contains("Verification failure"))
    }

    @Test(.enabled(if: pyJWTAvailable(), "PyJWT is not installed"))
    func pyJWTVerifiesToken() throws {
        let folder = try TemporaryFolder()
        try TestKeys.signing.publicKey.pem().write(toFile: folder.path("pub.pem"), atomically: true, encoding: .utf8)
        let script = """
            import sys, jwt
            key = open(sys.argv[1]).read()
            claims = jwt.decode(sys.argv[2], key, algorithms=["RS256"], options={"verify_exp": False})
            print(claims["sub"])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, folder.path("pub.pem"), issued.token]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 0)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "alice")
    }
}

/// Checks whether `python3 -c "import jwt"` succeeds, so the PyJWT test runs only where PyJWT is installed.
func pyJWTAvailable() -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import jwt"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        return false
    }
    process.waitUntilExit()
    return process.terminationStatus == 0
}
