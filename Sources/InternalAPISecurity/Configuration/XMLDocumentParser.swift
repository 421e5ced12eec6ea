import CXML2

/// Parses a configuration document with libxml2 into a `ConfigElement` tree.
///
/// The parser never touches the network or the file system: it gets no `XML_PARSE_NOENT`
/// (entities are not substituted), no `XML_PARSE_DTDLOAD` (no external subset is read) and
/// sets `XML_PARSE_NONET`. On top of that, a document type declaration of any kind is
/// rejected the moment libxml2 reports it, before its internal subset is read. Entity
/// declarations, such as those of a "billion laughs" document or an external entity naming a
/// local file, are therefore never parsed. `XML_PARSE_NOBLANKS` is left out on purpose: it could drop a password
/// made only of white space, and blank text between elements is ignored here anyway.
///
/// libxml2's errors are captured through the context's structured error handler, so nothing
/// is printed to standard error, and reported as `XMLSyntaxError`s because libxml2's message
/// text can quote the document, passwords included. Any encoding libxml2 reads natively works (UTF-8,
/// UTF-16, ISO-8859-1, ...); the resulting text is always UTF-8.
struct XMLDocumentParser {
    /// The largest document accepted, in bytes. Real configuration files are a few KB.
    static let maximumDocumentSize = 4 * 1024 * 1024

    /// libxml2 must set up its global tables once before parsers run on several threads.
    private static let libraryInitialization: Void = xmlInitParser()

    /// The file path used in locations, or `<embedded>`.
    let source: String

    /// Parses `data` and returns its root element.
    ///
    /// - Throws: `invalidConfiguration` for a document with a DOCTYPE, a document that is
    ///   not well-formed XML (with the line and column, and a fixed
    ///   description of libxml2's error class), an empty or oversize document.
    func parse(_ data: [UInt8]) throws -> ConfigElement {
        guard !data.isEmpty else {
            throw SecurityError.configuration(
                "Configuration document is empty", fix: "write an <internalApis>, <handlers> or <handler> document",
                at: SecurityError.Location(file: source))
        }
        guard data.count <= Self.maximumDocumentSize else {
            throw SecurityError.configuration(
                "Configuration document is larger than \(Self.maximumDocumentSize) bytes",
                value: "\(data.count) bytes", fix: "check that the path names the internal-apis.xml file",
                at: SecurityError.Location(file: source))
        }

        Self.libraryInitialization
        let state = ParseState()
        let document = try withParsedDocument(data, state: state) { document in
            try checkNoDocumentType(document, state: state)
            guard let root = xmlDocGetRootElement(document) else {
                throw SecurityError.configuration(
                    "Configuration document has no root element",
                    fix: "write an <internalApis>, <handlers> or <handler> document",
                    at: SecurityError.Location(file: source))
            }
            return convert(root)
        }
        return document
    }

    // MARK: - libxml2

