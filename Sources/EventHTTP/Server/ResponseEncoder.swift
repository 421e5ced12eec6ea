import CHTTPParser
import InternalAPISecurity

/// Serialises a response head and body into one buffer, so TLS sends them in one record.
enum ResponseEncoder {
    private static let transportHeaders: Set<String> = ["content-length", "date", "connection", "transfer-encoding"]

    /// Encodes `response` as an HTTP/1.1 message.
    ///
    /// - Parameters:
    ///   - keepAlive: whether to announce `Connection: keep-alive` or `close`.
    ///   - isHeadRequest: true for `HEAD`, whose response carries the length but not the body.
    static func encode(
        _ response: HTTPResponse, keepAlive: Bool, isHeadRequest: Bool, date: String, logger: Logger
    ) -> [UInt8] {
        var status = response.status
        if !(200...599).contains(status) {
            logger.error("responder sent an invalid final status; sending 500", metadata: ["status": "\(status)"])
            status = 500
        }
        let bodyAllowed = status != 204 && status != 304
        let body = bodyAllowed ? response.body : []

        var head = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        for header in response.headers {
            guard !transportHeaders.contains(header.name.lowercased()) else { continue }
            guard isToken(header.name), isFieldValue(header.value) else {
                logger.warning("dropping an invalid response header", metadata: ["header": header.name])
                continue
            }
            head += "\(header.name): \(header.value)\r\n"
        }
        if bodyAllowed {
            head += "Content-Length: \(contentLength(of: response, body: body, isHeadRequest: isHeadRequest))\r\n"
        }
        head += "Date: \(date)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"

        var bytes = Array(head.utf8)
        if !isHeadRequest {
            bytes.append(contentsOf: body)
        }
        return bytes
    }

    /// The length to announce: the body's, except for a `HEAD` response whose responder gave
    /// the length of the `GET` body it mirrors in its own `Content-Length` (RFC 9110, section
    /// 8.6), which is kept when it is a plain number.
    static func contentLength(of response: HTTPResponse, body: [UInt8], isHeadRequest: Bool) -> Int {
        guard isHeadRequest, body.isEmpty,
            let declared = response.headers.first(where: { $0.name.lowercased() == "content-length" }),
            let length = Int(declared.value), length >= 0
        else { return body.count }
        return length
    }

    static func reasonPhrase(_ status: Int) -> String {
        guard let code = UInt32(exactly: status), let text = http_status_str(http_status(rawValue: code)) else {
            return ""
        }
        let phrase = String(cString: text)
        return phrase == "<unknown>" ? "" : phrase
    }

    /// RFC 9110 `token`: the characters allowed in a field name.
    static func isToken(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    /// A field value may not contain CR, LF or NUL, which would end or split the header.
    static func isFieldValue(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }
}
