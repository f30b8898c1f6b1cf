import Testing
@testable import MailgateHTTP

@Suite("JSON errors, query values, ETags")
struct APIHelperTests {
    @Test func errorShape() {
        let response = APIError.response(status: 404, message: "message 01J \"x\" does not exist")
        #expect(response.status == 404)
        #expect(response.headers["content-type"] == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"error":{"code":"not_found","message":"message 01J \"x\" does not exist"}}"#)
    }

    @Test(arguments: [(400, "bad_request"), (401, "unauthorized"), (404, "not_found"), (405, "method_not_allowed"),
                      (408, "request_timeout"), (409, "conflict"), (413, "payload_too_large"), (414, "uri_too_long"),
                      (415, "unsupported_media_type"), (422, "validation_failed"), (431, "header_fields_too_large"),
                      (500, "internal_error"), (501, "not_implemented"), (503, "unavailable"), (505, "http_version_not_supported"),
                      (418, "bad_request"), (502, "internal_error")])
    func statusCodes(status: Int, code: String) {
        #expect(APIErrorCode(status: status).rawValue == code)
        #expect(APIError.response(status: status, message: "m").status == status)
    }

    @Test func methodNotAllowedAndUnauthorized() {
        let notAllowed = APIError.methodNotAllowed(method: "PUT", allow: ["GET", "HEAD"])
        #expect(notAllowed.status == 405)
        #expect(notAllowed.headers["Allow"] == "GET, HEAD")
        let unauthorized = APIError.unauthorized()
        #expect(unauthorized.status == 401)
        #expect(unauthorized.headers["WWW-Authenticate"] == #"Bearer realm="mailgate""#)
        let wrongToken = APIError.unauthorized(tokenPresented: true)
        #expect(wrongToken.headers["WWW-Authenticate"] == #"Bearer realm="mailgate", error="invalid_token""#)
    }

    @Test func unavailableSaysWhenToRetryAndMessagesAreBounded() {
        let busy = APIError.response(status: 503, message: "busy")
        #expect(busy.headers["Retry-After"] == "1")
        let long = APIError.response(status: 404, message: String(repeating: "é", count: 5000))
        let text = String(decoding: long.body, as: UTF8.self)
        #expect(text.unicodeScalars.filter { $0 == "é" }.count == APIError.maxMessageLength - 1)
        #expect(text.hasSuffix("…\"}}"))
    }

    @Test func integers() {
        #expect(QueryValue.integer("50", in: 1...500) == 50)
        #expect(QueryValue.integer("500", in: 1...500) == 500)
        #expect(QueryValue.integer("-3", in: -5...5) == -3)
        for bad in ["0", "501", "", "-", "+5", " 5", "5 ", "1e2", "0x10", "99999999999999999999", "٣"] {
            #expect(QueryValue.integer(bad, in: 1...500) == nil, "\(bad)")
        }
    }

    @Test func timestamps() {
        let noon: Int64 = 1_795_867_200_000  // 2026-11-28T12:00:00Z
        #expect(QueryValue.timestampMilliseconds("2026-11-28T12:00:00Z") == noon)
        #expect(QueryValue.timestampMilliseconds("2026-11-28T12:00:00.123Z") == noon + 123)
        #expect(QueryValue.timestampMilliseconds("2026-11-28t12:00:00.1z") == noon + 100)
        #expect(QueryValue.timestampMilliseconds("2026-11-28 12:00:00.123456Z") == noon + 123)
        #expect(QueryValue.timestampMilliseconds("2026-11-28T13:30:00+01:30") == noon)
        #expect(QueryValue.timestampMilliseconds("2026-11-28T10:00:00-02:00") == noon)
        #expect(QueryValue.timestampMilliseconds("2026-11-28") == noon - 12 * 3_600_000)
        #expect(QueryValue.timestampMilliseconds("2024-02-29T00:00:00Z") == 1_709_164_800_000)
        for bad in ["", "2026-11-28T12:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-28T24:00:00Z",
                    "2026-11-28T12:60:00Z", "2026-11-28T12:00:00.Z", "2026-11-28T12:00:00+0100", "2026-11-28X12:00:00Z",
                    "26-11-28T12:00:00Z", "2026-11-28T12:00:00Zjunk", "1732795200000", "2026-11-28T12:00:00+24:00"] {
            #expect(QueryValue.timestampMilliseconds(bad) == nil, "\(bad)")
        }
    }

    @Test func strongETags() {
        #expect(ETag.strong("01JDX4Q6W9Z7ZK3B2B7T1N5G3M") == "\"01JDX4Q6W9Z7ZK3B2B7T1N5G3M\"")
        #expect(ETag.strong("01J/raw") == "\"01J/raw\"")
        let hashed = ETag.strong("has \"quote\" and space")
        #expect(hashed.utf8.count == 34 && hashed.hasPrefix("\"") && hashed.hasSuffix("\""))
        #expect(hashed == ETag.strong("has \"quote\" and space"))
        #expect(ETag.strong("") != "\"\"")
    }

    @Test func ifNoneMatch() {
        let tag = "\"abc\""
        #expect(ETag.ifNoneMatch(["\"abc\""], matches: tag))
        #expect(ETag.ifNoneMatch(["*"], matches: tag))
        #expect(ETag.ifNoneMatch([" * "], matches: tag))
        #expect(ETag.ifNoneMatch(["W/\"abc\""], matches: tag))  // weak comparison
        #expect(ETag.ifNoneMatch(["\"x\", W/\"y\",\"abc\""], matches: tag))
        #expect(ETag.ifNoneMatch(["\"x\"", "\"abc\""], matches: tag))
        #expect(ETag.ifNoneMatch(["\"a,b\", \"abc\""], matches: tag))  // comma inside an opaque-tag
        #expect(ETag.ifNoneMatch(["\"abc\""], matches: "W/\"abc\""))
        #expect(!ETag.ifNoneMatch(["\"abcd\""], matches: tag))
        #expect(!ETag.ifNoneMatch(["abc"], matches: tag))
        #expect(!ETag.ifNoneMatch(["w/\"abc\""], matches: tag))  // W is case-sensitive
        #expect(!ETag.ifNoneMatch(["\"x\" \"abc\""], matches: tag))  // malformed list
        #expect(!ETag.ifNoneMatch([], matches: tag))
        #expect(!ETag.ifNoneMatch(["\"unterminated"], matches: tag))
    }

    @Test func notModifiedResponse() throws {
        let request = HTTPRequest(method: "GET", target: "/m", path: "/m", headers: ["Host": "x", "If-None-Match": "\"e1\""])
        let response = try #require(ETag.notModified(request, etag: "\"e1\""))
        #expect(response.status == 304)
        #expect(response.headers["ETag"] == "\"e1\"")
        #expect(ETag.notModified(request, etag: "\"e2\"") == nil)
        #expect(ETag.notModified(HTTPRequest(method: "GET", target: "/", path: "/"), etag: "\"e1\"") == nil)
    }

    @Test func headersLookup() {
        var headers: HTTPHeaders = ["A": "1", "b": "2", "a": "3"]
        #expect(headers["a"] == "1")
        #expect(headers.values("A") == ["1", "3"])
        headers.replaceOrAdd(name: "A", value: "4")
        #expect(headers.fields.map(\.name) == ["b", "A"])
        #expect(headers.values("a") == ["4"])
        headers.remove(name: "B")
        #expect(headers.count == 1)
        #expect(!headers.contains("b"))
    }
}
