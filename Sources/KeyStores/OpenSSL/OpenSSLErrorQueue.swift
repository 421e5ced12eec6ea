import COpenSSL
import CShims

/// The calling thread's OpenSSL error queue, drained into text for `SecurityError.underlying`.
enum OpenSSLErrorQueue {
    /// The queued errors, oldest first, with whether any of them means a wrong password or an
    /// algorithm that no loaded provider offers.
    struct Drained {
        var text: String?
        var isBadPassword = false
        var isUnsupportedAlgorithm = false
    }

    /// Empties the queue, so a later failure reports only its own errors.
    static func clear() {
        ERR_clear_error()
    }

    /// Removes every queued error and returns them.
    static func drain() -> Drained {
        var drained = Drained()
        var lines: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if cshims_keystores_error_is_bad_password(code) == 1 { drained.isBadPassword = true }
            if cshims_keystores_error_is_unsupported(code) == 1 { drained.isUnsupportedAlgorithm = true }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        drained.text = lines.isEmpty ? nil : lines.joined(separator: "; ")
        return drained
    }

    /// Removes every queued error and returns their text, or nil when the queue was empty.
    static func drainText() -> String? {
        drain().text
    }
}
