/// Reads the big-endian integers and strings that Java's `DataOutputStream` writes, with
/// every read bounds-checked so a truncated file fails instead of crashing.
struct BigEndianReader {
    /// A read went past the end of the input.
    struct EndOfInput: Error {}
    /// A `writeUTF` string was not valid modified UTF-8.
    struct InvalidString: Error {}

    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int {
        bytes.count - offset
    }

    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw EndOfInput() }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func readUInt16() throws -> UInt16 {
        try readBytes(2).reduce(0) { $0 << 8 | UInt16($1) }
    }

    mutating func readUInt32() throws -> UInt32 {
        try readBytes(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readUInt64() throws -> UInt64 {
        try readBytes(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Reads a Java `int` used as a length; a negative value is reported as the end of input,
    /// because no complete file can contain it.
    mutating func readLength() throws -> Int {
        let value = Int32(bitPattern: try readUInt32())
        guard value >= 0 else { throw EndOfInput() }
        return Int(value)
    }

    /// Reads a string written by Java's `DataOutput.writeUTF`: a 16-bit byte count, then
    /// modified UTF-8, which encodes NUL as two bytes and each UTF-16 surrogate on its own.
    mutating func readJavaUTF() throws -> String {
        let length = Int(try readUInt16())
        let encoded = try readBytes(length)
        var units: [UInt16] = []
        units.reserveCapacity(length)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let lead = encoded[index]
            switch lead {
            case 0x01...0x7F:
                units.append(UInt16(lead))
                index += 1
            case 0xC0...0xDF:
                guard index + 1 < encoded.endIndex else { throw InvalidString() }
                let next = encoded[index + 1]
                guard next & 0xC0 == 0x80 else { throw InvalidString() }
                units.append(UInt16(lead & 0x1F) << 6 | UInt16(next & 0x3F))
                index += 2
            case 0xE0...0xEF:
                guard index + 2 < encoded.endIndex else { throw InvalidString() }
                let second = encoded[index + 1]
                let third = encoded[index + 2]
                guard second & 0xC0 == 0x80, third & 0xC0 == 0x80 else { throw InvalidString() }
                units.append(UInt16(lead & 0x0F) << 12 | UInt16(second & 0x3F) << 6 | UInt16(third & 0x3F))
                index += 3
            default:
                throw InvalidString()
            }
        }
        return String(decoding: units, as: UTF16.self)
    }
}
