import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

/// Socket address helpers: binding a listening socket and formatting peer addresses.
enum SocketAddress {
    /// Creates a TCP socket bound to `host`:`port` and listening, and returns it with the bound
    /// port (the kernel's choice when `port` is 0).
    ///
    /// - Throws: `SecurityError` with code `.listenFailed`, naming the address and a fix.
    static func listen(host: String, port: Int) throws -> (socket: Int32, port: Int) {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (0...65535).contains(port) else {
            throw SecurityError(
                .listenFailed, reason: "The port is outside 0 to 65535", value: address,
                fix: "Choose a port from 1 to 65535, or 0 for any free port")
        }

        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, String(port), &hints, &results)
        guard lookup == 0, let info = results else {
            throw SecurityError(
                .listenFailed, reason: "Cannot resolve the listen address", value: address,
                fix: "Use an IP address such as 127.0.0.1 or ::1, or a resolvable host name",
                underlying: String(cString: gai_strerror(lookup)))
        }
        defer { freeaddrinfo(results) }

        let socket = Glibc.socket(
            info.pointee.ai_family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard socket >= 0 else {
            throw failure("Cannot create a socket", address: address, error: errno)
        }
        var enabled: Int32 = 1
        let optionSize = socklen_t(MemoryLayout<Int32>.size)
        // Lets a restarted server bind while old connections sit in TIME_WAIT.
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &enabled, optionSize)
        if info.pointee.ai_family == AF_INET6 {
            setsockopt(socket, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &enabled, optionSize)
        }

        guard bind(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let error = errno
            Glibc.close(socket)
            throw failure("Cannot bind the listen address", address: address, error: error)
        }
        guard Glibc.listen(socket, 511) == 0 else {
            let error = errno
            Glibc.close(socket)
            throw failure("Cannot listen on the address", address: address, error: error)
        }

        var bound = sockaddr_storage()
        var boundLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let boundPort = withUnsafeMutablePointer(to: &bound) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> Int in
                guard getsockname(socket, address, &boundLength) == 0 else { return port }
                return Self.port(address)
            }
        }
        return (socket, boundPort)
    }

    private static func failure(_ reason: String, address: String, error: Int32) -> SecurityError {
        let fix: String
        switch error {
        case EADDRINUSE:
            fix = "Another process is using this address: stop it or choose another port (0 picks a free one)"
        case EACCES:
            fix = "Ports below 1024 need privileges: choose a port from 1024 up or grant CAP_NET_BIND_SERVICE"
        case EADDRNOTAVAIL:
            fix = "The address is not assigned to this machine: use 127.0.0.1, ::1 or a local interface address"
        case EAFNOSUPPORT:
            fix = "This machine does not support the address family: use an IPv4 address"
        default:
            fix = "Check the host and port settings"
        }
        return SecurityError(
            .listenFailed, reason: reason, value: address, fix: fix, underlying: String(cString: strerror(error)))
    }

    private static func port(_ address: UnsafePointer<sockaddr>) -> Int {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin6_port))
            }
        default:
            return 0
        }
    }

    /// Returns the numeric host of a peer address, without the port, or "unknown".
    static func numericHost(_ address: UnsafeMutablePointer<sockaddr>?, length: Int32) -> String {
        guard let address else { return "unknown" }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = getnameinfo(address, socklen_t(length), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
        guard status == 0 else { return "unknown" }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
