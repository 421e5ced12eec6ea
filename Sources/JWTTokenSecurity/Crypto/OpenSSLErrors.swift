import COpenSSL
import InternalAPISecurity

/// Turns OpenSSL's thread-local error queue into `SecurityError`s.
enum OpenSSLErrors {
    /// Empties the calling thread's error queue and returns its entries joined by `; `, or nil
    /// when it was empty. Draining keeps a stale entry from being blamed on a later failure.
    static func drain() -> String? {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? nil : messages.joined(separator: "; ")
    }

    /// A `cryptographyFailed` error carrying the drained error queue.
    static func failure(_ reason: String, value: String? = nil, fix: String? = nil) -> SecurityError {
        SecurityError(.cryptographyFailed, reason: reason, value: value, fix: fix, underlying: drain())
    }
}
