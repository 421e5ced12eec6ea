import PackagePlugin

/// The command-line options of `scaffold-handler`, validated.
struct ScaffoldOptions {
    /// The Swift type name of the handler, also used for its file names.
    var handlerName: String
    /// The class name that `internal-apis.xml` uses; defaults to `handlerName`.
    var className: String
    /// The target to write into, or nil to pick the only candidate.
    var targetName: String?
    var showHelp: Bool

    static let usage = """
        Usage: swift package --allow-writing-to-package-directory scaffold-handler --name NAME \\
                   [--target TARGET] [--class CLASS]

        Writes NAME.swift, a SecurityHandler with a factory and register(in:), into the folder of
        TARGET, and NAMETests.swift, Swift Testing tests for it, into the folder of TARGET's test
        target. Existing files are never overwritten.

        Options:
          --name NAME      Swift type name of the handler, for example HeaderTokenHandler
          --target TARGET  library target to write into (default: the only library target that
                           depends on InternalAPISecurity)
          --class CLASS    class name for internal-apis.xml, for example com.example.HeaderTokenHandler
                           (default: NAME)
          --help           print this text
        """

    /// Swift keywords that cannot name a type without backticks.
    private static let keywords: Set<String> = [
        "Any", "Protocol", "Self", "Type", "actor", "as", "associatedtype", "async", "await", "break", "case",
        "catch", "class", "continue", "default", "defer", "deinit", "do", "else", "enum", "extension",
        "fallthrough", "false", "fileprivate", "for", "func", "guard", "if", "import", "in", "init", "inout",
        "internal", "is", "let", "nil", "open", "operator", "private", "protocol", "public", "repeat", "rethrows",
        "return", "self", "some", "static", "struct", "subscript", "super", "switch", "throw", "throws", "true",
        "try", "typealias", "var", "where", "while",
    ]

    /// Parses the plugin's arguments.
    ///
    /// - Throws: `ScaffoldError` for a missing or repeated option, an unknown argument, a name
    ///   that is not a Swift identifier, or a class name that is not dot-separated identifiers.
    static func parse(_ arguments: [String]) throws -> ScaffoldOptions {
        var extractor = ArgumentExtractor(arguments)
        let showHelp = extractor.extractFlag(named: "help") > 0
        let names = extractor.extractOption(named: "name")
        let targets = extractor.extractOption(named: "target")
        let classes = extractor.extractOption(named: "class")

        let unknown = extractor.unextractedOptionsOrFlags + extractor.remainingArguments
        guard unknown.isEmpty else {
            throw ScaffoldError("Unknown argument '\(unknown[0])'. Run scaffold-handler --help for the options")
        }
        if showHelp {
            return ScaffoldOptions(handlerName: "", className: "", targetName: nil, showHelp: true)
        }

        guard let handlerName = try single(names, option: "--name") else {
            throw ScaffoldError("Option --name is missing. Write for example --name HeaderTokenHandler")
        }
        guard isIdentifier(handlerName), !keywords.contains(handlerName) else {
            throw ScaffoldError(
                "Handler name '\(handlerName)' is not a Swift identifier. Use ASCII letters, digits and '_', "
                    + "starting with a letter, for example HeaderTokenHandler")
        }

        let className = try single(classes, option: "--class") ?? handlerName
        guard className.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isIdentifier) else {
            throw ScaffoldError(
                "Class name '\(className)' is not valid. Use identifiers separated by dots, for example "
                    + "com.example.\(handlerName)")
        }

        return ScaffoldOptions(
            handlerName: handlerName, className: className, targetName: try single(targets, option: "--target"),
            showHelp: false)
    }

    private static func single(_ values: [String], option: String) throws -> String? {
        guard values.count <= 1 else {
            throw ScaffoldError("Option \(option) is given \(values.count) times. Give it once")
        }
        return values.first
    }

    /// Whether `text` is an ASCII identifier: a letter or `_`, then letters, digits and `_`.
    private static func isIdentifier<Text: StringProtocol>(_ text: Text) -> Bool {
        guard let first = text.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return text.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
