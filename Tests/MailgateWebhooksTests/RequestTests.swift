import Testing
@testable import MailgateWebhooks

@Suite struct RequestTests {
    func body(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func parsesACompleteCreateBody() throws {
        let new = try WebhookRequest.parseCreate(body("""
            {"url": "https://hooks.example.com/in", "description": "CI", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
             "filter": {"recipients": ["*@example.com", "support@x.test"]}, "enabled": false}
            """))
        #expect(new == NewSubscriber(url: "https://hooks.example.com/in", description: "CI",
                                     secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                     filter: try RecipientFilter(validating: ["*@example.com", "support@x.test"]),
                                     enabled: false))
    }

    @Test func createNeedsOnlyAURL() throws {
        #expect(try WebhookRequest.parseCreate(body(#"{"url":"http://x.test/"}"#)) == NewSubscriber(url: "http://x.test/"))
        #expect(try WebhookRequest.parseCreate(body(#"{"url":"http://x.test/","filter":{"recipients":[]}}"#)).filter == nil)
    }

    @Test func createCollectsEveryFieldError() {
        #expect(throws: WebhookError.invalid([
            FieldError(field: "colour", message: "is not a known field"),
            FieldError(field: "url", message: "scheme must be http or https"),
            FieldError(field: "secret", message: "must be a string, not a number"),
            FieldError(field: "filter.recipients", message: "must be an array of strings"),
            FieldError(field: "enabled", message: "must be true or false, not a number"),
        ])) {
            try WebhookRequest.parseCreate(body(#"{"url":"ftp://x","secret":5,"filter":{},"enabled":1,"colour":"red"}"#))
        }
        #expect(throws: WebhookError.invalid([FieldError(field: "url", message: "is required")])) {
            try WebhookRequest.parseCreate(body("{}"))
        }
    }

    @Test func malformedBodiesAre400() {
        #expect(throws: WebhookError.malformed("the body is not valid JSON")) { try WebhookRequest.parseCreate(body("{")) }
        #expect(throws: WebhookError.malformed("the body must be a JSON object")) { try WebhookRequest.parseCreate(body("[]")) }
        #expect(WebhookError.malformed("x").httpStatus == 400)
        #expect(WebhookError.invalid([]).httpStatus == 422)
    }

    @Test func patchDistinguishesAbsentFromNull() throws {
        #expect(try WebhookRequest.parsePatch(body("{}")) == SubscriberPatch())
        let removeFilter = try WebhookRequest.parsePatch(body(#"{"filter": null, "enabled": true}"#))
        #expect(removeFilter == SubscriberPatch(filter: .some(nil), enabled: true))
        let rotate = try WebhookRequest.parsePatch(body(#"{"rotate_secret": true}"#))
        #expect(rotate.secret == .generate)
        #expect(rotate.rotatesSecret)
        let set = try WebhookRequest.parsePatch(body(#"{"secret": "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}"#))
        #expect(set.secret == .set("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        #expect(throws: WebhookError.invalid([FieldError(field: "rotate_secret", message: "cannot be combined with secret")])) {
            try WebhookRequest.parsePatch(body(#"{"secret": "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "rotate_secret": true}"#))
        }
    }

    @Test func inlineContentIsAWholeSetting() throws {
        let full = try WebhookRequest.parseCreate(body(#"{"url":"http://x.test/","inline":{"raw":true,"attachments":false,"max_bytes":2048}}"#))
        #expect(full.inline == InlineContent(raw: true, attachments: false, maxBytes: 2048))
        // Missing members take their defaults; null is links only.
        #expect(try WebhookRequest.parsePatch(body(#"{"inline":{"attachments":true}}"#)).inline
                == InlineContent(raw: false, attachments: true, maxBytes: InlineContent.defaultMaxBytes))
        #expect(try WebhookRequest.parsePatch(body(#"{"inline":null}"#)).inline == .linksOnly)
        #expect(try WebhookRequest.parsePatch(body("{}")).inline == nil)
        for bad in [#"{"max_bytes":0}"#, #"{"max_bytes":1.5}"#, #"{"max_bytes":10485761}"#, #"{"max_bytes":"1"}"#] {
            #expect(throws: WebhookError.invalid([FieldError(field: "inline.max_bytes", message: "must be a whole number from 1 to 10485760")])) {
                try WebhookRequest.parsePatch(body(#"{"inline":\#(bad)}"#))
            }
        }
        #expect(throws: WebhookError.invalid([FieldError(field: "inline.colour", message: "is not a known field"),
                                              FieldError(field: "inline.raw", message: "must be true or false, not a string")])) {
            try WebhookRequest.parsePatch(body(#"{"inline":{"raw":"yes","colour":1}}"#))
        }
        #expect(throws: WebhookError.invalid([FieldError(field: "inline", message: "must be an object or null, not an array")])) {
            try WebhookRequest.parsePatch(body(#"{"inline":[]}"#))
        }
    }
}