    private func withParsedDocument<Result>(
        _ data: [UInt8], state: ParseState, _ body: (xmlDocPtr) throws -> Result
    ) throws -> Result {
        guard let context = xmlNewParserCtxt() else {
            throw SecurityError.configuration(
                "libxml2 could not create a parser context", fix: "check that the process has memory left",
                at: SecurityError.Location(file: source))
        }
        defer { xmlFreeParserCtxt(context) }

        // `xmlCtxtReadMemory` resets the context but keeps its SAX handler and `_private`.
        let unmanagedState = Unmanaged.passRetained(state)
        defer { unmanagedState.release() }
        context.pointee._private = unmanagedState.toOpaque()
        if let handler = context.pointee.sax {
            handler.pointee.serror = parserErrorCallback
            handler.pointee.internalSubset = documentTypeCallback
        }

        let options = Int32(XML_PARSE_NONET.rawValue)
        let parsed: xmlDocPtr? = data.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                xmlCtxtReadMemory(context, characters.baseAddress, Int32(characters.count), source, nil, options)
            }
        }
        let document = parsed
        defer { if let document { xmlFreeDoc(document) } }

        if state.sawDocumentType {
            throw documentTypeError(line: state.documentTypeLine)
        }
        if let first = state.errors.first {
            throw SecurityError(
                .invalidConfiguration, reason: "Configuration file is not well-formed XML",
                value: first.summary, fix: first.fix,
                location: SecurityError.Location(file: source, line: first.line > 0 ? first.line : nil),
                underlying: state.errors.count > 1 ? "\(state.errors.count) parser errors in total" : nil)
        }
        guard let document, context.pointee.wellFormed != 0 else {
            throw SecurityError.configuration(
                "Configuration file is not well-formed XML", fix: "correct the XML document",
                at: SecurityError.Location(file: source))
        }
        return try body(document)
    }

    /// Checks the finished tree as a second line of defence behind the SAX callback.
    private func checkNoDocumentType(_ document: xmlDocPtr, state: ParseState) throws {
        if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
            throw documentTypeError(line: nil)
        }
        var node = document.pointee.children
        while let current = node {
            if current.pointee.type == XML_DTD_NODE || current.pointee.type == XML_DOCUMENT_TYPE_NODE {
                throw documentTypeError(line: nil)
            }
            node = current.pointee.next
        }
    }

    private func documentTypeError(line: Int?) -> SecurityError {
        SecurityError(
            .invalidConfiguration,
            reason:
                "Configuration document contains a DOCTYPE, which is not allowed because DTDs and entities can read files or exhaust memory",
            value: "<!DOCTYPE>",
            fix: "remove the <!DOCTYPE ...> declaration and any entity references",
            location: SecurityError.Location(file: source, line: line, element: "!DOCTYPE"))
    }

    // MARK: - Tree conversion

    private func convert(_ node: xmlNodePtr) -> ConfigElement {
        var element = ConfigElement(
            name: string(node.pointee.name) ?? "",
            namespace: node.pointee.ns.flatMap { string($0.pointee.href) },
            line: Int(xmlGetLineNo(node)),
            file: source)

        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = string(current.pointee.name) {
                element.attributes[name] = textContent(of: current.pointee.children)
                if let namespace = current.pointee.ns.flatMap({ string($0.pointee.href) }) {
                    element.attributeNamespaces[name] = namespace
                }
            }
            attribute = current.pointee.next
        }

        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                element.children.append(convert(current))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                element.text += string(current.pointee.content) ?? ""
            default:
                break  // comments and processing instructions carry no settings
            }
            child = current.pointee.next
        }
        return element
    }

    /// Concatenates the text nodes of an attribute's value. Entity references cannot occur
    /// because documents with a DOCTYPE never get this far.
    private func textContent(of first: xmlNodePtr?) -> String {
        var text = ""
        var node = first
        while let current = node {
            if current.pointee.type == XML_TEXT_NODE {
                text += string(current.pointee.content) ?? ""
            }
            node = current.pointee.next
        }
        return text
    }

    private func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// The errors and DOCTYPE sighting that the C callbacks record while one document is parsed.
/// Only the parsing thread touches it, inside `xmlCtxtReadMemory`.
private final class ParseState {
    var errors: [XMLSyntaxError] = []
    var sawDocumentType = false
    var documentTypeLine: Int?
}

private func parseState(fromParserContext pointer: UnsafeMutableRawPointer?) -> ParseState? {
    guard let pointer, let privateData = pointer.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else {
        return nil
    }
    return Unmanaged<ParseState>.fromOpaque(privateData).takeUnretainedValue()
}

/// Records libxml2 errors instead of printing them. Warnings are dropped: they do not make a
/// document invalid, and the loader reports unused content itself.
private let parserErrorCallback: xmlStructuredErrorFunc = { _, error in
    guard let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    guard let state = parseState(fromParserContext: error.pointee.ctxt) else { return }
    // `int2` is the column for errors of the parser domain. The message is not read.
    state.errors.append(
        XMLSyntaxError(line: Int(error.pointee.line), column: Int(error.pointee.int2), code: Int(error.pointee.code)))
}

/// Stops the parser as soon as `<!DOCTYPE name ...` is read, before the internal subset with
/// its entity declarations is parsed.
private let documentTypeCallback: internalSubsetSAXFunc = { context, _, _, _ in
    guard let context, let state = parseState(fromParserContext: context) else { return }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    state.sawDocumentType = true
    state.documentTypeLine = parser.pointee.input.map { Int($0.pointee.line) }
    xmlStopParser(parser)
}
