import COpenSSL
import CShims

/// Reads and clears OpenSSL's per-thread error queue.
enum OpenSSLErrors {
    /// Returns the queued errors as one line, oldest first, or nil when the queue is empty.
    ///
    /// The queue is emptied, so that a later failure does not report this one's causes.
    static func drain() -> String? {
        drainReport().text
    }

    /// Returns the queued errors as one line, and whether any of them means that an algorithm
    /// is not available (for example RC2 without the legacy provider). Empties the queue.
    static func drainReport() -> (text: String?, hasUnsupportedAlgorithm: Bool) {
        var messages: [String] = []
        var hasUnsupportedAlgorithm = false
        while true {
            let code = ERR_get_error()
            guard code != 0 else { break }
            if cshims_vault_error_is_unsupported(code) == 1 { hasUnsupportedAlgorithm = true }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return (messages.isEmpty ? nil : messages.joined(separator: "; "), hasUnsupportedAlgorithm)
    }

    /// Empties the queue without reading it.
    static func clear() {
        ERR_clear_error()
    }
}
