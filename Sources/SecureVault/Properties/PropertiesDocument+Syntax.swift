import InternalAPISecurity

/// The character-level rules of the Java properties format.
extension PropertiesDocument {
    static let whitespace: Set<Character> = [" ", "\t", "\u{0C}"]

    static func withoutCarriageReturn(_ line: String) -> Substring {
        line.hasSuffix("\r") ? line.dropLast() : line[...]
    }

    static func trimmingLeadingWhitespace(_ text: Substring) -> String {
        String(text.drop { whitespace.contains($0) })
    }

    /// Returns whether `line` ends with an odd number of backslashes, which continues it on the next line.
    static func endsWithContinuation(_ line: String) -> Bool {
        line.reversed().prefix { $0 == "\\" }.count % 2 == 1
    }

    /// Splits a logical line into its still-escaped key and value.
    static func splitKeyAndValue(_ line: String) -> (key: String, value: String) {
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                index += 2
                continue
            }
            if character == "=" || character == ":" || whitespace.contains(character) { break }
            index += 1
        }
        let key = String(characters[..<min(index, characters.count)])

        while index < characters.count, whitespace.contains(characters[index]) { index += 1 }
        if index < characters.count, characters[index] == "=" || characters[index] == ":" {
            index += 1
            while index < characters.count, whitespace.contains(characters[index]) { index += 1 }
        }
        let value = index < characters.count ? String(characters[index...]) : ""
        return (key, value)
    }

    /// Resolves backslash escapes. A backslash before any other character is dropped, as in Java.
    static func unescape(_ text: String, line: Int) throws -> String {
        guard text.contains("\\") else { return text }
        var result = ""
        var utf16Units: [UInt16] = []
        var iterator = Array(text).makeIterator()

        func flushUnits() {
            if !utf16Units.isEmpty {
                result += String(decoding: utf16Units, as: UTF16.self)
                utf16Units.removeAll()
            }
        }

        while let character = iterator.next() {
            guard character == "\\", let escaped = iterator.next() else {
                flushUnits()
                if character != "\\" { result.append(character) }
                continue
            }
            if escaped == "u" {
                let digits = String(
                    [iterator.next(), iterator.next(), iterator.next(), iterator.next()].compactMap { $0 })
                guard digits.count == 4, let unit = UInt16(digits, radix: 16) else {
                    throw SecurityError(
                        .invalidConfiguration, reason: "Malformed \\uXXXX escape in the properties file",
                        value: "line \(line)", fix: "write four hexadecimal digits after \\u")
                }
                // Surrogate pairs arrive as two escapes, so units are collected before decoding.
                utf16Units.append(unit)
                continue
            }

            flushUnits()
            switch escaped {
            case "t": result.append("\t")
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "f": result.append("\u{0C}")
            default: result.append(escaped)
            }
        }
        flushUnits()
        return result
    }

    /// Escapes `text` so that `Properties.load` reads it back unchanged. Characters outside
    /// printable ASCII become `\uXXXX`, so the line reads the same in UTF-8 and ISO-8859-1.
    static func escape(_ text: String, isKey: Bool) -> String {
        var result = ""
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\u{0C}": result += "\\f"
            case " " where isKey || offset == 0: result += "\\ "
            case "=" where isKey, ":" where isKey: result += "\\\(scalar)"
            case "#" where isKey && offset == 0, "!" where isKey && offset == 0: result += "\\\(scalar)"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16, uppercase: true)
                        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
