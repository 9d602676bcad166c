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

    /// n asks n - 1 down to 0; 0 asks `recurring`, or answers when it is nil.
    private static func chainSupervisor(recurring: Int?) -> ClosureSupervisor<Int, Int> {
        ClosureSupervisor { question, consultation in
            if question > 0 { return try await consultation.ask(question - 1) + 1 }
            guard let recurring else { return 0 }
            return try await consultation.ask(recurring)
        }
    }

    @Test func aQuestionRecurringBelowHundredsOfAncestorsIsFound() async throws {
        // 300 ancestors set every bit of the path's hash filter: the check must walk the path to find the cycle.
        let engine = HCHEngine(supervisor: Self.chainSupervisor(recurring: 150))
        let outcome = try await withWatchdog { await engine.run(299) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .cycleDetected)
        #expect(error.questionPath(as: Int.self) == Array((0...299).reversed()) + [150])
    }

    @Test func aTallPathOfDistinctQuestionsIsNoCycle() async throws {
        // With every bit of the path's hash filter set, each check walks the path and must find nothing.
        let engine = HCHEngine(supervisor: Self.chainSupervisor(recurring: nil))
        let outcome = try await withWatchdog { await engine.run(299) }
        #expect(outcome.answer == 299)
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
            case 0: return try await consultation.askAll([1, 2]).reduce(0, +)
            case 1, 2: return try await consultation.ask(7)
            default: return 7
            }
        }
        let engine = HCHEngine(supervisor: supervisor)
        #expect(try await engine.answer(0) == 14)
    }
}
