/// One XML element of a configuration document, detached from libxml2 so that handler and
/// user store factories can read their own settings without a parser dependency.
public struct ConfigElement: Sendable, Equatable {
    /// The local name, without a namespace prefix.
    public var name: String
    /// The namespace URI, or nil.
    public var namespace: String?
    /// Attributes by local name (a namespaced attribute such as `svns:secretAlias` is keyed
    /// `secretAlias`; see `attributeNamespaces`).
    public var attributes: [String: String]
    /// Namespace URIs of namespaced attributes, by local name.
    public var attributeNamespaces: [String: String]
    /// The concatenated text and CDATA of the element's direct children, exactly as written.
    public var text: String
    public var children: [ConfigElement]
    /// The 1-based line where the element starts.
    public var line: Int
    /// The document's file path, or `<embedded>`.
    public var file: String

    public init(
        name: String,
        namespace: String? = nil,
        attributes: [String: String] = [:],
        attributeNamespaces: [String: String] = [:],
        text: String = "",
        children: [ConfigElement] = [],
        line: Int = 0,
        file: String = "<embedded>"
    ) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.attributeNamespaces = attributeNamespaces
        self.text = text
        self.children = children
        self.line = line
        self.file = file
    }

    /// The text with leading and trailing white space removed. Use `text` for passwords.
    public var trimmedText: String {
        text.trimmingWhitespace()
    }

    /// The first child with the given local name, or nil.
    public func child(_ name: String) -> ConfigElement? {
        children.first { $0.name == name }
    }

    /// Every child with the given local name, in document order.
    public func children(named name: String) -> [ConfigElement] {
        children.filter { $0.name == name }
    }

    /// The location of this element, for error messages.
    public var location: SecurityError.Location {
        SecurityError.Location(file: file, line: line > 0 ? line : nil, element: name)
    }
}

extension String {
    /// Removes leading and trailing XML white space (space, tab, CR, LF).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
