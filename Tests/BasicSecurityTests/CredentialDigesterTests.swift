import COpenSSL
import Foundation
import InternalAPISecurity
import Testing

@testable import BasicSecurity

/// Computes HMAC-SHA256 with OpenSSL's one-shot `HMAC()`, the reference for the digester.
private func referenceHMAC(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    _ = HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &output, &length)
    return Array(output.prefix(Int(length)))
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

@Suite("CredentialDigester")
struct CredentialDigesterTests {
    @Test("matches openssl command line")
    func matchesOpenSSLCommandLine() throws {
        // printf 'admin:p\xc3\xa4ss:word' | openssl dgst -sha256 -hmac Jefe   (OpenSSL 3.0)
        let digester = try CredentialDigester(key: Array("Jefe".utf8))

        let digest = try #require(digester.digest(username: "admin", password: "päss:word"))

        #expect(
            hex(CredentialDigester.bytes(of: digest))
                == "ab80c6dd2a010a27afdca0d251d5215f52b3e18352869fab80e7d82adfed5586")
    }

    @Test("matches OpenSSL HMAC", arguments: [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 200, 1000])
    func matchesOpenSSLHMAC(passwordLength: Int) throws {
        let key = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let digester = try CredentialDigester(key: key)
        let password =
            String(repeating: "é", count: passwordLength / 2) + String(repeating: "x", count: passwordLength % 2)

        let digest = try #require(digester.digest(username: "jörg", password: password))

        let expected = referenceHMAC(key: key, message: Array("jörg:\(password)".utf8))
        #expect(CredentialDigester.bytes(of: digest) == expected)
    }

    @Test("random keys differ")
    func randomKeysDiffer() throws {
        let first = try CredentialDigester()
        let second = try CredentialDigester()

        let firstDigest = first.digest(username: "admin", password: "admin")
        let secondDigest = second.digest(username: "admin", password: "admin")

        #expect(firstDigest != nil)
        #expect(firstDigest != secondDigest)
        #expect(firstDigest == first.digest(username: "admin", password: "admin"))
    }

    @Test("colon placement changes digest")
    func colonPlacementChangesDigest() throws {
        let digester = try CredentialDigester()

        let split = digester.digest(username: "ab", password: "c")
        let shifted = digester.digest(username: "a", password: "bc")

        #expect(split != shifted)
    }

    @Test("long key rejected")
    func longKeyRejected() {
        #expect(throws: SecurityError.self) {
            try CredentialDigester(key: [UInt8](repeating: 1, count: 65))
        }
    }
}
