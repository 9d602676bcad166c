import IteratedAmplification
import Testing

struct SupervisorCapTests {
    /// One human for a binary tree twelve levels deep (8,191 supervisor nodes): a node frees its slot while it
    /// waits, so the tree completes.
    @Test func aCapOfOneDoesNotDeadlockADeepTree() async throws {
        let tree = CompleteTree(branching: 2, height: 12)
        let probe = ConcurrencyProbe()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard consultation.canConsult else { return probe.measureSync { question } }
            let answers = try await consultation.ask(tree.children(of: question))
            return probe.measureSync { answers.reduce(0, +) }
        }
        let engine = HCHEngine(supervisor: supervisor, configuration: tree.configuration { $0.maximumConcurrentSupervisorCalls = 1 })
        let outcome = try await withWatchdog { await engine.run(0) }
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.statistics.supervisorCalls == tree.nodeCount)
        #expect(probe.snapshot.maximum == 1)
    }

    /// Sequential dependent asks, askEach, verification and direct assistant questions, all under one slot.
    @Test func aCapOfOneServesEveryKindOfAsk() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard consultation.remainingDepth > 1 else { return try await consultation.askAssistant(question) }
            let first = try await consultation.ask(question * 2)
            let each = try await consultation.askEach([question * 2 + 1, question * 2 + 2])
            let checked = try await consultation.ask(first % 7) { _ in .accept }
            return first + each.reduce(0) { $0 + ((try? $1.get()) ?? 0) } + checked
        }
        func run(capped: Bool) async throws -> Int? {
            var configuration = HCHConfiguration()
            configuration.depth = 6
            configuration.cyclePolicy = .ignore
            configuration.maximumConcurrentSupervisorCalls = capped ? 1 : nil
            configuration.maximumConcurrentAssistantCalls = capped ? 1 : nil
            let engine = HCHEngine(supervisor: supervisor, assistant: indexAssistant(), configuration: configuration)
            return try await withWatchdog { await engine.run(1).answer }
        }
        let uncapped = try await run(capped: false)
        #expect(uncapped != nil)
        #expect(try await run(capped: true) == uncapped)
    }

    @Test func aCapOfOneWithMemoizedDuplicatesAndRefusedHelpCompletes() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard consultation.canConsult, question > 1 else { return 1 }
            return try await consultation.ask([question - 1, question - 2, question - 1]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.maximumConcurrentSupervisorCalls = 1
        configuration.memoization = true
        configuration.budget.maximumNodes = 40
        configuration.exhaustionPolicy = .answerWithoutHelp
        let engine = HCHEngine(supervisor: supervisor, configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(12) }
        #expect(outcome.answer != nil)
        #expect(outcome.statistics.nodes == 40)
    }

    /// A supervisor that runs two asks at once (`async let`) under a cap of one still completes.
    @Test func concurrentAsksOfOneSupervisorUnderACapOfOneComplete() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard consultation.canConsult else { return question }
            async let left = consultation.ask(question * 2 + 1)
            async let right = consultation.ask(question * 2 + 2)
            return try await left + right
        }
        let tree = CompleteTree(branching: 2, height: 8)
        let engine = HCHEngine(supervisor: supervisor, configuration: tree.configuration { $0.maximumConcurrentSupervisorCalls = 1 })
        for _ in 0..<5 {
            let outcome = try await withWatchdog { await engine.run(0) }
            #expect(outcome.answer == tree.leafIndexSum)
        }
    }
}
