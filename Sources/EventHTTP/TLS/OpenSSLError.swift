import COpenSSL

/// Reads OpenSSL's thread-local error queue into text for logs and `SecurityError.underlying`.
enum OpenSSLError {
    /// Empties the calling thread's error queue and returns its entries joined by "; ", or nil
    /// when the queue was empty.
    static func drain() -> String? {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            guard code != 0 else { break }
            messages.append(describe(code))
        }
        return messages.isEmpty ? nil : messages.joined(separator: "; ")
    }

    /// Returns OpenSSL's text for one error code.
    static func describe(_ code: UInt) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
