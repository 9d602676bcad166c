import IteratedAmplification
import Synchronization
import Testing

struct VerificationTests {
    /// An assistant whose answer to a question improves each time it is asked: 1, 2, 3, ...
    private static func improvingAssistant() -> ClosureAssistant<Int, Int> {
        let calls = Mutex(0)
        return ClosureAssistant { _ in calls.withLock { $0 += 1; return $0 } }
    }

    @Test func reaskUntilAcceptedAndTraceMarksOnlyTheAcceptedAnswerVerified() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1, maximumAttempts: 5) { answer in answer >= 3 ? .accept : .reask }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.tracing = true
        configuration.memoization = true
        let engine = HCHEngine(supervisor: supervisor, assistant: Self.improvingAssistant(), configuration: configuration)
        let outcome = await engine.run(0)
        #expect(try outcome.result.get() == 3)
        let trace = try #require(outcome.trace)
        let children = trace.children(of: try #require(trace.root))
        #expect(children.map(\.answer) == [1, 2, 3])
        #expect(children.map(\.verified) == [false, false, true])
        let demonstrations = trace.demonstrations(scope: .everySupervisorNode)
        #expect(demonstrations.count == 1)
    }

    @Test func rejectionFailsWithThePathAndTheReason() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1) { _ in .reject(reason: "contradicts a fact") }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let engine = HCHEngine(supervisor: supervisor, assistant: Self.improvingAssistant(), configuration: configuration)
        let error = try #require(await #expect(throws: EngineError.self) { try await engine.answer(7) })
        #expect(error.code == .answerRejected)
        #expect(error.questionPath(as: Int.self) == [7, 8])
        #expect(error.message.contains("contradicts a fact"))
    }

    @Test func attemptsRunOutWithAnswerRejected() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1, maximumAttempts: 2) { _ in .reask }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let assistantCalls = Mutex(0)
        let assistant = ClosureAssistant<Int, Int> { question in
            assistantCalls.withLock { $0 += 1 }
            return question
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let error = try #require(await #expect(throws: EngineError.self) { try await engine.answer(1) })
        #expect(error.code == .answerRejected)
        #expect(assistantCalls.withLock { $0 } == 2)
    }
}
