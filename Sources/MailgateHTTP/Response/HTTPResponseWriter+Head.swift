extension HTTPResponseWriter {
    /// A response head: measured first so the output is allocated once, then written.
    struct Head {
        let status: Int
        let reason: String
        let headers: HTTPHeaders
        let framing: BodyFraming
        let connection: String?
        let date: String
        let bodyless: Bool

        init(status: Int, headers: HTTPHeaders, framing: BodyFraming, keepAlive: Bool, date: String, isHTTP10: Bool) {
            // A status code is three digits (RFC 9110 §15); anything else is our bug → 500.
            let status = (100...999).contains(status) ? status : 500
            self.status = status
            reason = HTTPStatus.reasonPhrase(status)
            self.headers = headers
            self.framing = framing
            self.date = date
            bodyless = HTTPStatus.isBodyless(status)
            let persistent = keepAlive && (framing != .closeDelimited || bodyless)
            // HTTP/1.0 clients close unless told otherwise (RFC 9112 Appendix C.2.2).
            connection = persistent ? (isHTTP10 ? "keep-alive" : nil) : "close"
        }

        /// Field lines handlers may not set: the writer owns framing and the date.
        static func isWriterOwned(_ name: String) -> Bool {
            HTTPSyntax.equalsIgnoringCase(name, "Content-Length") || HTTPSyntax.equalsIgnoringCase(name, "Transfer-Encoding")
                || HTTPSyntax.equalsIgnoringCase(name, "Connection") || HTTPSyntax.equalsIgnoringCase(name, "Date")
        }

        /// A name that is not a token would corrupt the head; such a field is dropped.
        static func isWritable(_ name: String) -> Bool {
            !name.isEmpty && name.utf8.allSatisfy(HTTPSyntax.isTokenChar) && !isWriterOwned(name)
        }

        var size: Int {
            var n = 9 + 3 + 1 + reason.utf8.count + 2  // "HTTP/1.1 " code SP reason CRLF
            n += 6 + date.utf8.count + 2  // "Date: " ... CRLF
            for field in headers.fields where Self.isWritable(field.name) {
                n += field.name.utf8.count + 2 + field.value.utf8.count + 2
            }
            if !bodyless {
                switch framing {
                case .contentLength(let length): n += 16 + ASCII.decimalCount(length) + 2
                case .chunked: n += 28
                case .closeDelimited: break
                }
            }
            if let connection { n += 12 + connection.utf8.count + 2 }
            return n + 2
        }

        func write(into out: inout [UInt8]) {
            out.append(contentsOf: "HTTP/1.1 ".utf8)
            ASCII.appendDecimal(status, to: &out)
            out.append(HTTPSyntax.sp)
            out.append(contentsOf: reason.utf8)
            crlf(&out)
            line("Date", date, &out)
            for field in headers.fields where Self.isWritable(field.name) {
                line(field.name, field.value, &out)
            }
            if !bodyless {
                switch framing {
                case .contentLength(let length):
                    out.append(contentsOf: "Content-Length: ".utf8)
                    ASCII.appendDecimal(length, to: &out)
                    crlf(&out)
                case .chunked: line("Transfer-Encoding", "chunked", &out)
                case .closeDelimited: break
                }
            }
            if let connection { line("Connection", connection, &out) }
            crlf(&out)
        }

        private func crlf(_ out: inout [UInt8]) {
            out.append(HTTPSyntax.cr)
            out.append(HTTPSyntax.lf)
        }

        /// Writes `name: value CRLF`. Control characters in the value (a CR or LF from a stored
        /// filename, say) become spaces, so no input can split the head (RFC 9110 §5.5).
        private func line(_ name: String, _ value: String, _ out: inout [UInt8]) {
            out.append(contentsOf: name.utf8)
            out.append(HTTPSyntax.colon)
            out.append(HTTPSyntax.sp)
            for c in value.utf8 { out.append(HTTPSyntax.isFieldValueChar(c) ? c : HTTPSyntax.sp) }
            crlf(&out)
        }
    }
}
