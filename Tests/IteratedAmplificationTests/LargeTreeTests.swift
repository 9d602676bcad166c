import IteratedAmplification
import Testing

struct LargeTreeTests {
    /// 111,111 nodes with tracing on: the recursion, the trace builder and the trace's walks cope.
    @Test func aHundredThousandNodeTreeCompletesWithItsTrace() async throws {
        let tree = CompleteTree(branching: 10, height: 5)
        let probe = ConcurrencyProbe()
        let configuration = tree.configuration {
            $0.tracing = true
            $0.cyclePolicy = .ignore
        }
        let engine = HCHEngine(supervisor: tree.summingSupervisor(), assistant: indexAssistant(probe: probe), configuration: configuration)
        let outcome = try await withWatchdog(.seconds(300)) { await engine.run(0) }
        #expect(tree.nodeCount == 111_111)
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.statistics.nodes == tree.nodeCount)
        #expect(probe.snapshot.started == tree.leafCount)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.count == tree.nodeCount)
        #expect(trace.nodes.filter { $0.role == .assistant }.count == tree.leafCount)
        #expect(trace.demonstrations(scope: .everySupervisorNode).count == tree.nodeCount - tree.leafCount)
    }

    /// A chain 20,000 questions deep: nothing recurses on the thread's stack.
    @Test func aTwentyThousandDeepChainCompletesWithItsTrace() async throws {
        let length = 20_000
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            question == 0 ? 0 : try await consultation.ask(question - 1) + 1
        }
        var configuration = HCHConfiguration()
        configuration.tracing = true
        configuration.cyclePolicy = .ignore
        let engine = HCHEngine(supervisor: supervisor, configuration: configuration)
        let outcome = try await withWatchdog(.seconds(300)) { await engine.run(length) }
        #expect(outcome.answer == length)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.count == length + 1)
        #expect(trace.nodes.last?.depth == length)
    }

    @Test func aDeepFailureCarriesItsWholePath() async throws {
        let length = 5_000
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question == 0 { throw TestFailure("bottom") }
            return try await consultation.ask(question - 1)
        }
        var configuration = HCHConfiguration()
        configuration.cyclePolicy = .ignore
        let outcome = await HCHEngine(supervisor: supervisor, configuration: configuration).run(length)
        #expect(outcome.engineError?.questionPath(as: Int.self) == Array((0...length).reversed()))
    }
}
