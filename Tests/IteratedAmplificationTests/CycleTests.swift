import IteratedAmplification
import Testing

struct CycleTests {
    /// 1 asks 2, 2 asks 3, 3 asks 1 again.
    private static func cyclicSupervisor() -> ClosureSupervisor<Int, Int> {
        ClosureSupervisor { question, consultation in
            guard consultation.canConsult else { return -question }
            return try await consultation.ask(question % 3 + 1) + 1
        }
    }

    @Test func aQuestionRecurringOnItsPathFailsWithThatPath() async throws {
        var configuration = HCHConfiguration()
        configuration.tracing = true
        let engine = HCHEngine(supervisor: Self.cyclicSupervisor(), configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(1) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .cycleDetected)
        #expect(error.questionPath(as: Int.self) == [1, 2, 3, 1])
        #expect(outcome.trace?.nodes.count == 4)
        #expect(outcome.trace?.nodes.last?.error?.contains("cycleDetected") == true)
    }

    @Test func answerWithoutHelpLetsTheAskerOfTheRecurringQuestionAnswerAlone() async throws {
        var configuration = HCHConfiguration()
        configuration.cyclePolicy = .answerWithoutHelp
        configuration.tracing = true
        let engine = HCHEngine(supervisor: Self.cyclicSupervisor(), configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(1) }
        // 3 answers alone (-3); 2 adds one, 1 adds one.
        #expect(outcome.answer == -3 + 1 + 1)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.map(\.question) == [1, 2, 3, 1])
        #expect(trace.nodes.map(\.unaided) == [false, false, true, false])
        #expect(trace.nodes[3].answer == nil)
    }

    @Test func ignoringCyclesLeavesAFiniteDepthToEndTheRecursion() async throws {
        var configuration = HCHConfiguration()
        configuration.cyclePolicy = .ignore
        configuration.depth = 5
        let engine = HCHEngine(supervisor: Self.cyclicSupervisor(), configuration: configuration)
        let outcome = await engine.run(1)
        // Questions 1 2 3 1 2 3 down to remaining depth 0, where 3 answers alone.
        #expect(outcome.answer == -3 + 5)
        #expect(outcome.statistics.nodes == 6)
    }

    @Test func handingOnesOwnQuestionToTheAssistantIsNoCycle() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.askAssistant(question) + 1
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: indexAssistant())
        #expect(try await engine.answer(4) == 5)
    }

    @Test func aRepeatedQuestionOffThePathIsNoCycle() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            switch question {
            case 0: return try await consultation.ask([1, 2]).reduce(0, +)
            case 1, 2: return try await consultation.ask(7)
            default: return 7
            }
        }
        let engine = HCHEngine(supervisor: supervisor)
        #expect(try await engine.answer(0) == 14)
    }
}
