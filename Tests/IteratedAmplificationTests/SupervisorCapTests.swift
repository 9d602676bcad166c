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
            let answers = try await consultation.askAll(tree.children(of: question))
            return probe.measureSync { answers.reduce(0, +) }
        }
        let engine = HCHEngine(
            supervisor: supervisor, configuration: tree.configuration { $0.maximumConcurrentSupervisorCalls = 1 })
        let outcome = try await withWatchdog { await engine.run(0) }
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.statistics.supervisorCalls == tree.nodeCount)
        #expect(probe.snapshot.maximum == 1)
    }

    /// Sequential dependent asks, askEach, verification and direct assistant questions, all under one slot.
    @Test func aCapOfOneServesEveryKindOfAsk() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard (consultation.remainingDepth.levels ?? 2) > 1 else {
                return try await consultation.askAssistant(question)
            }
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
            return try await consultation.askAll([question - 1, question - 2, question - 1]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.maximumConcurrentSupervisorCalls = 1
        configuration.memoization = true
        // Fewer nodes than the 13 distinct questions, which the memo computes once each at any level.
        configuration.budget.maximumNodes = 8
        configuration.exhaustionPolicy = .answerWithoutHelp
        let engine = HCHEngine(supervisor: supervisor, configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(12) }
        #expect(outcome.answer != nil)
        #expect(outcome.statistics.nodes == 8)
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
        let engine = HCHEngine(
            supervisor: supervisor, configuration: tree.configuration { $0.maximumConcurrentSupervisorCalls = 1 })
        for _ in 0..<5 {
            let outcome = try await withWatchdog { await engine.run(0) }
            #expect(outcome.answer == tree.leafIndexSum)
        }
    }

    /// Supervisor 1 asks 10 and 11 at once. 10 returns while supervisor 2 holds the only slot, so 1 queues to take
    /// its slot back; meanwhile it asks 11. When 2 lets go, 1 must not sit on the slot that 11 needs.
    @Test func aSupervisorWaitingToResumeDoesNotKeepTheSlotFromItsOtherAsk() async throws {
        let firstAskStarted = ArrivalSignal()
        let twoHoldsTheSlot = ArrivalSignal()
        let secondAsk = Gate()
        let twoMayFinish = Gate()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            switch question {
            case 0:
                return try await consultation.askAll([1, 3]).reduce(0, +)
            case 1:
                firstAskStarted.arrive()
                async let first = consultation.askAssistant(10)
                async let second: Int = {
                    try await secondAsk.wait()
                    return try await consultation.ask(11)
                }()
                return try await first + second
            case 3:
                _ = try await consultation.askAssistant(30)  // waits until 1 has asked 10
                return try await consultation.ask(2)
            case 2:
                twoHoldsTheSlot.arrive()
                try await twoMayFinish.wait()
                return 2
            default:
                return question
            }
        }
        let assistant = InstrumentedAssistant<Int, Int> { question in
            if question == 30 { try await firstAskStarted.wait(forCount: 1) }
            if question == 10 { try await twoHoldsTheSlot.wait(forCount: 1) }
            return question
        }
        var configuration = HCHConfiguration()
        configuration.maximumConcurrentSupervisorCalls = 1
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        let answer = try await withWatchdog(.seconds(120)) {
            try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask {
                    defer { continuation.finish() }
                    return try await engine.run(0, events: continuation).result.get()
                }
                group.addTask {
                    var tenID: Int?
                    for await event in stream {
                        switch event {
                        case .nodeStarted(let id, _, 10, _, _): tenID = id
                        case .nodeFinished(let id, _, _) where id == tenID: secondAsk.open()  // 1 now queues
                        case .nodeStarted(_, _, 11, _, _): twoMayFinish.open()
                        default: break
                        }
                    }
                    return nil
                }
                var answer: Int?
                for try await result in group { answer = answer ?? result }
                return answer
            }
        }
        #expect(answer == 10 + 11 + 2)
    }
}
