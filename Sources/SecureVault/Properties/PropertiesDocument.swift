import Foundation
import InternalAPISecurity

/// A Java properties file that can be read and edited without disturbing its other lines.
///
/// Parsing follows `java.util.Properties.load`:
/// - a line whose first non-blank character is `#` or `!` is a comment;
/// - a key ends at the first unescaped `=`, `:` or white space;
/// - a line ending in an odd number of backslashes continues on the next line, and the leading
///   white space of that line is dropped;
/// - the escapes `\t`, `\n`, `\r`, `\f` and `\uXXXX` are resolved;
/// - when a key appears twice, the last value wins.
///
/// The document keeps the physical lines it was read from, so `setValue(_:for:)` changes only
/// the lines of that key and writes every comment, blank line and other entry back unchanged.
public struct PropertiesDocument: Sendable, Equatable {
    /// The physical lines, each without its `\n` (a `\r` before it is kept, so CRLF files stay CRLF).
    public private(set) var lines: [String]
    /// Whether the text ended with a line break.
    private var endsWithLineBreak: Bool
    /// Whether the file was read as ISO-8859-1 (Java's encoding for `Properties.load(InputStream)`)
    /// because it was not valid UTF-8; it is then written back in ISO-8859-1.
    private var isLatin1: Bool

    /// Parses `text`.
    public init(text: String) {
        self.init(text: text, isLatin1: false)
    }

    private init(text: String, isLatin1: Bool) {
        // Split on the byte, because Swift treats "\r\n" as one Character that "\n" does not match.
        // An empty text has no lines. Splitting it would give one empty line, and a new
        // repository would then start with a blank line.
        var lines =
            text.isEmpty
            ? []
            : text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
        endsWithLineBreak = text.utf8.last == UInt8(ascii: "\n")
        if endsWithLineBreak { lines.removeLast() }
        self.lines = lines
        self.isLatin1 = isLatin1
    }

    /// Reads the file at `path`: UTF-8, or ISO-8859-1 when the bytes are not valid UTF-8.
    ///
    /// - Throws: `SecurityError` with code `fileNotReadable` naming the path.
    public static func load(path: String) throws -> PropertiesDocument {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SecurityError(
                .fileNotReadable, reason: "Secret repository not found", value: path,
                fix: "create it with 'ciphertool encrypt --repository \(path) ...' or correct the path")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SecurityError(
                .fileNotReadable, reason: "Secret repository cannot be read", value: path,
                fix: "make the file readable by the user that runs this program")
        }
        if let text = String(data: data, encoding: .utf8) {
            return PropertiesDocument(text: text, isLatin1: false)
        }
        // ISO-8859-1 maps every byte to a character, so Foundation returns a string here.
        let latin1 = String(data: data, encoding: .isoLatin1) ?? ""
        return PropertiesDocument(text: latin1, isLatin1: true)
    }

    /// The document as text, with the line breaks it was read with.
    public var text: String {
        let body = lines.joined(separator: "\n")
        return endsWithLineBreak && !lines.isEmpty ? body + "\n" : body
    }

    /// The bytes to write: UTF-8, or ISO-8859-1 for a document read that way.
    public var data: Data {
        if isLatin1, let latin1 = text.data(using: .isoLatin1) { return latin1 }
        return Data(text.utf8)
    }

    /// Parses the entries in file order, duplicates included.
    ///
    /// - Throws: `SecurityError` with code `invalidConfiguration` for a malformed `\uXXXX` escape,
    ///   naming the line.
    public func entries() throws -> [PropertiesEntry] {
        var entries: [PropertiesEntry] = []
        var index = 0
        while index < lines.count {
            let first = index
            let line = Self.trimmingLeadingWhitespace(Self.withoutCarriageReturn(lines[index]))
            index += 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }

            var logical = line
            while Self.endsWithContinuation(logical), index < lines.count {
                logical.removeLast()
                logical += Self.trimmingLeadingWhitespace(Self.withoutCarriageReturn(lines[index]))
                index += 1
            }
            if Self.endsWithContinuation(logical) { logical.removeLast() }

            let (rawKey, rawValue) = Self.splitKeyAndValue(logical)
            let key = try Self.unescape(rawKey, line: first + 1)
            let value = try Self.unescape(rawValue, line: first + 1)
            entries.append(PropertiesEntry(key: key, value: value, firstLine: first, lastLine: index - 1))
        }
        return entries
    }

    /// Returns the distinct keys in the order they first appear.
    public func keys() throws -> [String] {
        var seen = Set<String>()
        return try entries().map(\.key).filter { seen.insert($0).inserted }
    }

    /// Returns the value of `key` (the last one when the key repeats), or nil.
    public func value(for key: String) throws -> String? {
        try entries().last { $0.key == key }?.value
    }

    /// Sets `key` to `value`, changing only the lines of that key.
    ///
    /// The first entry of the key becomes one `key=value` line and later duplicates are removed.
    /// A new key is appended at the end.
    public mutating func setValue(_ value: String, for key: String) throws {
        let matching = try entries().filter { $0.key == key }
        let carriageReturn = lines.first?.hasSuffix("\r") == true ? "\r" : ""
        let line = Self.escape(key, isKey: true) + "=" + Self.escape(value, isKey: false) + carriageReturn

        guard let first = matching.first else {
            lines.append(line)
            endsWithLineBreak = true
            return
        }
        for entry in matching.dropFirst().reversed() {
            lines.removeSubrange(entry.firstLine...entry.lastLine)
        }
        lines.replaceSubrange(first.firstLine...first.lastLine, with: [line])
    }

    /// Writes the document to `path` through a temporary file and a rename, so a reader never
    /// sees half a file. An existing file keeps its permissions; a new one gets mode 0600.
    ///
    /// - Throws: `SecurityError` with code `fileNotReadable` naming the path.
    public func write(to path: String) throws {
        let fileManager = FileManager.default
        let attributes = try? fileManager.attributesOfItem(atPath: path)
        let permissions = (attributes?[.posixPermissions] as? NSNumber)?.int16Value ?? 0o600
        let temporaryPath = path + ".tmp-\(getpid())"

        guard
            fileManager.createFile(
                atPath: temporaryPath, contents: data, attributes: [.posixPermissions: NSNumber(value: permissions)])
        else {
            throw SecurityError(
                .fileNotReadable, reason: "Secret repository cannot be written", value: path,
                fix: "check that the folder exists and is writable")
        }
        guard rename(temporaryPath, path) == 0 else {
            try? fileManager.removeItem(atPath: temporaryPath)
            throw SecurityError(
                .fileNotReadable, reason: "Secret repository cannot be replaced", value: path,
                fix: "check that the folder is writable")
        }
    }
}
