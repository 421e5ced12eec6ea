import Foundation
import InternalAPISecurity

/// Builds token records with distinct digests for store tests.
enum TokenRecords {
    /// The instant the store tests start at.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A digest whose bytes encode `number`, distinct for every number.
    static func digest(_ number: Int) -> TokenDigest {
        var bytes = [UInt8](repeating: 0xA5, count: 32)
        withUnsafeBytes(of: UInt64(number).bigEndian) { raw in
            for (offset, byte) in raw.enumerated() { bytes[offset] = byte }
        }
        // A 32-byte array always satisfies TokenDigest's only check.
        return try! TokenDigest(bytes: bytes)
    }

    /// A record issued at `start + issuedOffset` that expires `lifetime` seconds later.
    static func record(
        _ number: Int, issuedOffset: TimeInterval = 0, lifetime: TimeInterval = 3600, admin: Bool = false
    )
        -> TokenRecord
    {
        let issued = start.addingTimeInterval(issuedOffset)
        return TokenRecord(
            digest: digest(number), username: "user\(number)", isAdmin: admin, issuedAt: issued,
            expiresAt: issued.addingTimeInterval(lifetime))
    }
}
