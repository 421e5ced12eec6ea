import COpenSSL

/// Reads and clears OpenSSL's per-thread error queue.
enum OpenSSLErrors {
    /// Returns the queued errors as one line, oldest first, or nil when the queue is empty.
    ///
    /// The queue is emptied, so that a later failure does not report this one's causes.
    static func drain() -> String? {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            guard code != 0 else { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? nil : messages.joined(separator: "; ")
    }

    /// Empties the queue without reading it.
    static func clear() {
        ERR_clear_error()
    }
}
