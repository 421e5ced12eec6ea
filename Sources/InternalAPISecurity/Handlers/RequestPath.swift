/// Normalises request paths before resource matching, so that `//users`, `/./users`,
/// `/x/../users` and `/%75sers` are all matched as `/users`.
public enum RequestPath {
    /// Normalises an absolute path (no query string).
    ///
    /// Collapses repeated slashes, resolves `.` and `..` segments, decodes percent-encoded
    /// unreserved characters (RFC 3986, section 2.3) and upper-cases the hex digits of the
    /// escapes it keeps. A trailing slash is removed, except for the root.
    ///
    /// - Throws: `invalidPath` when the path does not start with `/`, climbs above the root,
    ///   contains an encoded `/`, `\` or NUL, a raw control character or a malformed escape.
    ///   The server answers these with 400.
    public static func normalize(_ path: String) throws -> String {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else {
            throw invalid("Request path must start with '/'", path)
        }

        let decoded = try decodeUnreserved(bytes, original: path)

        var segments: [ArraySlice<UInt8>] = []
        for segment in decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if segment.elementsEqual([UInt8(ascii: ".")]) {
                continue
            }
            if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                guard !segments.isEmpty else {
                    throw invalid("Request path climbs above the root", path)
                }
                segments.removeLast()
                continue
            }
            segments.append(segment)
        }

        var output: [UInt8] = []
        output.reserveCapacity(decoded.count)
        for segment in segments {
            output.append(UInt8(ascii: "/"))
            output.append(contentsOf: segment)
        }
        if output.isEmpty { output = [UInt8(ascii: "/")] }
        return String(decoding: output, as: UTF8.self)
    }

    private static func decodeUnreserved(_ bytes: [UInt8], original: String) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F {
                throw invalid("Request path contains a control character", original)
            }
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            else {
                throw invalid("Request path contains a malformed percent escape", original)
            }
            let value = high << 4 | low
            switch value {
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), 0:
                throw invalid("Request path contains an encoded '/', '\\' or NUL", original)
            case _ where isUnreserved(value):
                output.append(value)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hexDigit(high))
                output.append(hexDigit(low))
            }
            index += 3
        }
        return output
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    private static func invalid(_ reason: String, _ path: String) -> SecurityError {
        SecurityError(.invalidPath, reason: reason, value: path, fix: "send a plain absolute path")
    }
}
