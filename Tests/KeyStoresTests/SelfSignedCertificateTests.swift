import COpenSSL
import Foundation
import InternalAPISecurity
import Testing

@testable import KeyStores

@Suite("Self-signed certificates")
struct SelfSignedCertificateTests {
    @Test func madeForLocalhost() throws {
        let (key, certificate) = try SelfSignedCertificate.make()

        #expect(key.algorithm == "RSA")
        #expect(key.bits == 2048)
        #expect(key.matches(certificate))
        #expect(certificate.subject == "CN=localhost")
        #expect(certificate.issuer == "CN=localhost")
        #expect(X509_check_host(certificate.pointer, "localhost", 0, 0, nil) == 1)
        #expect(X509_check_ip_asc(certificate.pointer, "127.0.0.1", 0) == 1)
        #expect(X509_check_ip_asc(certificate.pointer, "::1", 0) == 1)
        #expect(X509_check_host(certificate.pointer, "example.com", 0, 0, nil) == 0)
        #expect(certificate.notAfter > Date().addingTimeInterval(364 * 86400))
        #expect(certificate.notAfter < Date().addingTimeInterval(366 * 86400))
    }

    @Test func signatureVerifies() throws {
        let (key, certificate) = try SelfSignedCertificate.make(
            commonName: "test.example", subjectAlternativeNames: ["test.example"])

        #expect(X509_verify(certificate.pointer, key.pointer) == 1)
        #expect(certificate.subject == "CN=test.example")
    }

    @Test func smallKeyRejected() throws {
        let error = try #require(throws: SecurityError.self) {
            try SelfSignedCertificate.make(keyBits: 1024)
        }

