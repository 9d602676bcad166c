import IteratedAmplification
import Testing

struct ExhaustionPolicyTests {
    /// A binary tree of height 3 (15 nodes) under a budget of 7 nodes, supervisors answering -1 alone.
    @Test func answerWithoutHelpLetsARefusedNodeAnswerAlone() async throws {
        let tree = CompleteTree(branching: 2, height: 3)
        let configuration = tree.configuration {
            $0.budget.maximumNodes = 7
            $0.exhaustionPolicy = .answerWithoutHelp
            $0.tracing = true
            $0.maximumLiveTasks = 0  // one subquestion at a time: which nodes are refused is then fixed
        }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(unaidedAnswer: -1), assistant: indexAssistant(),
            configuration: configuration)
        let outcome = await engine.run(0)
        // In order: 0, 1, 3, leaves 7 and 8, then 4 and leaf 9; leaf 10 is refused, so 4 answers alone (-1).
        // Then 2 is refused: the root answers alone.
        #expect(outcome.answer == -1)
        #expect(outcome.statistics.nodes == 7)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.filter(\.unaided).map(\.question) == [0, 4])
        #expect(trace.nodes.filter { $0.error?.contains("nodeBudgetExhausted") == true }.map(\.question) == [10, 2])
    }

    @Test func failStopsTheRunWithTheBudgetThatRanOut() async throws {
        let tree = CompleteTree(branching: 2, height: 3)
        let configuration = tree.configuration {
            $0.budget.maximumNodes = 7
            $0.maximumLiveTasks = 0
        }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration)
        let error = try #require(await engine.run(0).engineError)
        #expect(error.code == .nodeBudgetExhausted)
        #expect(error.code.isBudgetExhaustion)
        #expect(error.questionPath(as: Int.self) == [0, 1, 4, 10])
    }

    @Test func aRefusedNodeThatAsksAnywayFails() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            // Ignores canConsult.
            try await consultation.askAll([question * 2 + 1, question * 2 + 2]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 2
        configuration.budget.maximumNodes = 2
        configuration.exhaustionPolicy = .answerWithoutHelp
        configuration.maximumLiveTasks = 0
        let outcome = await HCHEngine(supervisor: supervisor, assistant: indexAssistant(), configuration: configuration)
            .run(0)
        #expect(outcome.engineError?.code == .depthExhausted)
    }

    @Test func aRefusedNodeMayStillHandItsQuestionToTheAssistant() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard consultation.canConsult else { return try await consultation.askAssistant(question) * 100 }
            return try await consultation.askAll([question + 1, question + 2]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.budget.maximumAssistantCalls = 1
        configuration.exhaustionPolicy = .answerWithoutHelp
        configuration.maximumLiveTasks = 0
        let probe = ConcurrencyProbe()
        let outcome = await HCHEngine(
            supervisor: supervisor, assistant: indexAssistant(probe: probe), configuration: configuration
        ).run(5)
        // 6 is answered, 7 is refused; the root, refused, asks the assistant directly: the budget is spent too.
        #expect(outcome.engineError?.code == .assistantCallBudgetExhausted)
        #expect(probe.snapshot.started == 1)
    }

    /// An answer given without help, or built on one, is not kept for later runs that may have the budget to do better.
    @Test func answersGivenWithoutHelpStayOutOfTheSharedCache() async throws {
        let tree = CompleteTree(branching: 2, height: 3)
        let cache = InMemoryAnswerCache<Int, Int>()
        let starved = tree.configuration {
            $0.budget.maximumNodes = 7
            $0.exhaustionPolicy = .answerWithoutHelp
            $0.maximumLiveTasks = 0
        }
        let supervisor = tree.summingSupervisor(unaidedAnswer: -1)
        let first = await HCHEngine(
            supervisor: supervisor, assistant: indexAssistant(), configuration: starved, cache: cache
        ).run(0)
        #expect(first.answer == -1)
        // Kept: only nodes whose whole subtree had help (3 and its leaves 7, 8; leaf 9).
        #expect(cache.count == 4)
        let full = await HCHEngine(
            supervisor: supervisor, assistant: indexAssistant(), configuration: tree.configuration(), cache: cache
        ).run(0)
        #expect(full.answer == tree.leafIndexSum)
    }
}
