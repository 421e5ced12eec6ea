/// Turns a parsed `internal-apis.xml` tree into an `InternalAPIsConfiguration`.
///
/// One reader reads one document: it collects warnings for content it does not use and throws
/// at the first invalid value, so a caller never sees a half-read configuration.
final class ConfigurationReader {
    /// The namespace of the secure vault's `svns:secretAlias` attribute.
    static let secureVaultNamespace = "http://org.wso2.securevault/configuration"

    let source: String
    let home: String
    let secretResolver: any SecretResolver
    let apiClasses: APIClassRegistry
    private(set) var warnings: [ConfigurationWarning] = []

    init(source: String, home: String, secretResolver: any SecretResolver, apiClasses: APIClassRegistry) {
        self.source = source
        self.home = home
        self.secretResolver = secretResolver
        self.apiClasses = apiClasses
    }

    /// Reads the document whose root element is `root`.
    ///
    /// - Throws: `SecurityError` naming the file, line, element and a fix.
    func read(_ root: ConfigElement) throws -> InternalAPIsConfiguration {
        switch root.name {
        case "handler":
            let handler = try readHandler(root)
            return try makeBareConfiguration(shape: .handler, handlers: [handler], root: root)
        case "handlers":
            let handlers = try readHandlers(root)
            return try makeBareConfiguration(shape: .handlers, handlers: handlers, root: root)
        case "internalApis":
            return try readInternalAPIs(root)
        default:
            throw SecurityError.configuration(
                "Root element is not a known internal-apis.xml element", value: root.name,
                fix: "use <internalApis> (the full document), <handlers> or a single <handler> as the root",
                at: root.location)
        }
    }

    // MARK: - Warnings

    /// Records a warning for every child and attribute of `element` whose name is not known.
    /// Records a warning for each attribute not in `attributes` and each child not in
    /// `children`; a nil `children` leaves the children unchecked.
    func warnAboutUnused(_ element: ConfigElement, children: Set<String>?, attributes: Set<String> = []) {
        for attribute in element.attributes.keys.sorted() where !attributes.contains(attribute) {
            warn("Attribute '\(attribute)' is not used and is ignored", at: element.location)
        }
        guard let children else { return }
        for child in element.children where !children.contains(child.name) {
            warnUnused(child)
        }
    }

    /// Records that `element` as a whole is not used.
    func warnUnused(_ element: ConfigElement) {
        warn("Element is not used and is ignored", at: element.location)
    }

    func warn(_ message: String, at location: SecurityError.Location) {
        warnings.append(ConfigurationWarning(message: message, location: location))
    }

    // MARK: - Repeats

    /// Throws when `parent` has two children named in `names`, which count as one element
    /// (such as `userStore` and `UserStore`).
    ///
    /// The reader uses only the first of a single-valued element, so a repeat would be dropped
    /// without notice. A second `<handlers>` after an empty one would leave the API unprotected.
    func rejectRepeat(of names: Set<String>, in parent: ConfigElement) throws {
        let matches = parent.children.filter { names.contains($0.name) }
        guard matches.count > 1 else { return }
        let first = matches[0]
        let second = matches[1]
        throw SecurityError.configuration(
            "Element <\(second.name)> appears twice in <\(parent.name)>, at lines \(first.line) and \(second.line)",
            value: second.name, fix: "merge them into one <\(first.name)> element", at: second.location)
    }

    /// Calls `rejectRepeat(of:in:)` for each of `names` on its own.
    func rejectRepeats(ofEach names: [String], in parent: ConfigElement) throws {
        for name in names {
            try rejectRepeat(of: [name], in: parent)
        }
    }

    // MARK: - Values

    /// Returns the trimmed text of a required child element.
    ///
    /// - Throws: when the child is missing or its text is empty.
    func requiredText(_ name: String, in parent: ConfigElement, fix: String) throws -> String {
        guard let child = parent.child(name) else {
            throw SecurityError.configuration("Required element <\(name)> is missing", fix: fix, at: parent.location)
        }
        let text = child.trimmedText
        guard !text.isEmpty else {
            throw SecurityError.configuration("Element <\(name)> is empty", fix: fix, at: child.location)
        }
        return text
    }

    /// Reads an integer from a child element, or returns `defaultValue` when the child is missing.
    ///
    /// - Throws: for text that is not a decimal integer or lies outside `range`.
    func integer(
        _ name: String, in parent: ConfigElement, default defaultValue: Int, range: ClosedRange<Int>, unit: String
    ) throws -> Int {
        guard let child = parent.child(name) else { return defaultValue }
        let text = child.trimmedText
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), range.contains(value)
        else {
            throw SecurityError.configuration(
                "Value of <\(name)> must be a whole number from \(range.lowerBound) to \(range.upperBound) \(unit)",
                value: text, fix: "write a number in that range, or remove the element to use \(defaultValue)",
                at: child.location)
        }
        return value
    }

    /// Reads a boolean from a child element (`true` or `false`, in any case), or returns
    /// `defaultValue` when the child is missing.
    func boolean(_ name: String, in parent: ConfigElement, default defaultValue: Bool) throws -> Bool {
        guard let child = parent.child(name) else { return defaultValue }
        return try boolean(child.trimmedText, at: child.location, name: name)
    }

    func boolean(_ text: String, at location: SecurityError.Location, name: String) throws -> Bool {
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw SecurityError.configuration(
                "Value of <\(name)> must be true or false", value: text, fix: "write true or false",
                at: location)
        }
    }

    /// Splits a comma-separated list, trimming each entry and dropping empty ones.
    func commaSeparated(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Returns `path` when it is absolute, else `path` under the home folder.
    func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if home.isEmpty { return path }
        return home.hasSuffix("/") ? home + path : home + "/" + path
    }
}
