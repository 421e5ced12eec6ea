import Foundation
import InternalAPISecurity
import Synchronization
import Testing

@testable import SecureVault

/// Runs `CipherTool` in-process with captured streams.
private final class ToolRun: Sendable {
    private let outputText = Mutex("")
    private let errorText = Mutex("")
    let folder: String

    init(folder: String) {
        self.folder = folder
    }

    var output: String { outputText.withLock { $0 } }
    var error: String { errorText.withLock { $0 } }

    func run(
        _ arguments: [String], input: String = "", environment: [String: String] = [:],
        prompt: PasswordPrompt = .unavailable
    ) -> Int32 {
        let io = CipherToolIO(
            readStandardInput: { Data(input.utf8) },
            writeOutput: { text in self.outputText.withLock { $0 += text } },
            writeError: { text in self.errorText.withLock { $0 += text } },
            prompt: prompt, environment: environment, workingDirectory: folder)
        return CipherTool(io: io, logger: LogCapture().logger()).run(arguments)
    }
}

@Suite struct CipherToolTests {
    @Test func encryptedValueResolves() throws {
        let fixture = try VaultFixture()
        let tool = ToolRun(folder: fixture.folder.path)

        let status = tool.run(
            [
                "encrypt", "--alias", "admin.password", "--value-from-stdin", "--repository", "secrets.properties",
                "--keystore", fixture.certificatePath,
            ],
            input: "tool-secret\n")
        let resolver = try fixture.loadResolver(fixture.configuration())
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.folder.file("secrets.properties"))

