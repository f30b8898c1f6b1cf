import MailgateCore
import Testing
@testable import MailgateWebhooks

@Suite struct SigningTests {
    @Test func matchesThePublishedStandardWebhooksVector() throws {
        let key = try #require(WebhookSecret.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = WebhookSignature.sign(key: key, webhookID: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                              timestamp: 1614265330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func webhookIDIsTheDeliveryIDWithPrefix() {
        #expect(WebhookSignature.webhookID(deliveryID: "01JDX4Q6W9Z7ZK3B2B7T1N5G3M") == "msg_01JDX4Q6W9Z7ZK3B2B7T1N5G3M")
    }

    @Test func rotationSignsWithBothSecretsSpaceSeparatedFor24Hours() throws {
        let old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let new = WebhookSecret.generate()
        let rotatedAt: Int64 = 1_700_000_000_000
        let subscriber = Subscriber(id: "s", url: "http://x", description: "", secret: new, previousSecret: old,
                                    previousSecretExpiresAt: rotatedAt + WebhookSecret.rotationOverlapMilliseconds,
                                    filter: nil, enabled: true, disabledReason: nil, isDefault: false,
                                    createdAt: 0, updatedAt: rotatedAt)
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let during = subscriber.signingSecrets(now: rotatedAt + 3_600_000)
        #expect(during == [new, old])
        let keys = try during.map { try #require(WebhookSecret.key($0)) }
        let header = WebhookSignature.header(keys: keys, webhookID: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                             timestamp: 1614265330, body: body)
        let parts = header.split(separator: " ").map(String.init)
        #expect(parts.count == 2)
        #expect(parts[1] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(parts[0] == WebhookSignature.sign(key: keys[0], webhookID: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                                  timestamp: 1614265330, body: body))
        #expect(subscriber.signingSecrets(now: rotatedAt + WebhookSecret.rotationOverlapMilliseconds) == [new])
    }

    @Test func generatedSecretsAreWhsecWith24RandomBytes() throws {
        let a = WebhookSecret.generate(), b = WebhookSecret.generate()
        #expect(a.hasPrefix("whsec_"))
        #expect(a.count == 6 + 32)
        #expect(try #require(WebhookSecret.key(a)).count == 24)
        #expect(a != b)
    }

    @Test func operatorSecretsAreValidatedAndNormalized() throws {
        #expect(try WebhookSecret.normalize("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        // 25 bytes: unpadded input is stored padded; text after the padding is refused.
        let padded = "whsec_" + Base64.encode([UInt8](repeating: 7, count: 25))
        #expect(padded.hasSuffix("=="))
        #expect(try WebhookSecret.normalize(String(padded.dropLast(2))) == padded)
        #expect(throws: WebhookError.self) { try WebhookSecret.normalize(padded + "*") }
        #expect(throws: WebhookError.self) { try WebhookSecret.normalize(String(padded.dropLast(3)) + "B==") }
        #expect(throws: WebhookError.field("secret", "must be \"whsec_\" followed by base64")) {
            try WebhookSecret.normalize("whsec_not base64!")
        }
        #expect(throws: WebhookError.field("secret", "must decode to 24 to 64 bytes, not 3")) {
            try WebhookSecret.normalize("whsec_YWJj")
        }
    }
}

@Suite struct PayloadTests {
    @Test func messageReceivedWrapsTheMessageJSONVerbatim() {
        let message = Array(#"{"id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3M","subject":"Hé \"quoted\"","attachments":[]}"#.utf8)
        let body = WebhookPayload.messageReceived(eventTime: 1_795_867_200_123, message: message)
        #expect(String(decoding: body, as: UTF8.self) ==
            #"{"type":"message.received","timestamp":"2026-11-28T12:00:00.123Z","data":{"id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3M","subject":"Hé \"quoted\"","attachments":[]}}"#)
    }

    @Test func testEventHasASmallDataObject() {
        let body = WebhookPayload.test(eventTime: 0, webhookID: "01JDX4Q6W9Z7ZK3B2B7T1N5G3M")
        #expect(String(decoding: body, as: UTF8.self) ==
            #"{"type":"webhook.test","timestamp":"1970-01-01T00:00:00.000Z","data":{"webhook_id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3M","message":"This is a test event from Mailgate."}}"#)
    }
}
