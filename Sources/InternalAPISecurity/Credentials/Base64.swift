/// Strict base64 decoding (RFC 4648, section 4): `Foundation`'s decoder tolerates input that
/// an authentication header must reject.
enum Base64 {
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Decodes canonical padded base64, or returns nil for anything else: a character outside
    /// the alphabet, a length that is not a multiple of four, misplaced padding or non-zero pad bits.
    static func decodeStrict(_ input: ArraySlice<UInt8>) -> [UInt8]? {
        guard !input.isEmpty, input.count % 4 == 0 else { return nil }
        let bytes = Array(input)
        var padding = 0
        if bytes[bytes.count - 1] == UInt8(ascii: "=") { padding += 1 }
        if bytes[bytes.count - 2] == UInt8(ascii: "=") { padding += 1 }
        guard padding == 0 || bytes[bytes.count - 1] == UInt8(ascii: "=") else { return nil }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            let isLastQuantum = index + 4 == bytes.count
            var values: [UInt8] = [0, 0, 0, 0]
            for offset in 0..<4 {
                let byte = bytes[index + offset]
                if byte == UInt8(ascii: "=") {
                    guard isLastQuantum, offset >= 4 - padding else { return nil }
                    continue
                }
                let value = decodeTable[Int(byte)]
                guard value != 0xFF else { return nil }
                values[offset] = value
            }
            output.append(values[0] << 2 | values[1] >> 4)
            if !(isLastQuantum && padding == 2) {
                output.append(values[1] << 4 | values[2] >> 2)
            } else if values[1] & 0x0F != 0 {
                return nil
            }
            if !(isLastQuantum && padding >= 1) {
                output.append(values[2] << 6 | values[3])
            } else if padding == 1 && values[2] & 0x03 != 0 {
                return nil
            }
            index += 4
        }
        return output
    }
}
