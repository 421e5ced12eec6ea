import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A response as read off the wire by `BlockingClient`.
struct RawResponse {
    var statusLine: String
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A blocking TCP client with receive and send timeouts, so a test never hangs on the server.
/// Used by one thread at a time; `@unchecked Sendable` so a test can hand it to a reader thread.
final class BlockingClient: @unchecked Sendable {
    let socket: Int32
    private var buffered: [UInt8] = []

    init(port: Int, host: String = "127.0.0.1", timeout: Duration = .seconds(5)) throws {
        let isIPv6 = host.contains(":")
        socket = Glibc.socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ClientError(description: "socket() failed: errno \(errno)") }

        var interval = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))

        let status: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard status == 0 else {
            let error = errno
            Glibc.close(socket)
            throw ClientError(description: "connect to \(host):\(port) failed: errno \(error)")
        }
    }

    deinit {
        Glibc.close(socket)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads more bytes; returns false at end of stream or on reset. Throws on timeout.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if received > 0 {
            buffered.append(contentsOf: chunk[..<received])
            return true
        }
        if received == 0 || errno == ECONNRESET {
            return false
        }
        throw ClientError(description: "recv failed or timed out: errno \(errno)")
    }

    /// Reads one response; a body is delimited by Content-Length or, without it, by the end of
    /// the stream.
    func readResponse(toHeadRequest: Bool = false) throws -> RawResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            headEnd = findSubsequence(separator, in: buffered)
            if headEnd == nil, try !fill() {
                throw ClientError(description: "stream ended before a response head; got \(buffered.count) bytes")
            }
        }
        let end = headEnd!
        let headText = String(decoding: buffered[..<end], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let statusParts = statusLine.split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ClientError(description: "invalid status line: \(statusLine)")
        }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffered.removeFirst(end + 4)

        var response = RawResponse(statusLine: statusLine, status: status, headers: headers, body: [])
        if (100..<200).contains(status) || toHeadRequest {
            return response
        }
        if let lengthText = response.header("Content-Length"), let length = Int(lengthText) {
            while buffered.count < length {
                guard try fill() else { throw ClientError(description: "stream ended inside a body") }
            }
            response.body = Array(buffered[..<length])
            buffered.removeFirst(length)
        } else {
            while try fill() {}
            response.body = buffered
            buffered.removeAll()
        }
        return response
    }

    /// Reads one response on a thread of its own, so the blocking read does not hold one of
    /// the few threads that run the test's tasks.
    func readResponseOnThread() async throws -> RawResponse {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.readResponse() }) }.start()
        }
    }

    /// True when bytes or an end of stream are waiting to be read, without blocking.
    var hasPendingInput: Bool {
        if !buffered.isEmpty { return true }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// True when the server closes the connection (end of stream or reset) before `timeout`,
    /// discarding anything it sends first.
    func waitForClose() -> Bool {
        while true {
            do {
                guard try fill() else { return true }
            } catch {
                return false
            }
        }
    }

    private func findSubsequence(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
