import Foundation
import InternalAPISecurity

/// Finds a password through a `PasswordSource`: environment, then file, then prompt.
struct PasswordReader: Sendable {
    let environment: [String: String]
    let homeDirectory: String
    let prompt: PasswordPrompt
    let logger: Logger

    /// Returns the password for `purpose` (for example "key store"), naming `file` in errors.
    ///
    /// With `deletesPasswordFileAfterReading` an existing password file is deleted even when the
    /// environment variable gives the password, so the file does not stay on disk unread.
    ///
    /// - Throws: `SecurityError` with code `keyStoreFailed` when no source gives a password, or
    ///   `fileNotReadable` when the password file exists but cannot be read.
    func readPassword(from source: PasswordSource, purpose: String, for file: String) throws -> String {
        let passwordFilePath = source.passwordFile.map {
            $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: homeDirectory).appendingPathComponent($0).path
        }

        if let name = source.environmentVariable, let value = environment[name], !value.isEmpty {
            logger.debug("Password taken from the environment", metadata: ["purpose": purpose, "variable": name])
            if source.deletesPasswordFileAfterReading, let passwordFilePath,
                FileManager.default.fileExists(atPath: passwordFilePath)
            {
                deletePasswordFile(at: passwordFilePath)
            }
            return value
        }

        if let passwordFilePath, FileManager.default.fileExists(atPath: passwordFilePath) {
            return try readPasswordFile(at: passwordFilePath, source: source, purpose: purpose)
        }

        if source.promptsOnTerminal, prompt.isAvailable() {
            if let answer = try prompt.ask("Enter the \(purpose) password for \(file): "), !answer.isEmpty {
                return answer
            }
        }

        throw SecurityError(
            .keyStoreFailed, reason: "No \(purpose) password was given", value: file,
            fix: Self.fix(for: source, homeDirectory: homeDirectory))
    }

    private func readPasswordFile(at path: String, source: PasswordSource, purpose: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SecurityError(
                .fileNotReadable, reason: "The password file cannot be read", value: path,
                fix: "make the file readable by this user or remove it")
        }
        let firstLine = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? Data()
        let password = String(
            decoding: firstLine.last == UInt8(ascii: "\r") ? firstLine.dropLast() : firstLine, as: UTF8.self)

        if source.deletesPasswordFileAfterReading {
            deletePasswordFile(at: path)
        }
        guard !password.isEmpty else {
            throw SecurityError(
                .keyStoreFailed, reason: "The password file is empty", value: path,
                fix: "write the \(purpose) password on the first line of the file")
        }
        logger.debug("Password taken from a file", metadata: ["purpose": purpose, "path": path])
        return password
    }

    private func deletePasswordFile(at path: String) {
        do {
            try FileManager.default.removeItem(atPath: path)
            logger.notice("Password file deleted", metadata: ["path": path])
        } catch {
            logger.warning("Password file could not be deleted", metadata: ["path": path, "error": "\(error)"])
        }
    }

    private static func fix(for source: PasswordSource, homeDirectory: String) -> String {
        var ways: [String] = []
        if let name = source.environmentVariable { ways.append("set the environment variable \(name)") }
        if let file = source.passwordFile { ways.append("write it to the file '\(file)' in \(homeDirectory)") }
        if source.promptsOnTerminal { ways.append("run on a terminal to be asked for it") }
        return ways.isEmpty ? "configure a password source" : ways.joined(separator: ", or ")
    }
}
