import IteratedAmplification
import Testing

/// Memoization shares answers between nodes with different ancestors, and cycle detection reads those ancestors:
/// an answer that depends on its ancestors must not be shared, nor one shared where it would be different.
struct MemoizedCycleTests {
    /// The root asks "a" and "b" in `order` (one after the other), or all at once when `order` is nil, and adds
    /// one to their sum. "a" and "b" each ask "m"; "m" asks "a". So "m" below "a" asks its own ancestor's
    /// question, while "m" below "b" does not, and goes one level deeper.
    private static func supervisor(order: [String]?) -> ClosureSupervisor<String, Int> {
        ClosureSupervisor { question, consultation in
            guard consultation.canConsult else { return 0 }
            switch question {
            case "root":
                guard let order else { return try await consultation.askAll(["a", "b"]).reduce(1, +) }
                var sum = 1
                for part in order { sum += try await consultation.ask(part) }
                return sum
            case "a", "b": return try await consultation.ask("m") + 1
            default: return try await consultation.ask("a") + 1
            }
        }
    }

    private static func run(order: [String]?, memoization: Bool) async -> RunOutcome<String, Int> {
        var configuration = HCHConfiguration()
        configuration.cyclePolicy = .answerWithoutHelp
        configuration.memoization = memoization
        configuration.tracing = true
        return await HCHEngine(supervisor: supervisor(order: order), configuration: configuration).run("root")
    }

    @Test(arguments: [["a", "b"], ["b", "a"]])
    func anAnswerThatDependsOnItsAncestorsIsTheSameWithMemoizationAsWithout(order: [String]) async throws {
        let unmemoized = await Self.run(order: order, memoization: false)
        let memoized = await Self.run(order: order, memoization: true)
        // Below "a", "m" asks "a", its own ancestor's question, and answers alone (0): "a" is 1. Below "b", "m" asks
        // "a", whose "m" recurs on "m" itself: that "a" answers alone (0), "m" is 1 and "b" 2. The root: 1 + 1 + 2.
        #expect(unmemoized.answer == 4)
        #expect(memoized.answer == unmemoized.answer)
        let answers = try #require(memoized.trace).nodes.map { "\($0.question)=\($0.answer.map(String.init) ?? "-")" }
        let expected = try #require(unmemoized.trace).nodes.map {
            "\($0.question)=\($0.answer.map(String.init) ?? "-")"
        }
        #expect(answers == expected)
    }

    @Test func parallelAsksGiveOneTraceWhateverFinishesFirst() async throws {
        let reference = await Self.run(order: nil, memoization: true)
        #expect(reference.answer == 4)
        let referenceNodes = try #require(reference.trace).nodes.map(\.shape)
        for _ in 0..<20 {
            let outcome = await Self.run(order: nil, memoization: true)
            #expect(outcome.answer == 4)
            #expect(try #require(outcome.trace).nodes.map(\.shape) == referenceNodes)
            #expect(outcome.statistics.ignoringCost == reference.statistics.ignoringCost)
        }
    }

    /// The root asks "x" and "b" with `askEach`; both ask "m", which asks "x". Below "x" that is a cycle, which
    /// fails; below "b", "x" is two levels down, at remaining depth 0, and answers alone.
    private static func failingSupervisor(order: [String]) -> ClosureSupervisor<String, Int> {
        ClosureSupervisor { question, consultation in
            guard consultation.canConsult else { return 7 }
            switch question {
            case "root":
                var sum = 0
                for part in order {
                    let result = try await consultation.askEach([part])[0]
                    sum += (try? result.get()) ?? 1_000
                }
                return sum
            case "x", "b": return try await consultation.ask("m") + 1
            default: return try await consultation.ask("x") + 1
            }
        }
    }

    @Test(arguments: [["x", "b"], ["b", "x"]])
    func aFailureThatDependsOnItsAncestorsIsNotSharedNorIsAnAnswerWhereItWouldFail(order: [String]) async throws {
        var configuration = HCHConfiguration()
        configuration.depth = 3
        let unmemoized = await HCHEngine(supervisor: Self.failingSupervisor(order: order), configuration: configuration)
            .run("root")
        configuration.memoization = true
        let memoized = await HCHEngine(supervisor: Self.failingSupervisor(order: order), configuration: configuration)
            .run("root")
        // "x" fails on its cycle (1,000), "b" is 7 + 1 + 1.
        #expect(unmemoized.answer == 1_009)
        #expect(memoized.answer == unmemoized.answer)
    }

    @Test func anAnswerFreeOfItsAncestorsIsStillShared() async throws {
        // "a" and "b" ask "m", which asks "c", a leaf: nothing below "m" is on either path.
        let supervisor = ClosureSupervisor<String, Int> { question, consultation in
            guard consultation.canConsult else { return 0 }
            switch question {
            case "root": return try await consultation.askAll(["a", "b"]).reduce(1, +)
            case "a", "b": return try await consultation.ask("m") + 1
            case "m": return try await consultation.ask("c") + 1
            default: return 10
            }
        }
        var configuration = HCHConfiguration()
        configuration.memoization = true
        let outcome = await HCHEngine(supervisor: supervisor, configuration: configuration).run("root")
        #expect(outcome.answer == 1 + 12 + 12)
        #expect(outcome.statistics.memoizedAnswers == 1)
        #expect(outcome.statistics.supervisorCalls == 5)
    }

    @Test func anAnswerWhoseCyclesCloseInsideItsSubtreeIsStillShared() async throws {
        // "a" and "b" ask "m", which asks "n", which asks "m" again: a cycle that closes on "m" itself, the same
        // below either asker. "n" answers alone (0), "m" is 1.
        let supervisor = ClosureSupervisor<String, Int> { question, consultation in
            guard consultation.canConsult else { return 0 }
            switch question {
            case "root": return try await consultation.askAll(["a", "b"]).reduce(1, +)
            case "a", "b": return try await consultation.ask("m") + 1
            case "m": return try await consultation.ask("n") + 1
            default: return try await consultation.ask("m") + 1
            }
        }
        var configuration = HCHConfiguration()
        configuration.cyclePolicy = .answerWithoutHelp
        configuration.memoization = true
        let outcome = await HCHEngine(supervisor: supervisor, configuration: configuration).run("root")
        #expect(outcome.answer == 1 + 2 + 2)
        #expect(outcome.statistics.memoizedAnswers == 1)
    }
}

extension TraceNode {
    /// What a node is, without its timings: its place, question, answer, cache outcome and whether it answered alone.
    fileprivate var shape: String {
        let parent = parent.map { String($0) } ?? "-"
        let answer = answer.map { "\($0)" } ?? "-"
        return "\(id) \(parent) \(question) \(answer) \(cache) \(unaided)"
    }
}

extension RunStatistics {
    fileprivate var ignoringCost: RunStatistics {
        var statistics = self
        statistics.cost = 0
        return statistics
    }
}
