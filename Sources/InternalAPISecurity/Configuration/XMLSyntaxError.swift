import CXML2

/// A libxml2 parse error reduced to its position and a fixed description of its class.
///
/// libxml2's own message text quotes the document: an undefined entity's name, the bytes of
/// invalid UTF-8, element and attribute names. Inside a `<password>` that is part of the
/// password, and the message would reach errors and logs. This type keeps only the line, the
/// column and libxml2's error code, and describes the error with a text that never contains
/// document content.
struct XMLSyntaxError: Sendable, Equatable {
    /// The 1-based line, or 0 when libxml2 did not report one.
    var line: Int
    /// The 1-based column, or 0 when libxml2 did not report one.
    var column: Int
    /// libxml2's `xmlParserErrors` code.
    var code: Int

    /// The column, the error's class in words and libxml2's code, such as
    /// `column 12: an undefined entity (&name;) or an & that starts no entity (libxml2 error 26)`.
    var summary: String {
        let text = "\(errorClass.description) (libxml2 error \(code))"
        return column > 0 ? "column \(column): \(text)" : text
    }

    /// The change to the document that corrects this class of error.
    var fix: String {
        errorClass.fix
    }

    private var errorClass: ErrorClass {
        switch code {
        case 14...27:
            .entityReference
        case 6...8, 10...13:
            .characterReference
        case 9, 31, 32, 81:
            .encoding
        case 76:
            .tagMismatch
        case 4, 5, 73, 77, 85, 86:
            .structure
        case 38...42:
            .attribute
        case 200...205:
            .namespace
        default:
            .other
        }
    }

    private enum ErrorClass {
        case entityReference
        case characterReference
        case encoding
        case tagMismatch
        case structure
        case attribute
        case namespace
        case other

        var description: String {
            switch self {
            case .entityReference: "an undefined entity (&name;) or an & that starts no entity"
            case .characterReference: "an invalid character reference (&#...;)"
            case .encoding: "bytes that are not valid in the document's encoding, or a character XML does not allow"
            case .tagMismatch: "an end tag that does not match its start tag"
            case .structure: "an element that is not closed, or content after the root element"
            case .attribute: "a malformed or repeated attribute"
            case .namespace: "a malformed or undeclared namespace prefix"
            case .other: "a syntax error"
            }
        }

        var fix: String {
            switch self {
            case .entityReference, .characterReference:
                "write & as &amp; and < as &lt; in text, for example in a password, or wrap the text in <![CDATA[...]]>"
            case .encoding:
                "save the file as UTF-8, or name its encoding in <?xml version=\"1.0\" encoding=\"...\"?>"
            case .tagMismatch, .structure:
                "close every element in the order it was opened, inside one root element"
            case .attribute:
                "write each attribute once, as name=\"value\", and write < in a value as &lt;"
            case .namespace:
                "declare each prefix before using it, for svns:secretAlias with xmlns:svns=\"\(ConfigurationReader.secureVaultNamespace)\""
            case .other:
                "correct the XML at that line"
            }
        }
    }
}
