import CHTTPParser
import CLibEvent
import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

/// The parser callbacks, shared by every connection. http_parser only reads this table.
nonisolated(unsafe) let requestParserSettings: UnsafeMutablePointer<http_parser_settings> = {
    let settings = UnsafeMutablePointer<http_parser_settings>.allocate(capacity: 1)
    http_parser_settings_init(settings)
    settings.pointee.on_message_begin = { parser in
        parsingConnection(parser)?.messageBegan() ?? -1
    }
    settings.pointee.on_url = { parser, data, length in
        parsingConnection(parser)?.appendTarget(data, length) ?? -1
    }
    settings.pointee.on_header_field = { parser, data, length in
        parsingConnection(parser)?.appendHeaderField(data, length) ?? -1
    }
    settings.pointee.on_header_value = { parser, data, length in
        parsingConnection(parser)?.appendHeaderValue(data, length) ?? -1
    }
    settings.pointee.on_headers_complete = { parser in
        parsingConnection(parser)?.headersCompleted() ?? -1
    }
    settings.pointee.on_body = { parser, data, length in
        parsingConnection(parser)?.appendBody(data, length) ?? -1
    }
    settings.pointee.on_message_complete = { parser in
        parsingConnection(parser)?.messageCompleted() ?? -1
    }
    return settings
}()

private func parsingConnection(_ parser: UnsafeMutablePointer<http_parser>?) -> HTTPConnection? {
    guard let context = parser?.pointee.data else { return nil }
    return Unmanaged<HTTPConnection>.fromOpaque(context).takeUnretainedValue()
}

extension HTTPConnection {
    /// Feeds buffered input to the parser until a request is complete, the input runs out, or
    /// the request is rejected.
    ///
    /// The head is fed no more than its remaining byte budget at a time, so an oversize head is
    /// caught at exactly `maxHeaderBytes` whatever the read sizes are.
    func processInput() {
        guard !isProcessingInput, let bufferEvent, let input = bufferevent_get_input(bufferEvent) else { return }
        isProcessingInput = true
        defer { isProcessingInput = false }

        while true {
            switch phase {
            case .awaitingFirstRequest, .idle, .head, .body:
                break
            case .lingering:
                evbuffer_drain(input, evbuffer_get_length(input))
                return
            case .responding, .writing, .closed:
                return
            }
            guard evbuffer_get_length(input) > 0 else { return }

            if phase == .idle {
                // A kept-alive connection's head deadline starts with the first byte.
                startTimer(limits.headerTimeout)
                phase = .head
                headBytes = 0
            } else if phase == .awaitingFirstRequest {
                phase = .head
                headBytes = 0
            }

            var chunk = iovec()  // libevent defines evbuffer_iovec as iovec on Linux
            guard evbuffer_peek(input, -1, nil, &chunk, 1) >= 1, let chunkStart = chunk.iov_base else { return }
            var length = chunk.iov_len
            if phase == .head {
                let budget = limits.maxHeaderBytes - headBytes
                guard budget > 0 else {
                    reject(status: 431, message: "The request line and headers exceed \(limits.maxHeaderBytes) bytes")
                    return
                }
                length = min(length, budget)
            }

            let phaseBefore = phase
            let parsed = http_parser_execute(
                parser, requestParserSettings, chunkStart.assumingMemoryBound(to: CChar.self), length)
            evbuffer_drain(input, parsed)
            if phase == .head {
                headBytes += parsed
            }

            if let rejection = pendingRejection {
                pendingRejection = nil
                reject(status: rejection.status, message: rejection.message)
                return
            }
            let parserError = http_errno(parser.pointee.http_errno)
            if parserError != HPE_OK && parserError != HPE_PAUSED {
                rejectParserError(parserError)
                return
            }
            if phase == .responding {
                dispatchRequest()
            } else if parsed == 0 && phase == phaseBefore {
                // The parser took nothing and reported nothing: never spin on it.
                reject(status: 400, message: "The request could not be parsed")
                return
            }
        }
    }

    private func rejectParserError(_ error: http_errno) {
        switch error {
        case HPE_HEADER_OVERFLOW:
            reject(status: 431, message: "The request line and headers are too large")
        case HPE_UNEXPECTED_CONTENT_LENGTH:
            reject(status: 400, message: "Content-Length is repeated or sent together with Transfer-Encoding")
        case HPE_INVALID_TRANSFER_ENCODING:
            reject(status: 400, message: "Transfer-Encoding must end with chunked")
        default:
            let description = http_errno_description(error).map { String(cString: $0) } ?? "unknown parser error"
            reject(status: 400, message: "Invalid HTTP request: \(description)")
        }
    }

    // MARK: Parser callbacks (each returns 0 to continue, nonzero to stop the parser)

    func messageBegan() -> Int32 {
        targetBytes.removeAll(keepingCapacity: true)
        headerFieldBytes.removeAll(keepingCapacity: true)
        headerValueBytes.removeAll(keepingCapacity: true)
        readingHeaderValue = false
        rawHeaders.removeAll(keepingCapacity: true)
        headers = []
        body = []
        return 0
    }

    func appendTarget(_ data: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        append(data, length, to: &targetBytes)
        return 0
    }

