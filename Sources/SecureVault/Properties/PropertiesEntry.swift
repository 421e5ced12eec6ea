/// One key and value of a Java properties file, with the physical lines it spans.
public struct PropertiesEntry: Sendable, Equatable {
    /// The key, with escapes resolved.
    public var key: String
    /// The value, with escapes resolved and continuation lines joined.
    public var value: String
    /// The 0-based index of the first physical line of the entry.
    public var firstLine: Int
    /// The 0-based index of the last physical line (after any backslash continuations).
    public var lastLine: Int
}