        #expect(error.code == .invalidArgument)
        #expect(error.value == "1024")
    }

    @Test func commaInNameRejected() throws {
        let error = try #require(throws: SecurityError.self) {
            try SelfSignedCertificate.make(subjectAlternativeNames: ["a.example,IP:10.0.0.1"])
        }

        #expect(error.code == .invalidArgument)
    }

    @Test func createdOnceThenReused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let stateFolder = directory.path("state")

        let first = try SelfSignedCertificate.loadOrCreate(in: stateFolder, logger: capture.logger())
        let second = try SelfSignedCertificate.loadOrCreate(in: stateFolder, logger: capture.logger())

        #expect(first.created)
        #expect(!second.created)
        #expect(second.1.derBytes == first.1.derBytes)
        #expect(second.0.matches(first.1))
        let created = capture.entries(withMessage: "Created a self-signed certificate for localhost")
        #expect(created.count == 1)
        #expect(created.first?.metadata["key"] == directory.path("state/server.key"))
        #expect(created.first?.metadata["certificate"] == directory.path("state/server.crt"))
        #expect(!capture.allText.contains("PRIVATE KEY"))
    }

    @Test func keyFileModeIsOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = directory.path("server.key")
        // A wider mode left by an earlier file must not survive.
        try Data("old".utf8).write(to: URL(fileURLWithPath: keyPath))
        chmod(keyPath, 0o644)

        _ = try SelfSignedCertificate.loadOrCreate(in: directory.url.path, logger: .disabled())

        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        let permissions = try #require(attributes[.posixPermissions] as? Int)
        #expect(permissions == 0o600)
        let text = try String(contentsOfFile: keyPath, encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func damagedCertificateRegenerated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let first = try SelfSignedCertificate.loadOrCreate(in: directory.url.path, logger: capture.logger())
        try Data("-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n".utf8)
            .write(to: URL(fileURLWithPath: directory.path("server.crt")))

        let second = try SelfSignedCertificate.loadOrCreate(in: directory.url.path, logger: capture.logger())

        #expect(second.created)
        #expect(second.1.derBytes != first.1.derBytes)
        #expect(second.0.matches(second.1))
        let replaced = capture.entries(withMessage: "Replacing the stored self-signed certificate")
        #expect(replaced.first?.metadata["reason"] == "unreadable")
    }

    @Test func expiredCertificateRegenerated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let (key, certificate) = try SelfSignedCertificate.make()
        // Move the end of validity one day into the past and sign again.
        #expect(X509_gmtime_adj(X509_getm_notAfter(certificate.pointer), -86400) != nil)
        #expect(X509_sign(certificate.pointer, key.pointer, EVP_sha256()) > 0)
        try key.pemString().write(toFile: directory.path("server.key"), atomically: true, encoding: .utf8)
        try certificate.pemString.write(toFile: directory.path("server.crt"), atomically: true, encoding: .utf8)
        // A key file others can read would be replaced for that reason instead.
        chmod(directory.path("server.key"), 0o600)

        let loaded = try SelfSignedCertificate.loadOrCreate(in: directory.url.path, logger: capture.logger())

        #expect(certificate.isExpired())
        #expect(loaded.created)
        #expect(!loaded.1.isExpired())
        let replaced = capture.entries(withMessage: "Replacing the stored self-signed certificate")
        #expect(replaced.first?.metadata["reason"] == "expired")
    }

    @Test func plantedTemporaryLinkNotFollowed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stateFolder = directory.path("state")
        try FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: false)
        let target = directory.path("target.txt")
        try Data("unchanged".utf8).write(to: URL(fileURLWithPath: target))
        // Earlier versions wrote the key to this name first, which anyone could predict.
        let plantedPath = (stateFolder as NSString).appendingPathComponent("server.key.tmp-\(getpid())")
        try FileManager.default.createSymbolicLink(atPath: plantedPath, withDestinationPath: target)

        let loaded = try SelfSignedCertificate.loadOrCreate(in: stateFolder, logger: .disabled())

        #expect(loaded.created)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "unchanged")
        let keyPath = directory.path("state/server.key")
        let keyType = try FileManager.default.attributesOfItem(atPath: keyPath)[.type] as? FileAttributeType
        #expect(keyType == .typeRegular)
        let names = try FileManager.default.contentsOfDirectory(atPath: stateFolder)
        #expect(names.filter { $0.contains(".tmp-") } == ["server.key.tmp-\(getpid())"])
    }

    @Test func writableFolderRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        for mode: mode_t in [0o770, 0o707] {
            let stateFolder = directory.path("state-\(String(mode, radix: 8))")
            try FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: false)
            #expect(chmod(stateFolder, mode) == 0)

            let error = try #require(throws: SecurityError.self) {
                try SelfSignedCertificate.loadOrCreate(in: stateFolder, logger: .disabled())
            }

            #expect(error.code == .fileNotReadable)
            #expect(error.value == stateFolder)
            #expect(error.fix?.contains("chmod 700") == true)
            #expect(!FileManager.default.fileExists(atPath: stateFolder + "/server.key"))
        }
    }

    @Test(.enabled(if: geteuid() == 0, "changing a folder's owner needs root"))
    func foreignFolderRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stateFolder = directory.path("state")
        try FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: false)
        // 65534 is the conventional uid of "nobody".
        #expect(chown(stateFolder, 65534, 65534) == 0)

        let error = try #require(throws: SecurityError.self) {
            try SelfSignedCertificate.loadOrCreate(in: stateFolder, logger: .disabled())
        }

        #expect(error.code == .fileNotReadable)
        #expect(error.value == stateFolder)
        #expect(error.fix?.contains("chmod 700") == true)
    }

    @Test func readableKeyRegenerated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let keyPath = directory.path("server.key")
        let first = try SelfSignedCertificate.loadOrCreate(in: directory.url.path, logger: capture.logger())
        #expect(chmod(keyPath, 0o644) == 0)

        let second = try SelfSignedCertificate.loadOrCreate(in: directory.url.path, logger: capture.logger())

        #expect(second.created)
        #expect(second.1.derBytes != first.1.derBytes)
        #expect(!second.0.matches(first.1))
        let replaced = capture.entries(withMessage: "Replacing the stored self-signed certificate")
        #expect(replaced.count == 1)
        #expect(replaced.first?.metadata["reason"] == "unsafe key file")
        #expect(replaced.first?.metadata["problem"] == "mode 644")
        #expect(replaced.first?.metadata["key"] == keyPath)
        let permissions = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func symlinkedKeyRegenerated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let stateFolder = directory.path("state")
        let keyPath = directory.path("state/server.key")
        let linkedKeyPath = directory.path("linked.key")
        let first = try SelfSignedCertificate.loadOrCreate(in: stateFolder, logger: capture.logger())
        try FileManager.default.moveItem(atPath: keyPath, toPath: linkedKeyPath)
        try FileManager.default.createSymbolicLink(atPath: keyPath, withDestinationPath: linkedKeyPath)
        let linkedKey = try Data(contentsOf: URL(fileURLWithPath: linkedKeyPath))

        let second = try SelfSignedCertificate.loadOrCreate(in: stateFolder, logger: capture.logger())

        #expect(second.created)
        #expect(second.1.derBytes != first.1.derBytes)
        let replaced = capture.entries(withMessage: "Replacing the stored self-signed certificate")
        #expect(replaced.first?.metadata["reason"] == "unsafe key file")
        #expect(replaced.first?.metadata["problem"] == "symbolic link")
        #expect(replaced.first?.metadata["key"] == keyPath)
        let keyType = try FileManager.default.attributesOfItem(atPath: keyPath)[.type] as? FileAttributeType
        #expect(keyType == .typeRegular)
        #expect(try Data(contentsOf: URL(fileURLWithPath: linkedKeyPath)) == linkedKey)
    }
}
