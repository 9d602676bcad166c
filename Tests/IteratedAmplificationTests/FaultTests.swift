import IteratedAmplification
import Synchronization
import Testing

struct FaultTests {
    @Test func anAssistantErrorCarriesTheQuestionPathAndItsCause() async throws {
        let tree = CompleteTree(branching: 3, height: 2)
        let failingLeaf = tree.children(of: 2)[1]
        let assistant = InstrumentedAssistant<Int, Int> { leaf in
            if leaf == failingLeaf { throw TestFailure("leaf") }
            return leaf
        }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: assistant, configuration: tree.configuration())
        let outcome = await engine.run(0)
        let error = try #require(outcome.engineError)
        #expect(error.code == .assistantFailed)
        #expect(error.questionPath(as: Int.self) == [0, 2, failingLeaf])
        #expect(error.questionPath(as: String.self) == nil)
        #expect((error.underlyingError as? TestFailure) == TestFailure("leaf"))
        #expect(error.description.contains("0 -> 2 -> \(failingLeaf)"))
    }

    @Test func aSupervisorErrorCarriesTheQuestionPath() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question == 12 { throw TestFailure("stuck") }
            guard question < 10 else { return question }
            return try await consultation.askAll([question * 10 + 1, question * 10 + 2]).reduce(0, +)
        }
        let outcome = await HCHEngine(supervisor: supervisor).run(1)
        let error = try #require(outcome.engineError)
        #expect(error.code == .supervisorFailed)
        #expect(error.questionPath(as: Int.self) == [1, 12])
        #expect((error.underlyingError as? TestFailure) == TestFailure("stuck"))
    }

    @Test func aFlakyAssistantIsRetriedWithBackoffUntilItAnswers() async throws {
        let calls = Mutex(0)
        let assistant = InstrumentedAssistant<Int, Int> { question in
            let call = calls.withLock { calls -> Int in
                calls += 1
                return calls
            }
            if call < 3 { throw TestFailure("flaky") }
            return question
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.tracing = true
        configuration.assistantRetries = RetryPolicy(maximumAttempts: 3, initialBackoff: .milliseconds(1))
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = await engine.run(1)
        #expect(outcome.answer == 2)
        #expect(calls.withLock { $0 } == 3)
        #expect(outcome.statistics.retries == 2)
        #expect(outcome.statistics.assistantCalls == 3)
        #expect(outcome.trace?.nodes.map(\.retries) == [0, 2])
    }

    @Test func retriesStopAfterTheLastAttempt() async throws {
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { _ in throw TestFailure("down") }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.assistantRetries = RetryPolicy(maximumAttempts: 4, initialBackoff: .microseconds(10))
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1)
        }
        let outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration).run(1)
        let error = try #require(outcome.engineError)
        #expect(error.code == .assistantFailed)
        #expect(error.message.contains("4 times"))
        #expect(error.questionPath(as: Int.self) == [1, 2])
        #expect(probe.snapshot.started == 4)
    }

    @Test func anErrorThePolicyCallsPermanentIsNotRetried() async throws {
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { _ in throw TestFailure("permanent") }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.assistantRetries = RetryPolicy(maximumAttempts: 5, initialBackoff: .microseconds(10)) { error in
            (error as? TestFailure)?.reason != "permanent"
        }
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1)
        }
        let outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration).run(1)
        #expect(outcome.engineError?.code == .assistantFailed)
        #expect(probe.snapshot.started == 1)
    }

    @Test func aSupervisorThatThrowsIsRetried() async throws {
        let attempts = Mutex(0)
        let supervisor = ClosureSupervisor<Int, Int> { question, _ in
            let attempt = attempts.withLock { attempts -> Int in
                attempts += 1
                return attempts
            }
            if attempt == 1 { throw TestFailure("first try") }
            return question * 2
        }
        var configuration = HCHConfiguration()
        configuration.supervisorRetries = RetryPolicy(maximumAttempts: 2, initialBackoff: .microseconds(10))
        let outcome = await HCHEngine(supervisor: supervisor, configuration: configuration).run(21)
        #expect(outcome.answer == 42)
        #expect(outcome.statistics.supervisorCalls == 2)
        #expect(outcome.statistics.retries == 1)
    }

    @Test func backoffGrowsExponentiallyUpToItsCeilingWithJitter() {
        let policy = RetryPolicy(
            maximumAttempts: 10, initialBackoff: .milliseconds(100), multiplier: 3, maximumBackoff: .seconds(2),
            jitter: 0.5
        )
        // Without jitter's random part (random = 0.5 places a wait at its centre).
        #expect(isClose(policy.backoff(beforeRetry: 1, random: 0.5), .milliseconds(100)))
        #expect(isClose(policy.backoff(beforeRetry: 2, random: 0.5), .milliseconds(300)))
        #expect(isClose(policy.backoff(beforeRetry: 3, random: 0.5), .milliseconds(900)))
        #expect(isClose(policy.backoff(beforeRetry: 4, random: 0.5), .seconds(2)))
        #expect(isClose(policy.backoff(beforeRetry: 60, random: 0.5), .seconds(2)))
        // Jitter spreads a wait by half of it either way.
        #expect(isClose(policy.backoff(beforeRetry: 2, random: 0), .milliseconds(150)))
        #expect(isClose(policy.backoff(beforeRetry: 2, random: 0.75), .milliseconds(375)))
    }

    @Test func aHungAssistantCallTimesOutWithItsPath() async throws {
        let cancelled = ArrivalSignal()
        let assistant = InstrumentedAssistant<Int, Int> { _ in
            do { try await Gate().wait() } catch {
                cancelled.arrive()
                throw error
            }
            return 0
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.assistantTimeout = .milliseconds(10)
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog(.seconds(120)) { await engine.run(1) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .timedOut)
        #expect(error.questionPath(as: Int.self) == [1, 2])
        #expect(cancelled.count == 1)
    }

    @Test func aTimedOutCallIsRetried() async throws {
        let calls = Mutex(0)
        let assistant = InstrumentedAssistant<Int, Int> { question in
            let call = calls.withLock { calls -> Int in
                calls += 1
                return calls
            }
            if call == 1 { try await Gate().wait() }
            return question
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.assistantTimeout = .milliseconds(10)
        configuration.assistantRetries = RetryPolicy(maximumAttempts: 2, initialBackoff: .microseconds(10))
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog(.seconds(120)) { await engine.run(1) }
        #expect(outcome.answer == 2)
        #expect(outcome.statistics.retries == 1)
    }

    @Test func aHungSupervisorTimesOutAndIsRetried() async throws {
        let attempts = Mutex(0)
        let supervisor = ClosureSupervisor<Int, Int> { question, _ in
            let attempt = attempts.withLock { attempts -> Int in
                attempts += 1
                return attempts
            }
            if attempt == 1 { try await Gate().wait() }
            return question
        }
        var configuration = HCHConfiguration()
        configuration.supervisorTimeout = .milliseconds(10)
        configuration.supervisorRetries = RetryPolicy(maximumAttempts: 2, initialBackoff: .microseconds(10))
        let engine = HCHEngine(supervisor: supervisor, configuration: configuration)
        let outcome = try await withWatchdog(.seconds(120)) { await engine.run(3) }
        #expect(outcome.answer == 3)
        #expect(outcome.statistics.supervisorCalls == 2)
    }

    /// A subquestion's timeout is its own failure: the supervisors above it are not retried for it.
    @Test func aSubquestionTimeoutDoesNotRetryTheSupervisorsAboveIt() async throws {
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { _ in
            try await Gate().wait()
            return 0
        }
        var configuration = HCHConfiguration()
        configuration.depth = 2
        configuration.assistantTimeout = .milliseconds(5)
        configuration.supervisorRetries = RetryPolicy(maximumAttempts: 3, initialBackoff: .microseconds(10))
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog(.seconds(120)) { await engine.run(1) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .timedOut)
        #expect(error.questionPath(as: Int.self) == [1, 2, 3])
        #expect(outcome.statistics.supervisorCalls == 2)
        #expect(probe.snapshot.started == 1)
    }
}

/// Whether two durations agree to a nanosecond (backoffs are computed in floating point).
func isClose(_ actual: Duration, _ expected: Duration) -> Bool {
    abs((actual - expected) / .nanoseconds(1)) < 1
}
