import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP client on a blocking loopback socket, for the cases curl cannot play: a client
/// that trickles its request, holds a connection idle, or goes away mid-request.
final class LimitsSocket {
    /// What a read returned.
    enum ReadResult: Equatable {
        case bytes([UInt8])
        /// The server closed the connection (orderly close or reset).
        case closed
        /// Nothing arrived within the read timeout.
        case timedOut
    }

    private var descriptor: Int32

    /// Connects to `127.0.0.1:port`.
    ///
    /// - Throws: `EndToEndError.commandFailed` naming the port and `errno` when the connection fails.
    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw EndToEndError.commandFailed("socket() failed: errno \(errno)")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            Glibc.close(descriptor)
            descriptor = -1
            throw EndToEndError.commandFailed("connect to 127.0.0.1:\(port) failed: errno \(error)")
        }
    }

    deinit {
        close()
    }

    /// Sends all of `text`, and returns false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.send(descriptor, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Waits up to `timeout` seconds for the next bytes.
    func read(timeout: TimeInterval) -> ReadResult {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout * 1000))
        guard ready > 0 else { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return .closed }
        return .bytes(Array(buffer[..<count]))
    }

    /// Reads until `marker` has arrived, the server closes, or `timeout` seconds pass, and
    /// returns everything read, decoded as UTF-8, and whether the server closed.
    func read(until marker: String, timeout: TimeInterval) -> (text: String, closed: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        while Date() < deadline {
            switch read(timeout: max(0.01, deadline.timeIntervalSinceNow)) {
            case .bytes(let bytes):
                received += bytes
                let text = String(decoding: received, as: UTF8.self)
                if text.contains(marker) { return (text, false) }
            case .closed:
                return (String(decoding: received, as: UTF8.self), true)
            case .timedOut:
                break
            }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    /// Reads one whole response to a request with `Connection: keep-alive`: the head, then
    /// `Content-Length` body bytes.
    func readResponse(timeout: TimeInterval = 10) -> String? {
        let (text, _) = read(until: "\r\n\r\n", timeout: timeout)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<headEnd.lowerBound].lowercased()
        let length =
            head.split(separator: "\r\n")
            .first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        var response = text
        let deadline = Date().addingTimeInterval(timeout)
        while response.utf8.count - text[..<headEnd.upperBound].utf8.count < length, Date() < deadline {
            guard case .bytes(let bytes) = read(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { break }
            response += String(decoding: bytes, as: UTF8.self)
        }
        return response
    }

    /// Parses the status code from a response's first line, or returns nil when there is none.
    static func status(of response: String?) -> Int? {
        guard let line = response?.split(separator: "\r\n").first else { return nil }
        let parts = line.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }

    /// Closes the socket. With `reset`, closes with an RST instead of a FIN.
    func close(reset: Bool = false) {
        guard descriptor >= 0 else { return }
        if reset {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        Glibc.close(descriptor)
        descriptor = -1
    }
}