        #expect(status == 0)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(tool.output.contains("Stored alias 'admin.password'"))
        #expect(!tool.output.contains("tool-secret"))
        #expect(try resolver.resolve(alias: "admin.password") == "tool-secret")
    }

    @Test func encryptKeepsOtherLines() throws {
        let fixture = try VaultFixture()
        let original = "# operators: do not edit by hand\nkeep=\(try fixture.encrypt("kept"))\n\n! end\n"
        try fixture.folder.write(original + "db=\(try fixture.encrypt("old"))\n", to: "secrets.properties")
        let tool = ToolRun(folder: fixture.folder.path)

        let status = tool.run(
            [
                "encrypt", "--alias=db", "--value-from-stdin", "--repository=secrets.properties",
                "--keystore", fixture.publicKeyPath,
            ],
            input: "new")
        let text = try fixture.folder.read("secrets.properties")
        let resolver = try fixture.loadResolver(fixture.configuration())

        #expect(status == 0)
        #expect(text.hasPrefix(original + "db="))
        #expect(text.components(separatedBy: "\n").count == original.components(separatedBy: "\n").count + 1)
        #expect(try resolver.resolve(alias: "db") == "new")
        #expect(try resolver.resolve(alias: "keep") == "kept")
    }

    @Test func pkcs1EncryptionRoundTrips() throws {
        let fixture = try VaultFixture()
        let tool = ToolRun(folder: fixture.folder.path)
        let common = [
            "--alias", "old", "--repository", "secrets.properties", "--keystore", fixture.privateKeyPath,
            "--transformation", "RSA/ECB/PKCS1Padding",
        ]

        let encryptStatus = tool.run(["encrypt", "--value-from-stdin"] + common, input: "v1.5")
        let decryptStatus = tool.run(["decrypt"] + common)
        let resolver = try fixture.loadResolver(fixture.configuration(transformation: .rsaPKCS1))

        #expect(encryptStatus == 0)
        #expect(decryptStatus == 0)
        #expect(tool.output.hasSuffix("v1.5\n"))
        #expect(try resolver.resolve(alias: "old") == "v1.5")
    }

    @Test func listPrintsAliasesOnly() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write(
            "# c\nfirst=\(try fixture.encrypt("one"))\nsecond=\(try fixture.encrypt("two"))\n", to: "secrets.properties"
        )
        let tool = ToolRun(folder: fixture.folder.path)

        let status = tool.run(["list", "--repository", "secrets.properties"])

        #expect(status == 0)
        #expect(tool.output == "first\nsecond\n")
    }

    @Test func decryptNeedsKnownAlias() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write("first=\(try fixture.encrypt("one"))\n", to: "secrets.properties")
        let tool = ToolRun(folder: fixture.folder.path)

        let status = tool.run(
            ["decrypt", "--alias", "nope", "--repository", "secrets.properties", "--keystore", fixture.privateKeyPath])

        #expect(status == 1)
        #expect(tool.error.contains("Secret alias not found in the secret repository (value: 'nope')"))
        #expect(tool.output.isEmpty)
    }

    @Test func pkcs12StoreEncryptsAndDecrypts() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "p12-pass")
        let tool = ToolRun(folder: fixture.folder.path)
        let environment = ["INTERNAL_API_SECURITY_KEYSTORE_PASSWORD": "p12-pass"]
        let common = ["--alias", "db", "--repository", "secrets.properties", "--keystore", store]

        let encryptStatus = tool.run(
            ["encrypt", "--value-from-stdin"] + common, input: "p12", environment: environment)
        let decryptStatus = tool.run(["decrypt"] + common, environment: environment)

        #expect(encryptStatus == 0)
        #expect(decryptStatus == 0)
        #expect(tool.output.hasSuffix("\np12\n"))
    }

    @Test func promptAsksTwice() throws {
        let fixture = try VaultFixture()
        let tool = ToolRun(folder: fixture.folder.path)
        let questions = Mutex<[String]>([])
        let prompt = PasswordPrompt(
            isAvailable: { true },
            ask: { question in
                questions.withLock { $0.append(question) }
                return "typed"
            })

        let status = tool.run(
            ["encrypt", "--alias", "db", "--repository", "secrets.properties", "--keystore", fixture.publicKeyPath],
            prompt: prompt)
        let resolver = try fixture.loadResolver(fixture.configuration())

        #expect(status == 0)
        #expect(questions.withLock { $0 } == ["Value for alias 'db': ", "Enter the value again: "])
        #expect(try resolver.resolve(alias: "db") == "typed")
    }

    @Test func promptMismatchIsRejected() throws {
        let fixture = try VaultFixture()
        let tool = ToolRun(folder: fixture.folder.path)
        let answers = Mutex(["first", "second"])
        let prompt = PasswordPrompt(isAvailable: { true }, ask: { _ in answers.withLock { $0.removeFirst() } })

        let status = tool.run(
            ["encrypt", "--alias", "db", "--repository", "secrets.properties", "--keystore", fixture.publicKeyPath],
            prompt: prompt)

        #expect(status == 1)
        #expect(tool.error.contains("The two values entered differ"))
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.file("secrets.properties")))
    }

    @Test func usageErrorsExitTwo() throws {
        let folder = try TemporaryFolder()
        let cases: [([String], String)] = [
            ([], "No command given"),
            (["rotate"], "Unknown command 'rotate'"),
            (["list"], "list needs --repository PATH"),
            (["encrypt", "--repository", "r"], "encrypt needs --alias NAME"),
            (["decrypt", "--repository", "r", "--alias", "a"], "decrypt needs --keystore PATH"),
            (["list", "--repository"], "Option --repository needs a value"),
            (["list", "--repository", "r", "--verbose", "x"], "Unknown option '--verbose'"),
            (
                ["encrypt", "--alias", "a b", "--repository", "r", "--keystore", "k"],
                "Alias 'a b' contains white space"
            ),
            (["list", "--repository", "r", "--transformation", "AES"], "Unsupported cipher transformation"),
            (["decrypt", "--value-from-stdin"], "--value-from-stdin applies only to encrypt"),
            (["encrypt", "--alias", "a", "--repository", "r", "--keystore", "k"], "Standard input is not a terminal"),
        ]

        for (arguments, message) in cases {
            let tool = ToolRun(folder: folder.path)
            let status = tool.run(arguments)
            #expect(status == 2, "\(arguments)")
            #expect(tool.error.contains(message), "\(arguments): \(tool.error)")
        }
    }

    @Test func emptyValueIsRejected() throws {
        let fixture = try VaultFixture()
        let tool = ToolRun(folder: fixture.folder.path)

        let status = tool.run(
            [
                "encrypt", "--alias", "db", "--value-from-stdin", "--repository", "secrets.properties",
                "--keystore", fixture.publicKeyPath,
            ],
            input: "\n")

        #expect(status == 1)
        #expect(tool.error.contains("The value to encrypt is empty"))
    }

    @Test func helpDescribesPasswordOrder() throws {
        let folder = try TemporaryFolder()
        let tool = ToolRun(folder: folder.path)

        let status = tool.run(["--help"])

        #expect(status == 0)
        #expect(tool.output.contains("1. the environment variable INTERNAL_API_SECURITY_KEYSTORE_PASSWORD"))
        #expect(tool.output.contains("2. the first line of the file password-tmp"))
    }

    @Test func caFirstBundleUsesVaultKey() throws {
        let fixture = try VaultFixture()
        let bundlePath = try makeBundle(fixture, name: "bundle.pem", includesKey: true)
        let tool = ToolRun(folder: fixture.folder.path)

        let status = tool.run(
            [
                "encrypt", "--alias", "db", "--value-from-stdin", "--repository", "secrets.properties",
                "--keystore", bundlePath,
            ],
            input: "bundled")
        let resolver = try fixture.loadResolver(fixture.configuration())

        #expect(status == 0)
        #expect(tool.error.isEmpty)
        #expect(try resolver.resolve(alias: "db") == "bundled")
    }

    @Test func certificateChainWithoutKeyRejected() throws {
        let fixture = try VaultFixture()
        let bundlePath = try makeBundle(fixture, name: "chain.pem", includesKey: false)
        let tool = ToolRun(folder: fixture.folder.path)

        let status = tool.run(
            [
                "encrypt", "--alias", "db", "--value-from-stdin", "--repository", "secrets.properties",
                "--keystore", bundlePath,
            ],
            input: "unused")

        #expect(status == 1)
        #expect(tool.error.contains("The PEM file contains 2 certificates and no private key"))
        #expect(tool.error.contains(bundlePath))
        #expect(tool.error.contains("the vault's certificate alone"))
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.file("secrets.properties")))
    }

    /// Writes a PEM bundle with a CA certificate first: a CA certificate, the vault's
    /// certificate signed by it, then (with `includesKey`) the vault's private key.
    private func makeBundle(_ fixture: VaultFixture, name: String, includesKey: Bool) throws -> String {
        let caKeyPath = fixture.folder.file("ca.key")
        let caCertificatePath = fixture.folder.file("ca.crt")
        let requestPath = fixture.folder.file("vault.csr")
        let vaultCertificatePath = fixture.folder.file("vault.crt")
        try ExternalCommand.succeed([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKeyPath, "-subj", "/CN=vault-ca",
            "-days", "1", "-out", caCertificatePath,
        ])
        try ExternalCommand.succeed([
            "openssl", "req", "-new", "-key", fixture.privateKeyPath, "-subj", "/CN=vault", "-out", requestPath,
        ])
        try ExternalCommand.succeed([
            "openssl", "x509", "-req", "-in", requestPath, "-CA", caCertificatePath, "-CAkey", caKeyPath,
            "-CAcreateserial", "-days", "1", "-out", vaultCertificatePath,
        ])

        var parts = [try fixture.folder.read("ca.crt"), try fixture.folder.read("vault.crt")]
        if includesKey { parts.append(try String(contentsOfFile: fixture.privateKeyPath, encoding: .utf8)) }
        try fixture.folder.write(parts.joined(), to: name)
        return fixture.folder.file(name)
    }
}