    func appendHeaderField(_ data: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        if readingHeaderValue {
            rawHeaders.append((headerFieldBytes, headerValueBytes))
            headerFieldBytes.removeAll(keepingCapacity: true)
            headerValueBytes.removeAll(keepingCapacity: true)
            readingHeaderValue = false
        }
        append(data, length, to: &headerFieldBytes)
        return 0
    }

    func appendHeaderValue(_ data: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        readingHeaderValue = true
        append(data, length, to: &headerValueBytes)
        return 0
    }

    /// Checks the head as a whole: version, target, headers, body size and `Expect`.
    func headersCompleted() -> Int32 {
        if !headerFieldBytes.isEmpty || readingHeaderValue {
            rawHeaders.append((headerFieldBytes, headerValueBytes))
        }

        let major = parser.pointee.http_major
        let minor = parser.pointee.http_minor
        guard major == 1 else {
            if major == 0 {
                return stopParsing(400, "HTTP/0.9 requests are not supported")
            }
            return stopParsing(505, "Only HTTP/1.0 and HTTP/1.1 are supported")
        }
        let methodCode = http_method(rawValue: parser.pointee.method)
        guard methodCode != HTTP_CONNECT else {
            return stopParsing(400, "CONNECT is not supported")
        }
        method = http_method_str(methodCode).map { String(cString: $0) } ?? ""
        guard let decodedTarget = String(validating: targetBytes, as: UTF8.self) else {
            return stopParsing(400, "The request target is not valid UTF-8")
        }
        target = decodedTarget

        var decoded: [(name: String, value: String)] = []
        decoded.reserveCapacity(rawHeaders.count)
        for header in rawHeaders {
            // http_parser 2.9.4 already joins obs-fold continuations without the line break.
            // The check keeps CR and LF out of header values if a later parser lets one through.
            guard !header.value.contains(where: { $0 == 0x0D || $0 == 0x0A }) else {
                return stopParsing(400, "A header value contains a line break")
            }
            guard let name = String(validating: header.name, as: UTF8.self),
                let value = String(validating: header.value, as: UTF8.self)
            else {
                return stopParsing(400, "A header field is not valid UTF-8")
            }
            // Debian's http_parser is built lenient and accepts `Content-Length : 5`, white space
            // before the colon, as a framing header. A proxy in front may frame the request
            // differently, so such a name is rejected (RFC 9112, section 5.1).
            guard ResponseEncoder.isToken(name) else {
                return stopParsing(400, "A header field name is not a valid token")
            }
            decoded.append((name, value))
        }
        headers = decoded
        let hostCount = decoded.count { $0.name.lowercased() == "host" }
        if minor == 1, hostCount == 0 {
            return stopParsing(400, "HTTP/1.1 requests must carry a Host header")
        }
        if hostCount > 1 {
            return stopParsing(400, "A request must carry one Host header")
        }

        let hasContentLength = parser.pointee.flags & UInt32(F_CONTENTLENGTH.rawValue) != 0
        let isChunked = parser.pointee.flags & UInt32(F_CHUNKED.rawValue) != 0
        if hasContentLength, parser.pointee.content_length > UInt64(max(0, limits.maxBodyBytes)) {
            return stopParsing(413, "The request body exceeds \(limits.maxBodyBytes) bytes")
        }
        let expectsBody = isChunked || (hasContentLength && parser.pointee.content_length > 0)

        if let expectation = decoded.first(where: { $0.name.lowercased() == "expect" })?.value {
            guard expectation.lowercased() == "100-continue", minor == 1 else {
                return stopParsing(417, "Only Expect: 100-continue is supported")
            }
            if expectsBody, let bufferEvent {
                let interim = "HTTP/1.1 100 Continue\r\n\r\n"
                bufferevent_write(bufferEvent, interim, interim.utf8.count)
            }
        }

        // An HTTP/1.0 request with a chunked body cannot be framed safely by every peer, so the
        // connection closes after the response (RFC 9112, section 6.1).
        requestKeepAlive = http_should_keep_alive(parser) != 0 && !(minor == 0 && isChunked)
        if expectsBody {
            phase = .body
            startTimer(limits.bodyTimeout)
        }
        return 0
    }

    func appendBody(_ data: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        guard body.count + length <= limits.maxBodyBytes else {
            return stopParsing(413, "The request body exceeds \(limits.maxBodyBytes) bytes")
        }
        append(data, length, to: &body)
        return 0
    }

    /// Pauses the parser after each request, so the next pipelined request stays buffered
    /// until this one has its response.
    func messageCompleted() -> Int32 {
        phase = .responding
        cancelTimer()
        http_parser_pause(parser, 1)
        return 0
    }

    private func stopParsing(_ status: Int, _ message: String) -> Int32 {
        pendingRejection = (status, message)
        // Not 1 or 2: from on_headers_complete those mean "no body" and "upgrade".
        return -1
    }

    private func append(_ data: UnsafePointer<CChar>?, _ length: Int, to bytes: inout [UInt8]) {
        guard let data, length > 0 else { return }
        data.withMemoryRebound(to: UInt8.self, capacity: length) { start in
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
        }
    }
}
