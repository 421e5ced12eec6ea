import COpenSSL
import CShims

/// Helpers for OpenSSL memory BIOs, which the PEM and DER functions read from and write to.
enum MemoryBIO {
    /// Runs `body` with a read-only BIO over `bytes`. The BIO is freed afterwards.
    static func reading<Result>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> Result) throws -> Result {
        try bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                throw KeyStoreErrors.outOfMemory()
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Runs `body` with an empty writable BIO and returns what it wrote as text.
    static func writingText(_ body: (OpaquePointer) -> Bool) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard body(bio) else { return nil }
        var data: UnsafeMutablePointer<CChar>?
        let length = cshims_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return "" }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
        return String(decoding: bytes, as: UTF8.self)
    }
}
