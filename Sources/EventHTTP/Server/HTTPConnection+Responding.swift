import CHTTPParser
import CLibEvent
import InternalAPISecurity

extension HTTPConnection {
    /// Hands the parsed request to the responder. The responder may send its response before returning.
    func dispatchRequest() {
        requestSequence &+= 1
        let request = HTTPRequest(
            method: method,
            target: target,
            headers: headers,
            body: body,
            remoteAddress: remoteAddress,
            isTLS: isTLS,
            keepAlive: requestKeepAlive,
            clientCertificateSubject: isTLS ? clientCertificateSubject : nil
        )
        body = []
        let writer = HTTPResponseWriter(
            connections: table, connectionID: id, requestSequence: requestSequence, logger: logger)
        server.responder.respond(to: request, writer: writer)
    }

    /// Writes the responder's response to request number `requestSequence`, if that request is
    /// still the one waiting.
    func deliver(_ response: HTTPResponse, requestSequence sequence: UInt64) {
        guard phase == .responding, sequence == requestSequence else {
            logger.debug(
                "dropping a response for a request that is no longer waiting",
                metadata: ["connection": "\(id)", "status": "\(response.status)"])
            return
        }
        let keepAlive = requestKeepAlive && !peerClosed && !server.draining
        write(response, keepAlive: keepAlive, isHeadRequest: method == "HEAD")
    }

    /// Sends a JSON error and closes the connection after the write.
    func reject(status: Int, message: String) {
        switch phase {
        case .writing, .lingering, .closed:
            return
        case .awaitingFirstRequest, .idle, .head, .body, .responding:
            break
        }
        logger.debug(
            "rejecting a request",
            metadata: ["client": remoteAddress, "status": "\(status)", "reason": message])
        write(HTTPResponse.jsonError(status: status, message: message), keepAlive: false, isHeadRequest: false)
    }

    private func write(_ response: HTTPResponse, keepAlive: Bool, isHeadRequest: Bool) {
        guard let bufferEvent else { return }
        let bytes = ResponseEncoder.encode(
            response, keepAlive: keepAlive, isHeadRequest: isHeadRequest, date: table.httpDate(), logger: logger)

        phase = .writing
        closeAfterWrite = !keepAlive
        startTimer(limits.writeTimeout)
        let status = bytes.withUnsafeBytes { buffer in
            bufferevent_write(bufferEvent, buffer.baseAddress, buffer.count)
        }
        if status != 0 {
            logger.warning("cannot queue a response for writing; closing", metadata: ["client": remoteAddress])
            close()
        }
    }
}
