/// Byte comparison whose duration does not depend on the position of the first difference.
enum ConstantTimeComparison {
    /// Compares two byte strings in time that depends only on their lengths, so a caller
    /// cannot find a secret byte by byte by timing failed guesses.
    static func equals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference: UInt8 = left.count == right.count ? 0 : 1
        for index in 0..<max(left.count, right.count) {
            let leftByte = index < left.count ? left[index] : 0
            let rightByte = index < right.count ? right[index] : 0
            difference |= leftByte ^ rightByte
        }
        return difference == 0
    }
}
