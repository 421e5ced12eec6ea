import Foundation
import InternalAPISecurity

/// The library part of the `ciphertool` executable: encrypts secrets into a secret repository,
/// lists its aliases and, when asked explicitly, decrypts one.
///
/// It prints a secret only for `decrypt`. Failures are printed as one line on standard error.
public struct CipherTool: Sendable {
    private let io: CipherToolIO
    private let logger: Logger

    public init(io: CipherToolIO, logger: Logger) {
        self.io = io
        self.logger = logger
    }

    /// Runs the command line `arguments` (without the program name).
    ///
    /// - Returns: the exit status: 0 on success, 1 when the command failed, 2 for a usage error.
    public func run(_ arguments: [String]) -> Int32 {
        let parsed: CipherToolArguments
        do {
            parsed = try CipherToolArguments.parse(arguments)
        } catch {
            io.writeError("ciphertool: \(error.message)\nRun 'ciphertool --help' for usage.\n")
            return 2
        }

        do {
            switch parsed.command {
            case .help: io.writeOutput(CipherToolUsage.text + "\n")
            case .list: try list(parsed)
            case .encrypt: try encrypt(parsed)
            case .decrypt: try decrypt(parsed)
            }
            return 0
        } catch let error as CipherToolUsageError {
            io.writeError("ciphertool: \(error.message)\nRun 'ciphertool --help' for usage.\n")
            return 2
        } catch {
            io.writeError("ciphertool: \(error)\n")
            return 1
        }
    }

    // MARK: - Commands

    private func list(_ arguments: CipherToolArguments) throws {
        let document = try PropertiesDocument.load(path: repositoryPath(arguments))
        for alias in try document.keys() {
            io.writeOutput(alias + "\n")
        }
    }

    private func encrypt(_ arguments: CipherToolArguments) throws {
        // Checked before any file is touched, so a script that forgot the flag fails at once.
        guard arguments.valueFromStandardInput || io.prompt.isAvailable() else {
            throw CipherToolUsageError(
                "Standard input is not a terminal; pass --value-from-stdin to read the value from it")
        }
        let path = repositoryPath(arguments)
        let alias = arguments.alias ?? ""
        let exists = FileManager.default.fileExists(atPath: path)
        var document = exists ? try PropertiesDocument.load(path: path) : PropertiesDocument(text: "")

        let key = try keyLoader(arguments).loadPublicKey()
        let value = try readValue(alias: alias, fromStandardInput: arguments.valueFromStandardInput)
        let ciphertext = try RSACipher.encrypt(value, with: key, transformation: arguments.transformation)

        try document.setValue(Data(ciphertext).base64EncodedString(), for: alias)
        try document.write(to: path)
        logger.info("Secret alias stored", metadata: ["alias": alias, "repository": path])
        io.writeOutput("Stored alias '\(alias)' in \(path)\(exists ? "" : " (new file)").\n")
    }

    private func decrypt(_ arguments: CipherToolArguments) throws {
        let path = repositoryPath(arguments)
        let alias = arguments.alias ?? ""
        let document = try PropertiesDocument.load(path: path)
        guard let value = try document.value(for: alias) else {
            throw SecurityError(
                .secretNotResolved, reason: "Secret alias not found in the secret repository", value: alias,
                fix: "run 'ciphertool list --repository \(path)' to see the aliases")
        }

        let key = try keyLoader(arguments).loadPrivateKey()
        let secret = try SecureVaultResolver.decrypt(
            value, alias: alias, key: key, transformation: arguments.transformation, repositoryPath: path)
        io.writeOutput(secret + "\n")
    }

    // MARK: - Helpers

    private func repositoryPath(_ arguments: CipherToolArguments) -> String {
        configuration(arguments).resolve(path: arguments.repository ?? "")
    }

    private func configuration(_ arguments: CipherToolArguments) -> SecureVaultConfiguration {
        let keyPasswordVariable = PasswordSource.keyDefault.environmentVariable ?? ""
        let separateKeyPassword = io.environment[keyPasswordVariable].map { !$0.isEmpty } ?? false
        return SecureVaultConfiguration(
            repositoryPath: arguments.repository ?? "",
            keyStorePath: arguments.keyStore ?? "",
            keyStoreType: arguments.keyStoreType,
            keyAlias: arguments.keyAlias,
            transformation: arguments.transformation,
            homeDirectory: io.workingDirectory,
            keyPassword: separateKeyPassword ? .keyDefault : nil)
    }

    private func keyLoader(_ arguments: CipherToolArguments) -> VaultKeyLoader {
        let passwords = PasswordReader(
            environment: io.environment, homeDirectory: io.workingDirectory, prompt: io.prompt, logger: logger)
        return VaultKeyLoader(configuration: configuration(arguments), passwords: passwords)
    }

    /// Reads the value to encrypt from standard input, or twice from the terminal.
    private func readValue(alias: String, fromStandardInput: Bool) throws -> String {
        let value: String
        if fromStandardInput {
            var data = io.readStandardInput()
            if data.last == UInt8(ascii: "\n") { data.removeLast() }
            if data.last == UInt8(ascii: "\r") { data.removeLast() }
            guard let text = String(data: data, encoding: .utf8) else {
                throw SecurityError(
                    .invalidArgument, reason: "The value on standard input is not UTF-8 text", value: alias,
                    fix: "pass the value as UTF-8")
            }
            value = text
        } else {
            let first = try io.prompt.ask("Value for alias '\(alias)': ") ?? ""
            let second = try io.prompt.ask("Enter the value again: ") ?? ""
            guard first == second else {
                throw SecurityError(
                    .invalidArgument, reason: "The two values entered differ", value: alias,
                    fix: "run the command again and type the same value twice")
            }
            value = first
        }

        guard !value.isEmpty else {
            throw SecurityError(
                .invalidArgument, reason: "The value to encrypt is empty", value: alias,
                fix: "give a non-empty value")
        }
        return value
    }
}
