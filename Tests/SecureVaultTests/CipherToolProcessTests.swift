import Foundation
import InternalAPISecurity
import Testing

@testable import SecureVault

/// Runs the built `ciphertool` executable as a separate process.
@Suite struct CipherToolProcessTests {
    /// Finds the built executable: beside the test bundle, else in `swift build --show-bin-path`.
    private static func executablePath() throws -> String {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let besideBundle = bundleFolder.appendingPathComponent("ciphertool").path
        if FileManager.default.isExecutableFile(atPath: besideBundle) { return besideBundle }

        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let binPath = try ExternalCommand.succeed(["swift", "build", "--show-bin-path"], in: packageRoot.path)
        let fromBinPath = URL(fileURLWithPath: binPath.trimmingCharacters(in: .whitespacesAndNewlines))
            .appendingPathComponent("ciphertool").path
        try #require(FileManager.default.isExecutableFile(atPath: fromBinPath), "build ciphertool first")
        return fromBinPath
    }

    @Test func binaryEncryptsListsAndDecrypts() throws {
        let fixture = try VaultFixture()
        let tool = try Self.executablePath()
        let common = ["--repository", "secrets.properties", "--keystore", fixture.privateKeyPath]
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]

        let encrypted = try ExternalCommand.run(
            [tool, "encrypt", "--alias", "db", "--value-from-stdin"] + common, input: "process-secret\n",
            environment: environment, in: fixture.folder.path)
        let listed = try ExternalCommand.run(
            [tool, "list"] + common, environment: environment, in: fixture.folder.path)
        let decrypted = try ExternalCommand.run(
            [tool, "decrypt", "--alias", "db"] + common, environment: environment, in: fixture.folder.path)
        let resolver = try fixture.loadResolver(fixture.configuration())

        #expect(encrypted.status == 0)
        #expect(!encrypted.output.contains("process-secret"))
        #expect(!encrypted.error.contains("process-secret"))
        #expect(listed.output == "db\n")
        #expect(decrypted.output == "process-secret\n")
        #expect(try resolver.resolve(alias: "db") == "process-secret")
    }

    @Test func binaryReportsMissingKeyFile() throws {
        let folder = try TemporaryFolder()
        let tool = try Self.executablePath()

        let result = try ExternalCommand.run(
            [
                tool, "encrypt", "--alias", "db", "--value-from-stdin", "--repository", "secrets.properties",
                "--keystore", "absent.pem",
            ],
            input: "x", in: folder.path)

        #expect(result.status == 1)
        #expect(result.error.hasPrefix("ciphertool: Key store file not found"))
        #expect(result.error.contains(folder.file("absent.pem")))
        #expect(result.output.isEmpty)
    }

    @Test func binaryUsageErrorExitsTwo() throws {
        let tool = try Self.executablePath()

        let result = try ExternalCommand.run([tool, "encrypt"])

        #expect(result.status == 2)
        #expect(result.error.contains("Run 'ciphertool --help' for usage."))
    }
}
