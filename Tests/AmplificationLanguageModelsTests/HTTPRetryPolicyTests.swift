import Testing

@testable import AmplificationLanguageModels

struct HTTPRetryPolicyTests {
    @Test func retriesTimeoutsRateLimitsAndServerErrorsOnly() {
        #expect([408, 429, 500, 502, 503, 599].allSatisfy { HTTPRetryPolicy.isRetryable(status: $0) })
        #expect(![200, 400, 401, 403, 404, 422].contains { HTTPRetryPolicy.isRetryable(status: $0) })
    }

    @Test func backsOffExponentiallyWithinHalfAndAllOfTheCap() {
        let policy = HTTPRetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(1_000))
        var generator = SplitMix64(state: 42)
        for attempt in 1...8 {
            let ceiling = min(Duration.milliseconds(100 * (1 << (attempt - 1))), .milliseconds(1_000))
            for _ in 0..<50 {
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, using: &generator)
                #expect(delay.map { $0 >= ceiling / 2 && $0 <= ceiling } == true, "attempt \(attempt)")
            }
        }
    }

    @Test func jitterSpreadsTheDelays() {
        let policy = HTTPRetryPolicy()
        var generator = SplitMix64(state: 7)
        let delays = Set((0..<20).compactMap { _ in policy.delay(afterAttempt: 3, retryAfter: nil, using: &generator) })
        #expect(delays.count > 10)
    }

    @Test func honoursRetryAfterWithAtMostTenPercentJitter() {
        let policy = HTTPRetryPolicy()
        var generator = SplitMix64(state: 1)
        for _ in 0..<50 {
            let delay = policy.delay(afterAttempt: 1, retryAfter: .seconds(5), using: &generator)
            #expect(delay.map { $0 >= .seconds(5) && $0 <= .milliseconds(5_500) } == true)
        }
    }

    @Test func givesUpWhenRetryAfterExceedsTheMaximum() {
        let policy = HTTPRetryPolicy(maximumRetryAfter: .seconds(30))
        var generator = SplitMix64(state: 1)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(31), using: &generator) == nil)
    }
}
