import IteratedAmplification
import Synchronization
import Testing

struct BudgetTests {
    /// 1,000 leaves answered in parallel against a budget of 137 calls: exactly 137 calls start, never 138.
    @Test(arguments: [nil, 5] as [Int?])
    func assistantCallBudgetIsExactUnderConcurrency(cap: Int?) async throws {
        let tree = CompleteTree(branching: 10, height: 3)
        for _ in 0..<3 {
            let probe = ConcurrencyProbe()
            let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
                await Task.yield()
                return leaf
            }
            let configuration = tree.configuration {
                $0.budget.maximumAssistantCalls = 137
                $0.exhaustionPolicy = .answerWithoutHelp
                $0.maximumConcurrentAssistantCalls = cap
                $0.tracing = true
            }
            let engine = HCHEngine(
                supervisor: tree.summingSupervisor(unaidedAnswer: -1), assistant: assistant,
                configuration: configuration
            )
            let outcome = try await withWatchdog { await engine.run(0) }
            #expect(outcome.answer != nil)
            #expect(probe.snapshot.started == 137)
            #expect(outcome.statistics.assistantCalls == 137)
            let trace = try #require(outcome.trace)
            #expect(trace.nodes.contains { $0.unaided })
        }
    }

    /// Under the failing policy the run stops; the calls that started are exactly the calls it counted.
    @Test func assistantCallBudgetUnderFailPolicyCountsOnlyCallsThatStarted() async throws {
        let tree = CompleteTree(branching: 10, height: 3)
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
            await Task.yield()
            return leaf
        }
        let configuration = tree.configuration {
            $0.budget.maximumAssistantCalls = 137
            $0.maximumConcurrentAssistantCalls = 4
        }
        let engine = HCHEngine(supervisor: tree.summingSupervisor(), assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(0) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .assistantCallBudgetExhausted)
        #expect(error.code.isBudgetExhaustion)
        #expect(error.questionPath(as: Int.self)?.count == 4)
        #expect(probe.snapshot.started <= 137)
        #expect(outcome.statistics.assistantCalls == probe.snapshot.started)
    }

    @Test func nodeBudgetIsExactUnderConcurrency() async throws {
        let tree = CompleteTree(branching: 10, height: 3)
        let probe = ConcurrencyProbe()
        let configuration = tree.configuration { $0.budget.maximumNodes = 500 }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(probe: probe), configuration: configuration
        )
        let outcome = try await withWatchdog { await engine.run(0) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .nodeBudgetExhausted)
        #expect(outcome.statistics.nodes == 500)
        #expect(outcome.statistics.supervisorCalls + probe.snapshot.started <= 500)
    }

    @Test func nodeBudgetLargeEnoughForTheTreeIsNotAnError() async throws {
        let tree = CompleteTree(branching: 4, height: 3)
        let configuration = tree.configuration { $0.budget.maximumNodes = tree.nodeCount }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration)
        let outcome = await engine.run(0)
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.statistics.nodes == tree.nodeCount)
    }

    /// With one call at a time, each call's cost is known before the next may start: exactly ten calls of cost 1.
    @Test func noCallStartsOnceTheCostBudgetIsSpent() async throws {
        let tree = CompleteTree(branching: 10, height: 2)
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
            CostMeter.report(1)
            // Let other leaves reach the cap and wait there meanwhile.
            for _ in 0..<20 { await Task.yield() }
            return leaf
        }
        let configuration = tree.configuration {
            $0.budget.maximumCost = 10
            $0.maximumConcurrentAssistantCalls = 1
        }
        let engine = HCHEngine(supervisor: tree.summingSupervisor(), assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(0) }
        #expect(outcome.engineError?.code == .costBudgetExhausted)
        #expect(probe.snapshot.started == 10)
        #expect(outcome.statistics.cost == 10)
    }

    @Test func deadlineEndsARunWhoseCallsHang() async throws {
        let assistant = InstrumentedAssistant<Int, Int> { _ in
            try await Gate().wait()
            return 0
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.budget.deadline = .milliseconds(20)
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.askAll([question + 1, question + 2]).reduce(0, +)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog(.seconds(120)) { await engine.run(7) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .deadlineExceeded)
        #expect(error.questionPath(as: Int.self) == [7])
    }

    @Test func budgetOfZeroNodesFailsAtTheRootWhateverThePolicy() async throws {
        for policy in [ExhaustionPolicy.fail, .answerWithoutHelp] {
            let tree = CompleteTree(branching: 2, height: 2)
            let configuration = tree.configuration {
                $0.budget.maximumNodes = 0
                $0.exhaustionPolicy = policy
            }
            let engine = HCHEngine(
                supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration)
            let outcome = await engine.run(0)
            #expect(outcome.engineError?.code == .nodeBudgetExhausted)
            #expect(outcome.engineError?.questionPath(as: Int.self) == [0])
        }
    }

    @Test func consultationReportsWhatRemainsOfTheBudget() async throws {
        let seen = Mutex<BudgetStatus?>(nil)
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            _ = try await consultation.askAssistant(question)
            seen.withLock { $0 = consultation.budget }
            return 0
        }
        var configuration = HCHConfiguration()
        configuration.budget = Budget(
            maximumNodes: 10, maximumAssistantCalls: 5, maximumCost: 3, deadline: .seconds(600))
        let assistant = InstrumentedAssistant<Int, Int> { question in
            CostMeter.report(1.25)
            return question
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        _ = try await engine.answer(1)
        let status = try #require(seen.withLock { $0 })
        #expect(status.remainingNodes == 8)  // the root and one assistant node
        #expect(status.remainingAssistantCalls == 4)
        #expect(status.remainingCost == 1.75)
        let remainingTime = try #require(status.remainingTime)
        #expect(remainingTime > .zero && remainingTime <= .seconds(600))
    }

    @Test func unlimitedBudgetReportsNoLimits() async throws {
        let seen = Mutex<BudgetStatus?>(nil)
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            seen.withLock { $0 = consultation.budget }
            return 0
        }
        _ = try await HCHEngine(supervisor: supervisor).answer(0)
        #expect(seen.withLock { $0 } == BudgetStatus())
    }
}
