import Foundation
import MailgateCore
import Testing

/// Webhooks through the real binary (WEBHOOKS.md): mail sent with smtplib reaches a Python
/// receiver that verifies every request with the `standardwebhooks` package.
@Suite("Webhook delivery end to end", .serialized)
struct WebhookDeliveryTests {
    /// MAILGATE_WEBHOOK_URL/SECRET declare the subscriber; the POST is signed, its `data` is the
    /// API's message JSON with absolute links (MAILGATE_PUBLIC_URL) that work, and its
    /// `webhook-id` is `msg_` + the delivery id the API lists for that message.
    @Test func payloadIsSignedAndMatchesTheAPI() throws {
        let secret = hookSecret(), wrongSecret = hookSecret()
        let receiver = try HookReceiver(routes: ["/hook": .init(mode: "ok", secret: secret),
                                                 "/wrong": .init(mode: "ok", secret: wrongSecret)])
        let httpPort = try hookFreePort()
        let publicURL = "http://127.0.0.1:\(httpPort)"
        let gateway = try GatewayProcess(hookEnvironment(url: receiver.url("/hook"), secret: secret, [
            "MAILGATE_HTTP_ADDR": "127.0.0.1:\(httpPort)", "MAILGATE_PUBLIC_URL": publicURL + "/"]))
        let api = HookAPI(gateway)
        // A control: signed with another secret than the receiver checks, so it must not verify.
        _ = try api.createWebhook(url: receiver.url("/wrong"), secret: hookSecret())

        let sent = try hookSend(gateway, count: 2, attach: true)
        let ids = Set(sent.map(\.id))
        #expect(hookWait { receiver.messageIDs("/hook") == ids && receiver.messageIDs("/wrong") == ids })

        let webhookID = try api.defaultWebhookID()
        var deliveries: [[String: Any]] = []
        #expect(try hookWait {
            deliveries = try api.deliveries(webhookID: webhookID)
            return deliveries.count == 2 && deliveries.allSatisfy { $0["status"] as? String == "succeeded" }
        }, "\(deliveries)")
        let deliveryOfMessage = Dictionary(deliveries.compactMap { d in
            (d["message_id"] as? String).map { ($0, d["id"] as? String ?? "") }
        }) { a, _ in a }

        let records = receiver.records("/hook")
        #expect(records.count == 2)
        for record in records {
            #expect(record.verified, "standardwebhooks rejected it: \(record.verifyError ?? "")")
            #expect(record.contentType == "application/json")
            #expect(record.userAgent.hasPrefix("Mailgate/"))
            let payload = try #require(record.payload)
            #expect(payload["type"] as? String == "message.received")
            #expect((payload["timestamp"] as? String)?.hasSuffix("Z") == true)
            let data = try #require(record.data)
            let id = try #require(record.messageID)
            #expect(record.webhookID == "msg_" + (deliveryOfMessage[id] ?? "?"))

            // data == GET /api/v1/messages/{id}, once the API's relative links are made absolute.
            var expected = try api.object("/api/v1/messages/\(id)")
            let relativeRaw = try #require(expected["raw_url"] as? String)
            #expect(relativeRaw == "/api/v1/messages/\(id)/raw")
            expected["raw_url"] = publicURL + relativeRaw
            expected["attachments"] = (expected["attachments"] as? [[String: Any]] ?? []).map { a in
                var a = a
                a["url"] = publicURL + (a["url"] as? String ?? "")
                return a
            }
            #expect(NSDictionary(dictionary: data).isEqual(to: expected), "payload data differs from the API:\n\(data)\n\(expected)")

            // The absolute links work against the live API.
            let rawURL = try #require(data["raw_url"] as? String)
            #expect(rawURL == "\(publicURL)/api/v1/messages/\(id)/raw")
            let raw = try api.request("GET", rawURL)
            #expect(raw.status == 200)
            #expect(raw.body.count == data["size"] as? Int)
            let attachments = data["attachments"] as? [[String: Any]] ?? []
            #expect(attachments.map { $0["content_type"] as? String ?? "" }.sorted() == ["application/pdf", "image/png"])
            for a in attachments {
                let url = try #require(a["url"] as? String)
                #expect(url.hasPrefix("\(publicURL)/api/v1/messages/\(id)/attachments/"))
                let got = try api.request("GET", url)
                #expect(got.status == 200)
                let digest = Digest.hex(Digest.sha256([UInt8](got.body)))
                #expect(digest == a["sha256"] as? String)
                if a["content_type"] as? String == "application/pdf" {
                    #expect(digest == sent.first { $0.id == id }?.attachmentSHA256)
                }
            }
        }
        let wrong = receiver.records("/wrong")
        #expect(wrong.count == 2)
        #expect(wrong.allSatisfy { !$0.verified && $0.verifyError != nil })
    }

    /// A receiver that fails twice then succeeds sees one `webhook-id` three times; the delivery
    /// detail lists the three attempts with their status codes.
    @Test func retriesKeepTheWebhookID() throws {
        let secret = hookSecret()
        let receiver = try HookReceiver(routes: ["/flaky": .init(mode: "fail2", secret: secret)])
        let gateway = try GatewayProcess(hookEnvironment(url: receiver.url("/flaky"), secret: secret, [
            "MAILGATE_WEBHOOK_RETRY_SCHEDULE": "1s,1s,1s"]))
        let api = HookAPI(gateway)
        let sent = try hookSend(gateway)
        let webhookID = try api.defaultWebhookID()
        var detail: [String: Any] = [:]
        #expect(try hookWait {
            let deliveries = try api.deliveries(webhookID: webhookID)
            guard let id = deliveries.first?["id"] as? String else { return false }
            detail = try api.object("/api/v1/deliveries/\(id)")
            return detail["status"] as? String == "succeeded"
        }, "\(detail)")
        let records = receiver.records("/flaky")
        #expect(records.map(\.status) == [500, 500, 200])
        #expect(Set(records.map(\.webhookID)) == ["msg_" + (detail["id"] as? String ?? "?")])
        #expect(records.allSatisfy { $0.verified })
        #expect(records.allSatisfy { $0.messageID == sent[0].id })
        #expect(detail["attempts"] as? Int == 3)
        #expect(detail["last_status_code"] as? Int == 200)
        let history = detail["attempt_history"] as? [[String: Any]] ?? []
        #expect(history.map { $0["status_code"] as? Int ?? 0 } == [500, 500, 200])
        #expect(history.allSatisfy { $0["duration_ms"] as? Int != nil })
    }

    /// The outbound address policy (MAILGATE_WEBHOOK_ALLOW / _DENY), checked on the address
    /// curl connects to: a receiver outside the allow list, or inside the deny list, gets no
    /// request and the attempt says why; one allowed (and not denied) gets its POST, directly
    /// even with a proxy in the environment.
    @Test(arguments: [
        (["MAILGATE_WEBHOOK_DENY": "127.0.0.0/8"], false),
        (["MAILGATE_WEBHOOK_ALLOW": "10.0.0.0/8, fd00::/8"], false),
        // A proxy in the environment would be the address checked: with a policy it is not used.
        (["MAILGATE_WEBHOOK_ALLOW": "127.0.0.1", "MAILGATE_WEBHOOK_DENY": "10.0.0.0/8, ::ffff:192.0.2.0/120",
          "http_proxy": "http://192.0.2.1:9", "HTTP_PROXY": "http://192.0.2.1:9"], true),
    ])
    func outboundAddressPolicy(_ settings: [String: String], delivered: Bool) throws {
        let secret = hookSecret()
        let receiver = try HookReceiver(routes: ["/ok": .init(mode: "ok", secret: secret)])
        let gateway = try GatewayProcess(hookEnvironment(url: receiver.url("/ok"), secret: secret, settings))
        let api = HookAPI(gateway)
        _ = try hookSend(gateway)
        let webhookID = try api.defaultWebhookID()
        var detail: [String: Any] = [:]
        #expect(try hookWait {
            guard let id = try api.deliveries(webhookID: webhookID).first?["id"] as? String else { return false }
            detail = try api.object("/api/v1/deliveries/\(id)")
            return (detail["attempts"] as? Int ?? 0) >= 1
        }, "\(detail)")
        if delivered {
            #expect(try hookWait { receiver.records("/ok").count == 1 })
            #expect(receiver.records("/ok").allSatisfy { $0.verified })
        } else {
            let error = detail["last_error"] as? String ?? ""
            #expect(error.contains("127.0.0.1 is not permitted by the outbound address policy"), "\(detail)")
            #expect(receiver.records("/ok").isEmpty)
        }
    }

    /// Per-subscriber inline content: `raw_base64` and each attachment's `content_base64` when
    /// within the subscriber's `max_bytes`, equal to what GET .../raw and the attachment URLs
    /// serve; links only by default. The setting shows in the subscriber and can be PATCHed.
    @Test func subscribersInlineRawAndAttachmentsUpToTheirThreshold() throws {
        let secret = hookSecret()
        let receiver = try HookReceiver(routes: ["/links": .init(mode: "ok", secret: secret),
                                                 "/small": .init(mode: "ok", secret: secret),
                                                 "/all": .init(mode: "ok", secret: secret)])
        let gateway = try GatewayProcess(hookEnvironment(url: nil, secret: nil))
        let api = HookAPI(gateway)
        _ = try api.createWebhook(url: receiver.url("/links"), secret: secret)
        let small = try api.request("POST", "/api/v1/webhooks", json: [
            "url": receiver.url("/small"), "secret": secret, "inline": ["raw": true, "attachments": true, "max_bytes": 1000]])
        #expect(small.status == 201)
        let smallInline = small.object?["inline"] as? [String: Any]
        #expect(smallInline?["raw"] as? Bool == true && smallInline?["max_bytes"] as? Int == 1000, "\(small.object ?? [:])")
        let all = try #require(try api.createWebhook(url: receiver.url("/all"), secret: secret)["id"] as? String)
        let patched = try api.request("PATCH", "/api/v1/webhooks/\(all)", json: ["inline": ["raw": true, "attachments": true]])
        #expect((patched.object?["inline"] as? [String: Any])?["max_bytes"] as? Int == 1 << 20, "\(patched.object ?? [:])")
        let bad = try api.request("PATCH", "/api/v1/webhooks/\(all)", json: ["inline": ["max_bytes": 0, "colour": 1]])
        #expect(bad.status == 422)

        let sent = try hookSend(gateway, attach: true)
        #expect(hookWait { ["/links", "/small", "/all"].allSatisfy { receiver.records($0).count == 1 } })
        let raw = try api.request("GET", "/api/v1/messages/\(sent[0].id)/raw").body
        func data(_ path: String) -> [String: Any] { receiver.records(path).first?.data ?? [:] }
        func attachments(_ path: String) -> [[String: Any]] { data(path)["attachments"] as? [[String: Any]] ?? [] }
        func decoded(_ value: Any?) -> Data? { (value as? String).flatMap { Data(base64Encoded: $0) } }

        #expect(data("/links")["raw_base64"] == nil)
        #expect(attachments("/links").count == 2 && attachments("/links").allSatisfy { $0["content_base64"] == nil })

        #expect(data("/all")["raw_base64"] != nil && decoded(data("/all")["raw_base64"]) == raw)
        #expect(attachments("/all").count == 2)
        for attachment in attachments("/all") {
            let served = try api.request("GET", attachment["url"] as? String ?? "?").body
            #expect(decoded(attachment["content_base64"]) == served, "\(attachment["filename"] ?? "?")")
        }

        // 1000 bytes: the 72-byte image is inlined; the 2 KiB PDF and the raw message are not.
        #expect(raw.count > 1000 && data("/small")["raw_base64"] == nil)
        let bySize = attachments("/small").map { (($0["size"] as? Int ?? 0) <= 1000, $0["content_base64"] != nil) }
        #expect(bySize.count == 2 && bySize.allSatisfy { $0.0 == $0.1 } && bySize.contains { $0.0 }, "\(bySize)")
        #expect(receiver.records("/small").allSatisfy { $0.verified })
    }

    /// MAILGATE_WEBHOOK_INLINE gives the default subscriber the same inline content, without an
    /// API call.
    @Test func theDefaultSubscriberInlinesWhatItsSettingsSay() throws {
        let secret = hookSecret()
        let receiver = try HookReceiver(routes: ["/in": .init(mode: "ok", secret: secret)])
        let gateway = try GatewayProcess(hookEnvironment(url: receiver.url("/in"), secret: secret, [
            "MAILGATE_WEBHOOK_INLINE": "raw", "MAILGATE_WEBHOOK_INLINE_MAX_BYTES": "64K"]))
        let api = HookAPI(gateway)
        let sent = try hookSend(gateway, attach: true)
        #expect(hookWait { receiver.records("/in").count == 1 })
        let data = receiver.records("/in").first?.data ?? [:]
        let raw = try api.request("GET", "/api/v1/messages/\(sent[0].id)/raw").body
        #expect((data["raw_base64"] as? String).flatMap { Data(base64Encoded: $0) } == raw)
        #expect((data["attachments"] as? [[String: Any]] ?? []).allSatisfy { $0["content_base64"] == nil })
        let subscriber = try api.object("/api/v1/webhooks/\(try api.defaultWebhookID())")
        #expect((subscriber["inline"] as? [String: Any])?["max_bytes"] as? Int == 65536, "\(subscriber)")
    }

    /// 410 Gone disables the subscriber and cancels its pending deliveries; later mail makes none.
    @Test func goneDisablesTheSubscriber() throws {
        let secret = hookSecret()
        // Held until released, then 410: the other deliveries are pending behind it meanwhile.
        let receiver = try HookReceiver(routes: ["/gone": .init(mode: "hang", secret: secret, status: 410)])
        let gateway = try GatewayProcess(hookEnvironment(url: nil, secret: nil, ["MAILGATE_WEBHOOK_CONCURRENCY": "1"]))
        let api = HookAPI(gateway)
        let webhookID = try #require(try api.createWebhook(url: receiver.url("/gone"), secret: secret)["id"] as? String)
        let sent = try hookSend(gateway, count: 3)
        #expect(hookWait { receiver.records("/gone").count == 1 })
        #expect(try api.deliveries(webhookID: webhookID).count == 3)
        receiver.release()

        var subscriber: [String: Any] = [:]
        #expect(try hookWait {
            subscriber = try api.object("/api/v1/webhooks/\(webhookID)")
            return subscriber["enabled"] as? Bool == false
        }, "\(subscriber)")
        #expect(subscriber["disabled_reason"] as? String != nil)
        var statuses: [String: String] = [:]
        #expect(try hookWait {
            let deliveries = try api.deliveries(webhookID: webhookID)
            statuses = Dictionary(uniqueKeysWithValues: deliveries.map {
                ($0["message_id"] as? String ?? "", $0["status"] as? String ?? "")
            })
            return statuses.values.sorted() == ["cancelled", "cancelled", "failed"]
        }, "\(statuses)")
        let first = try #require(receiver.records("/gone").first?.messageID)
        #expect(statuses[first] == "failed")
        #expect(Set(statuses.keys) == Set(sent.map(\.id)))

        _ = try hookSend(gateway, tag: "after")
        #expect(try api.deliveries(webhookID: webhookID).count == 3)
        #expect(receiver.records("/gone").count == 1)
    }

    /// A message for a@x.test reaches only the subscribers whose filter matches it; the outbox
    /// rows (written with the message) say so, and so do the POSTs.
    @Test func filtersChooseTheSubscribers() throws {
        let secrets = (0..<4).map { _ in hookSecret() }
        let paths = ["/wild", "/exact", "/other", "/miss"]
        let patterns = [["*@x.test"], ["a@x.test"], ["*@other.test"], ["b@x.test"]]
        var routes: [String: HookReceiver.Route] = [:]
        for (p, s) in zip(paths, secrets) { routes[p] = .init(mode: "ok", secret: s) }
        let receiver = try HookReceiver(routes: routes)
        let gateway = try GatewayProcess(hookEnvironment(url: nil, secret: nil))
        let api = HookAPI(gateway)
        var webhookIDs: [String] = []
        for i in 0..<4 {
            let created = try api.createWebhook(url: receiver.url(paths[i]), secret: secrets[i], recipients: patterns[i])
            #expect((created["filter"] as? [String: Any])?["recipients"] as? [String] == patterns[i])
            webhookIDs.append(try #require(created["id"] as? String))
        }
        let forA = try hookSend(gateway, rcpt: ["a@x.test"], tag: "a")[0].id
        let forOther = try hookSend(gateway, rcpt: ["c@other.test"], tag: "other")[0].id
        #expect(hookWait {
            receiver.messageIDs("/wild") == [forA] && receiver.messageIDs("/exact") == [forA]
                && receiver.messageIDs("/other") == [forOther]
        })
        let expected: [[String]] = [[forA], [forA], [forOther], []]
        for (webhookID, want) in zip(webhookIDs, expected) {
            let got = try api.deliveries(webhookID: webhookID).compactMap { $0["message_id"] as? String }
            #expect(got == want, "\(webhookID)")
        }
        #expect(receiver.records("/miss").isEmpty)
        #expect(receiver.records.allSatisfy { $0.verified })
        // Without MAILGATE_PUBLIC_URL the payload data is exactly the API's message JSON.
        let data = try #require(receiver.records("/exact").first?.data)
        #expect(NSDictionary(dictionary: data).isEqual(to: try api.object("/api/v1/messages/\(forA)")))
    }
}
