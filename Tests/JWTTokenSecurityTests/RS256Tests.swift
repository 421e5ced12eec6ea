import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("RS256 signing and verification")
struct RS256Tests {
    @Test func verifiesRFC7515Example() throws {
        let key = try RSAPublicKey(jwkModulus: RFC7515Example.modulus, exponent: RFC7515Example.exponent)
        let verifier = RS256Verifier(key: key)

        #expect(key.bits == 2048)
        #expect(try verifier.verify(token: RFC7515Example.compact))
    }

    @Test func rejectsAlteredRFC7515Example() throws {
        let verifier = RS256Verifier(
            key: try RSAPublicKey(jwkModulus: RFC7515Example.modulus, exponent: RFC7515Example.exponent))
        let alteredPayload = Base64URL.encode(Array("{\"iss\":\"joe\",\"exp\":1300819380}".utf8))

        #expect(
            try !verifier.verify(token: RFC7515Example.header + "." + alteredPayload + "." + RFC7515Example.signature))
        #expect(try !verifier.verify(token: RFC7515Example.header + "." + RFC7515Example.payload + ".AAAA"))
        #expect(try !verifier.verify(token: RFC7515Example.header + "." + RFC7515Example.payload))
    }

    @Test func jwkRoundTripsModulus() throws {
        let key = try RSAPublicKey(jwkModulus: RFC7515Example.modulus, exponent: RFC7515Example.exponent)

        #expect(Base64URL.encode(try key.modulus()) == RFC7515Example.modulus)
        #expect(Base64URL.encode(try key.exponent()) == "AQAB")
    }

    @Test func signatureVerifiesWithOwnKey() throws {
        let signer = RS256Signer(key: TestKeys.signing)
        let verifier = RS256Verifier(key: TestKeys.signing.publicKey)
        let message = Array("signing input".utf8)

        let signature = try signer.sign(message)

        #expect(signature.count == 256)
        #expect(try verifier.verify(signature: signature, of: message))
        #expect(try !verifier.verify(signature: signature, of: Array("other input".utf8)))
    }

    @Test func otherKeyDoesNotVerify() throws {
        let token = try TokenIssuer(key: TestKeys.signing, lifetime: 60)
            .issue(for: Principal(username: "alice"), at: TokenRecords.start).token
        let otherKey = try RSAPublicKey(jwkModulus: RFC7515Example.modulus, exponent: RFC7515Example.exponent)

        #expect(try !RS256Verifier(key: otherKey).verify(token: token))
        #expect(try RS256Verifier(key: TestKeys.signing.publicKey).verify(token: token))
    }

    @Test func keySizeOutOfRangeRejected() {
        #expect(throws: SecurityError.self) { try RSASigningKey.generate(bits: 1024) }
        #expect(throws: SecurityError.self) { try RSASigningKey.generate(bits: 16384) }
    }

    @Test func privateKeyPEMRoundTrips() throws {
        let pem = try TestKeys.signing.privateKeyPEM()
        let loaded = try RSASigningKey(pem: pem)

        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try loaded.publicKey.keyID() == TestKeys.signing.publicKey.keyID())
    }

    @Test func encryptedPEMRejectedWithoutPrompt() throws {
        let pem = try openSSLOutput([
            "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes-128-cbc", "-pass",
            "pass:test-only",
        ])

        #expect(pem.contains("ENCRYPTED"))
        #expect(throws: SecurityError.self) { try RSASigningKey(pem: pem) }
    }

    @Test func garbagePEMRejected() {
        #expect(throws: SecurityError.self) { try RSASigningKey(pem: "not a key") }
        #expect(throws: SecurityError.self) { try RSAPublicKey(pem: "") }
        #expect(throws: SecurityError.self) { try RSAPublicKey(jwkModulus: "a", exponent: "AQAB") }
    }
}

/// Runs the `openssl` command with `arguments` and returns its standard output.
func openSSLOutput(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
