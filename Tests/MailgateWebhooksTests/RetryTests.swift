import MailgateCore
import Testing
@testable import MailgateWebhooks

/// A deterministic generator (SplitMix64) so jitter tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RetryScheduleTests {
    @Test func parsesUnits() throws {
        #expect(try RetrySchedule(parsing: "5s,5m,30m,2h").delays == [5_000, 300_000, 1_800_000, 7_200_000])
        #expect(try RetrySchedule(parsing: " 250ms , 1d ").delays == [250, 86_400_000])
        #expect(try RetrySchedule(parsing: "0s").delays == [0])
    }

    @Test func theDefaultIsTheStandardWebhooksSchedule() {
        #expect(RetrySchedule.standard.description == "5s,5m,30m,2h,5h,10h,14h,20h,1d")
    }

    @Test(arguments: [
        ("", "the retry schedule is empty"),
        ("5x", "retry schedule entry 1: '5x' has an unknown unit 'x' (use ms, s, m, h or d)"),
        ("5s,,5m", "retry schedule entry 2: empty delay"),
        ("5s,5", "retry schedule entry 2: '5' needs a unit (ms, s, m, h or d)"),
        ("soon", "retry schedule entry 1: 'soon' does not start with a number"),
        ("31d", "retry schedule entry 1: '31d' is longer than 30 days"),
        ("-5s", "retry schedule entry 1: '-5s' does not start with a number"),
    ])
    func rejectsBadSchedulesWithClearErrors(text: String, message: String) {
        #expect(throws: DelayParser.Error(message: message)) { try RetrySchedule(parsing: text) }
    }

    @Test func jitterStaysWithinTwentyPercent() {
        let schedule = RetrySchedule(delays: [1000, 300_000])
        var rng = SplitMix64(state: 42)
        var seen = Set<Int64>()
        for _ in 0..<2000 {
            let d = schedule.delay(afterFailedAttempts: 1, jitter: 0.2, using: &rng) ?? -1
            #expect(d >= 800 && d <= 1200)
            seen.insert(d)
            let e = schedule.delay(afterFailedAttempts: 2, jitter: 0.2, using: &rng) ?? -1
            #expect(e >= 240_000 && e <= 360_000)
        }
        // Jitter actually spreads retries (not all at one value).
        #expect(seen.count > 100)
        #expect(seen.min() ?? 0 < 850 && seen.max() ?? 0 > 1150)
    }

    @Test func exhaustedScheduleGivesUp() {
        var rng = SplitMix64(state: 1)
        let schedule = RetrySchedule(delays: [1000, 2000])
        #expect(schedule.delay(afterFailedAttempts: 2, jitter: 0, using: &rng) == 2000)
        #expect(schedule.delay(afterFailedAttempts: 3, jitter: 0, using: &rng) == nil)
    }
}

@Suite struct RetryAfterTests {
    // 2026-11-28T12:00:00Z
    let now: Int64 = 1_795_867_200_000

    @Test func seconds() {
        #expect(RetryAfter.milliseconds("120", nowMilliseconds: now) == 120_000)
        #expect(RetryAfter.milliseconds(" 0 ", nowMilliseconds: now) == 0)
    }

    @Test func httpDateInAllThreeForms() {
        // RFC 9110 §5.6.7: IMF-fixdate, RFC 850 and asctime.
        #expect(RetryAfter.milliseconds("Sat, 28 Nov 2026 12:01:30 GMT", nowMilliseconds: now) == 90_000)
        #expect(RetryAfter.milliseconds("Saturday, 28-Nov-26 12:01:30 GMT", nowMilliseconds: now) == 90_000)
        #expect(RetryAfter.milliseconds("Sat Nov 28 12:01:30 2026", nowMilliseconds: now) == 90_000)
        #expect(RetryAfter.milliseconds("Sun Nov  8 12:00:00 2026", nowMilliseconds: now) == 0)
    }

    @Test func aDateInThePastMeansNow() {
        #expect(RetryAfter.milliseconds("Sun, 06 Nov 1994 08:49:37 GMT", nowMilliseconds: now) == 0)
    }

    @Test(arguments: ["", "soon", "12a", "-5", "1.5", "Sat, 28 Nov 2026 12:01:30 PST",
                      "Sat, 28 Foo 2026 12:01:30 GMT", "Sat, 28 Nov 2026 25:01:30 GMT", "Sat, 28 Nov 2026"])
    func garbageIsIgnored(value: String) {
        #expect(RetryAfter.milliseconds(value, nowMilliseconds: now) == nil)
    }
}

@Suite struct StatusHandlingTests {
    let now: Int64 = 1_795_867_200_000
    let policy = RetryPolicy(schedule: RetrySchedule(delays: [5_000, 300_000]), jitter: 0, retryAfterCap: 600_000)

    func decide(_ response: AttemptResponse, attempts: Int = 1) -> DeliveryDecision {
        var rng = SplitMix64(state: 7)
        return policy.decide(response, attempts: attempts, now: now, using: &rng)
    }

    @Test func table() {
        #expect(decide(.http(status: 200, retryAfter: nil)) == .succeeded)
        #expect(decide(.http(status: 204, retryAfter: nil)) == .succeeded)
        #expect(decide(.http(status: 301, retryAfter: nil)) == .retry(at: now + 5_000))
        #expect(decide(.http(status: 410, retryAfter: nil)) == .gone)
        #expect(decide(.http(status: 429, retryAfter: "120")) == .retry(at: now + 120_000))
        #expect(decide(.http(status: 503, retryAfter: "Sat, 28 Nov 2026 12:01:30 GMT")) == .retry(at: now + 90_000))
        #expect(decide(.http(status: 429, retryAfter: "86400")) == .retry(at: now + 600_000))
        #expect(decide(.http(status: 429, retryAfter: "whenever")) == .retry(at: now + 5_000))
        #expect(decide(.http(status: 500, retryAfter: "120")) == .retry(at: now + 5_000))
        #expect(decide(.http(status: 404, retryAfter: nil), attempts: 2) == .retry(at: now + 300_000))
        #expect(decide(.transport(code: 28, message: "Operation timed out")) == .retry(at: now + 5_000))
        #expect(decide(.transport(code: 7, message: "Connection refused")) == .retry(at: now + 5_000))
        #expect(decide(.http(status: 500, retryAfter: nil), attempts: 3) == .failed)
        #expect(decide(.http(status: 429, retryAfter: "1"), attempts: 3) == .failed)
        #expect(decide(.http(status: 200, retryAfter: nil), attempts: 3) == .succeeded)
    }

    @Test func errorTexts() {
        #expect(RetryPolicy.errorText(.http(status: 200, retryAfter: nil)) == nil)
        #expect(RetryPolicy.errorText(.http(status: 302, retryAfter: nil)) == "HTTP 302 (redirects are not followed)")
        #expect(RetryPolicy.errorText(.http(status: 503, retryAfter: nil)) == "HTTP 503")
        #expect(RetryPolicy.errorText(.transport(code: 7, message: "Connection refused")) == "Connection refused")
    }
}
