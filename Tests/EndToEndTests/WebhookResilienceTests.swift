import Foundation
import Testing

/// At least once, and isolation (WEBHOOKS.md, Guarantees), through the real binary: a receiver
/// that is down, a receiver that hangs, and a gateway killed with deliveries in flight.
@Suite("Webhook resilience end to end", .serialized)
struct WebhookResilienceTests {
    /// Mail acknowledged while the receiver is down reaches it once it is back.
    @Test func downReceiverGetsEverythingWhenBack() throws {
        let secret = hookSecret()
        let receiver = try HookReceiver(routes: ["/hook": .init(mode: "ok", secret: secret)])
        receiver.stop()
        let gateway = try GatewayProcess(hookEnvironment(url: receiver.url("/hook"), secret: secret))
        let api = HookAPI(gateway)
        let sent = try hookSend(gateway, count: 10)
        let webhookID = try api.defaultWebhookID()
        // Every delivery has failed at least once: the receiver really was unreachable.
        var deliveries: [[String: Any]] = []
        #expect(try hookWait {
            deliveries = try api.deliveries(webhookID: webhookID)
            return deliveries.count == 10 && deliveries.allSatisfy {
                ($0["attempts"] as? Int ?? 0) >= 1 && $0["last_error"] as? String != nil && $0["status"] as? String == "pending"
            }
        }, "\(deliveries)")

        try receiver.start()
        #expect(hookWait { receiver.messageIDs("/hook") == Set(sent.map(\.id)) })
        #expect(try hookWait {
            try api.deliveries(webhookID: webhookID).allSatisfy { $0["status"] as? String == "succeeded" }
        })
        #expect(receiver.records("/hook").allSatisfy { $0.verified && $0.inFlight <= 4 })
    }

    /// A subscriber that never answers holds at most its own slots; a healthy subscriber keeps
    /// receiving meanwhile. Were the hung requests in its way, 20 messages would need 20 request
    /// timeouts (80 s), far past the wait.
    @Test func hungReceiverDoesNotDelayAHealthyOne() throws {
        let hungSecret = hookSecret(), okSecret = hookSecret()
        let receiver = try HookReceiver(routes: ["/hang": .init(mode: "hang", secret: hungSecret),
                                                 "/ok": .init(mode: "ok", secret: okSecret)])
        defer { receiver.release() }
        let gateway = try GatewayProcess(hookEnvironment(url: receiver.url("/hang"), secret: hungSecret,
                                                         ["MAILGATE_WEBHOOK_TIMEOUT": "4s"]))
        let api = HookAPI(gateway)
        _ = try api.createWebhook(url: receiver.url("/ok"), secret: okSecret)
        let sent = try hookSend(gateway, count: 20)
        #expect(hookWait(30) { receiver.messageIDs("/ok") == Set(sent.map(\.id)) })

        let hung = receiver.records("/hang")
        #expect(!hung.isEmpty)
        // The per-subscriber cap (MAILGATE_WEBHOOK_CONCURRENCY, 4) held while it hung.
        #expect(hung.allSatisfy { $0.inFlight <= 4 }, "\(hung.map(\.inFlight))")
        let hungDeliveries = try api.deliveries(webhookID: try api.defaultWebhookID())
        #expect(hungDeliveries.count == 20)
        #expect(hungDeliveries.allSatisfy { $0["status"] as? String == "pending" })
        #expect(receiver.records("/ok").allSatisfy { $0.verified })
        // The healthy one may claim ahead, but never has more than 4 requests out either.
        #expect(receiver.records("/ok").allSatisfy { $0.inFlight <= 4 })
    }

    /// kill -9 with four deliveries in flight (the receiver holds them) and the rest pending; a
    /// restart on the same database delivers every message at least once, the interrupted ones
    /// again under the same webhook-id.
    @Test func killNineLosesNoDelivery() throws {
        let secret = hookSecret()
        let receiver = try HookReceiver(routes: ["/hook": .init(mode: "hang", secret: secret)])
        let environment = hookEnvironment(url: receiver.url("/hook"), secret: secret)
        let first = try GatewayProcess(environment)
        let sent = try hookSend(first, count: 30)
        #expect(hookWait { receiver.records("/hook").count == 4 })
        let interrupted = Set(receiver.records("/hook").map(\.webhookID))
        first.kill9()
        #expect(receiver.records("/hook").count == 4)

        try receiver.setRoutes(["/hook": .init(mode: "ok", secret: secret)])
        receiver.release()
        // A new process on the same directory (and so the same database), with a fresh log.
        let second = try GatewayProcess(environment, directory: first.directory)
        #expect(second.databasePath == first.databasePath)
        #expect(hookWait { receiver.messageIDs("/hook") == Set(sent.map(\.id)) })

        let records = receiver.records("/hook")
        #expect(records.allSatisfy { $0.verified })
        // One webhook-id per message, whatever the number of attempts.
        var idsByMessage: [String: Set<String>] = [:]
        for r in records { idsByMessage[r.messageID ?? "", default: []].insert(r.webhookID) }
        #expect(idsByMessage.count == 30 && idsByMessage.values.allSatisfy { $0.count == 1 })
        // The four held when the process died were sent again after the restart.
        for id in interrupted { #expect(records.filter { $0.webhookID == id }.count >= 2, "\(id)") }

        let api = HookAPI(second)
        var deliveries: [[String: Any]] = []
        #expect(try hookWait {
            deliveries = try api.deliveries(webhookID: try api.defaultWebhookID())
            return deliveries.count == 30 && deliveries.allSatisfy { $0["status"] as? String == "succeeded" }
        }, "\(deliveries)")
        for d in deliveries where interrupted.contains("msg_" + (d["id"] as? String ?? "")) {
            let detail = try api.object("/api/v1/deliveries/\(d["id"] as? String ?? "")")
            let history = detail["attempt_history"] as? [[String: Any]] ?? []
            #expect(history.count == 2)
            #expect((history.first?["error"] as? String)?.contains("interrupted") == true, "\(history)")
            #expect(history.last?["status_code"] as? Int == 200)
        }
    }
}
