import Foundation
import InternalAPISecurity

/// The users file of `JSONFileUserStore`:
///
/// ```json
/// {
///   "users": [
///     { "username": "admin", "password": "{crypt}$2b$12$...", "isAdmin": true },
///     { "username": "monitor", "password": "$secret{monitor-password}" }
///   ]
/// }
/// ```
///
/// `username` and `password` are required and `isAdmin` defaults to false. A password is used
/// exactly as written, without trimming. It is plain text, a `{crypt}` hash in a format
/// `PasswordHash` accepts, or exactly `$secret{alias}`, which is resolved from the secure vault.
/// Keys other than these are ignored.
enum JSONUserFile {
    private struct Document: Decodable {
        var users: [User]
    }

    private struct User: Decodable {
        var username: String?
        var password: String?
        var isAdmin: Bool?
    }

    /// Reads and checks the users file at `path`.
    ///
    /// - Throws: `fileNotReadable` when the file is missing or unreadable. `invalidConfiguration`
    ///   for text that is not valid JSON or not of the documented shape (with the parser's or
    ///   the decoder's message),
    ///   a user without a username or password, a username containing `:` or listed twice, or
    ///   a malformed `{crypt}` hash. `secretNotResolved` naming the alias of a `$secret{...}`
    ///   password that the vault does not hold.
    static func read(path: String, secretResolver: any SecretResolver) throws -> [UserEntry] {
        let location = SecurityError.Location(file: path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw SecurityError(
                .fileNotReadable, reason: exists ? "Users file cannot be read" : "Users file not found", value: path,
                fix: exists
                    ? "check the file's permissions"
                    : "create the file, or correct <file> (a relative path resolves against the home folder)",
                location: location, underlying: error.localizedDescription)
        }

        // In swift-corelibs-foundation 6.3 JSONSerialization gives a syntax error's position and
        // JSONDecoder does not, so the syntax is checked first and the shape afterwards.
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SecurityError(
                .invalidConfiguration, reason: "Users file is not valid JSON", value: path,
                fix: "correct the JSON syntax at the position shown", location: location,
                underlying: describeSyntaxError(error, in: data))
        }

        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw SecurityError(
                .invalidConfiguration, reason: "Users file does not have the expected shape", value: path,
                fix: "write {\"users\": [{\"username\": \"...\", \"password\": \"...\", \"isAdmin\": false}]}",
                location: location, underlying: describe(error))
        }

        var entries: [UserEntry] = []
        for (index, user) in document.users.enumerated() {
            let entry = try makeEntry(user, index: index, location: location, secretResolver: secretResolver)
            if entries.contains(where: { $0.username == entry.username }) {
                throw SecurityError.configuration(
                    "Username is listed twice in the users file", value: entry.username,
                    fix: "remove one of the two entries", at: location)
            }
            entries.append(entry)
        }
        return entries
    }

    private static func makeEntry(
        _ user: User, index: Int, location: SecurityError.Location, secretResolver: any SecretResolver
    ) throws -> UserEntry {
        guard let username = user.username?.trimmingCharacters(in: .whitespacesAndNewlines), !username.isEmpty else {
            throw SecurityError.configuration(
                "User has no username", value: "users[\(index)]", fix: "add \"username\": \"name\" to the entry",
                at: location)
        }
        guard !username.contains(":") else {
            throw SecurityError.configuration(
                "Username contains ':', which Basic authentication cannot carry", value: username,
                fix: "choose a username without ':'", at: location)
        }
        guard let written = user.password, !written.isEmpty else {
            throw SecurityError.configuration(
                "User has no password", value: username,
                fix: "add \"password\" with the password, a $secret{alias} or a {crypt} hash", at: location)
        }

        let password: String
        let source: UserEntry.PasswordSource
        if written.hasPrefix("$secret{") {
            password = try resolveSecret(written, username: username, location: location, resolver: secretResolver)
            source = .secret
        } else if written.hasPrefix(PasswordHash.cryptMarker) {
            password = written
            source = .hash
            do {
                _ = try PasswordHash(storedValue: written, source: .hash)
            } catch var error as SecurityError {
                error.value = username
                error.location = location
                throw error
            }
        } else {
            password = written
            source = .plainText
        }
        return UserEntry(
            username: username, password: password, passwordSource: source, isAdmin: user.isAdmin ?? false, line: 0)
    }

    private static func resolveSecret(
        _ reference: String, username: String, location: SecurityError.Location, resolver: any SecretResolver
    ) throws -> String {
        guard let alias = SecretReference.alias(in: reference) else {
            throw SecurityError.configuration(
                "Secret reference is malformed", value: username,
                fix: "write the password as $secret{alias} with a non-empty alias", at: location)
        }
        do {
            return try resolver.resolve(alias: alias)
        } catch var error as SecurityError {
            error.location = error.location ?? location
            error.value = error.value ?? alias
            throw error
        }
    }

    /// Describes a JSONSerialization error, adding the line and column for messages that give a character
    /// offset, for example `Invalid value around character 31 (line 2, column 20)`.
    private static func describeSyntaxError(_ error: any Error, in data: Data) -> String {
        let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        guard let range = message.range(of: "around character ") else { return message }
        let digits = message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard let offset = Int(digits), offset <= data.count else { return message }

        // The parser reports a 0-based UTF-8 byte offset. Lines and columns count from 1. The column
        // counts bytes, so it exceeds the character column when multi-byte characters precede it.
        let before = data.prefix(offset)
        let line = before.reduce(1) { count, byte in byte == UInt8(ascii: "\n") ? count + 1 : count }
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        let column = offset - (lineStart - before.startIndex) + 1
        let end = message.hasSuffix(".") ? String(message.dropLast()) : message
        return "\(end) (line \(line), column \(column))"
    }

    /// Describes a decoding error with its position, for example
    /// `users[1].isAdmin: Expected to decode Bool but found a string instead`.
    private static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        let context: DecodingError.Context
        switch decodingError {
        case .typeMismatch(_, let value), .valueNotFound(_, let value), .keyNotFound(_, let value),
            .dataCorrupted(let value):
            context = value
        @unknown default:
            return "\(error)"
        }

        var text = ""
        let path = codingPathText(context.codingPath)
        if !path.isEmpty { text += path + ": " }
        text += context.debugDescription
        if let underlying = context.underlyingError {
            text += " (\(underlying.localizedDescription))"
        }
        return text
    }

    private static func codingPathText(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }
}
