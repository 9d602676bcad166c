import IteratedAmplification
import Synchronization
import Testing

/// At unlimited depth HCH's answer to a question does not depend on the level it is asked at, so the memo computes
/// each question once, wherever it recurs: in parallel, in sequence, or while another copy is still in flight.
struct MemoizationAcrossLevelsTests {
    /// Counts the supervisor's calls per question.
    private final class CallCounter: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func note(_ question: String) { counts.withLock { $0[question, default: 0] += 1 } }
        var snapshot: [String: Int] { counts.withLock { $0 } }
    }

    /// C(n, k) by Pascal's rule, C(n - 1, k - 1) + C(n - 1, k), with the edges C(n, 0) = C(n, n) = 1 handed to the
    /// assistant. The subproblems form a grid, not a tree: without the memo, the tree has 2 C(n, k) - 1 nodes.
    private static func pascal(counter: CallCounter, parallel: Bool) -> ClosureSupervisor<[Int], Int> {
        ClosureSupervisor { question, consultation in
            counter.note("\(question)")
            let (n, k) = (question[0], question[1])
            if k == 0 || k == n { return try await consultation.askAssistant(question) }
            if parallel { return try await consultation.askAll([[n - 1, k - 1], [n - 1, k]]).reduce(0, +) }
            return try await consultation.ask([n - 1, k - 1]) + consultation.ask([n - 1, k])
        }
    }

    private static func binomial(_ n: Int, _ k: Int) -> Int {
        (0..<k).reduce(1) { result, index in result * (n - index) / (index + 1) }
    }

    @Test(arguments: [true, false])
    func pascalsRuleCallsTheSupervisorOncePerDistinctQuestion(parallel: Bool) async throws {
        let counter = CallCounter()
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<[Int], Int>(probe: probe) { _ in 1 }
        var configuration = HCHConfiguration()
        configuration.memoization = true
        let engine = HCHEngine(
            supervisor: Self.pascal(counter: counter, parallel: parallel), assistant: assistant,
            configuration: configuration)
        let outcome = try await withWatchdog { await engine.run([12, 6]) }
        #expect(outcome.answer == Self.binomial(12, 6))
        // The distinct questions below C(12, 6), found by following the rule; the edges among them.
        var distinct: Set<[Int]> = [[12, 6]]
        var pending = [[12, 6]]
        while let question = pending.popLast() {
            let (n, k) = (question[0], question[1])
            guard k > 0, k < n else { continue }
            for next in [[n - 1, k - 1], [n - 1, k]] where distinct.insert(next).inserted { pending.append(next) }
        }
        let edges = distinct.filter { $0[1] == 0 || $0[1] == $0[0] }.count
        #expect(Set(counter.snapshot.keys) == Set(distinct.map { "\($0)" }))
        #expect(counter.snapshot.values.allSatisfy { $0 == 1 }, "\(counter.snapshot.filter { $0.value > 1 })")
        #expect(outcome.statistics.supervisorCalls == distinct.count)
        // Each edge handed to the assistant once.
        #expect(outcome.statistics.assistantCalls == edges)
        #expect(probe.snapshot.started == edges)
    }

    /// The shortest distance from vertex 0 to a vertex of a weighted DAG whose edges go from every vertex to the next
    /// three: distance(v) = the least distance(u) + weight(u, v) over its predecessors u. Vertex u is reached by
    /// paths of many lengths, so the same question recurs at many depths of the tree.
    private static func shortestPaths(counter: CallCounter, parallel: Bool) -> ClosureSupervisor<Int, Int> {
        ClosureSupervisor { vertex, consultation in
            counter.note("\(vertex)")
            guard vertex > 0 else { return 0 }
            let predecessors = Array(max(0, vertex - 3)..<vertex)
            var distances: [Int] = []
            if parallel {
                distances = try await consultation.askAll(predecessors)
            } else {
                for predecessor in predecessors { distances.append(try await consultation.ask(predecessor)) }
            }
            return zip(predecessors, distances).map { $1 + weight(from: $0, to: vertex) }.min() ?? 0
        }
    }

    private static func weight(from u: Int, to v: Int) -> Int { (u * 7 + v * 3) % 5 + 1 }

    private static func expectedDistances(upTo last: Int) -> [Int] {
        var distances = [0]
        for vertex in 1...last {
            distances.append(
                (max(0, vertex - 3)..<vertex).map { distances[$0] + weight(from: $0, to: vertex) }.min() ?? 0)
        }
        return distances
    }

    @Test(arguments: [true, false])
    func shortestPathsByDynamicProgrammingCallTheSupervisorOncePerVertex(parallel: Bool) async throws {
        let counter = CallCounter()
        var configuration = HCHConfiguration()
        configuration.memoization = true
        configuration.tracing = true
        let engine = HCHEngine(
            supervisor: Self.shortestPaths(counter: counter, parallel: parallel), configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(30) }
        #expect(outcome.answer == Self.expectedDistances(upTo: 30)[30])
        #expect(counter.snapshot.count == 31)
        #expect(counter.snapshot.values.allSatisfy { $0 == 1 }, "\(counter.snapshot.filter { $0.value > 1 })")
        #expect(outcome.statistics.supervisorCalls == 31)
        // Vertex 27 is asked by 28, 29 and 30: at depth 1 below the root and deeper below 28 and 29.
        let trace = try #require(outcome.trace)
        let depthsOf27 = Set(trace.nodes.filter { $0.question == 27 }.map(\.depth))
        #expect(depthsOf27.count > 1)
        // Every node's depth is its place in the tree, wherever its computation was shown.
        for node in trace.nodes {
            #expect(node.depth == node.parent.map { trace.nodes[$0].depth + 1 } ?? 0)
        }
    }

    @Test func aRunOfFiniteDepthComputesASupervisorsQuestionAgainAtAnotherDepth() async throws {
        let counter = CallCounter()
        // The root asks "shared" and "middle"; "middle" asks "shared" one level deeper, with less depth left.
        let supervisor = ClosureSupervisor<String, Int> { question, consultation in
            counter.note(question)
            guard consultation.canConsult else { return 1 }
            switch question {
            case "root": return try await consultation.ask("shared") + consultation.ask("middle")
            case "middle": return try await consultation.ask("shared")
            case "shared": return try await consultation.ask("leaf")
            default: return 1
            }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 5
        configuration.memoization = true
        let outcome = await HCHEngine(supervisor: supervisor, configuration: configuration).run("root")
        #expect(outcome.answer == 2)
        #expect(counter.snapshot["shared"] == 2)
        // "leaf" below "shared" at depth 2 and below "shared" at depth 3: two remaining depths.
        #expect(counter.snapshot["leaf"] == 2)
    }

    @Test func theAssistantsOwnAnswerIsSharedAcrossLevelsAtAnyDepth() async throws {
        let probe = ConcurrencyProbe()
        // The root hands 5 to the assistant at depth 1; its subquestion 1 hands 5 to the assistant at depth 2.
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question == 0 {
                let direct = try await consultation.askAssistant(5)
                return try await direct + consultation.ask(1)
            }
            return try await consultation.askAssistant(5)
        }
        for depth in [3, HCHDepth.unlimited] {
            var configuration = HCHConfiguration()
            configuration.depth = depth
            configuration.memoization = true
            let before = probe.snapshot.started
            let engine = HCHEngine(
                supervisor: supervisor, assistant: indexAssistant(probe: probe), configuration: configuration)
            #expect(try await engine.answer(0) == 10)
            #expect(probe.snapshot.started - before == 1, "depth \(depth)")
        }
    }

    /// "p" asks "q" and "q" asks "p", and the root asks both at once. Without the memo, each branch meets its own
    /// cycle. With it, the branches would wait for each other; one computes alone instead, meets the cycle, and
    /// the run ends with the answers it has without the memo.
    @Test(arguments: [CyclePolicy.fail, CyclePolicy.answerWithoutHelp])
    func branchesThatWouldWaitForEachOtherGiveTheAnswersTheyGiveWithoutTheMemo(policy: CyclePolicy) async throws {
        let supervisor = ClosureSupervisor<String, Int> { question, consultation in
            guard consultation.canConsult else { return 10 }
            switch question {
            case "root": return try await consultation.askAll(["p", "q"]).reduce(0, +)
            case "p": return try await consultation.ask("q") + 1
            default: return try await consultation.ask("p") + 2
            }
        }
        func run(memoization: Bool) async throws -> RunOutcome<String, Int> {
            var configuration = HCHConfiguration()
            configuration.cyclePolicy = policy
            configuration.memoization = memoization
            let engine = HCHEngine(supervisor: supervisor, configuration: configuration)
            return try await withWatchdog { await engine.run("root") }
        }
        let unmemoized = try await run(memoization: false)
        for _ in 0..<20 {
            let memoized = try await run(memoization: true)
            #expect(memoized.answer == unmemoized.answer)
            #expect((try? memoized.result.get()) == (try? unmemoized.result.get()))
        }
    }

    /// The root asks "x", then "y". "x" asks "w", "w" asks "p", and "p" asks "x", which recurs on its own path:
    /// "p" answers alone there. "y" asks "u", "u" asks "p" at depth 3, as deep as the "p" below "x", and that "p"
    /// asks "x". The "x" computed at depth 1 has that "p" below it, and "p" is on this asker's path at the same
    /// depth, so a filter of questions claimed at several depths cannot see it: the asker, deeper than the node
    /// that computed "x", checks its whole path, and computes its own "x", as the run without the memo does.
    @Test func anAnswerComputedShallowerIsCheckedAgainstADeeperAskersWholePath() async throws {
        let supervisor = ClosureSupervisor<String, Int> { question, consultation in
            guard consultation.canConsult else { return 100 }
            switch question {
            case "root": return try await consultation.ask("x") + 10 * consultation.ask("y")
            case "x": return try await consultation.ask("w") + 1
            case "w": return try await consultation.ask("p") + 2
            case "y": return try await consultation.ask("u") + 3
            case "u": return try await consultation.ask("p") + 4
            default: return try await consultation.ask("x") + 5
            }
        }
        func run(memoization: Bool) async -> RunOutcome<String, Int> {
            var configuration = HCHConfiguration()
            configuration.cyclePolicy = .answerWithoutHelp
            configuration.memoization = memoization
            configuration.tracing = true
            return await HCHEngine(supervisor: supervisor, configuration: configuration).run("root")
        }
        let unmemoized = await run(memoization: false)
        let memoized = await run(memoization: true)
        #expect(unmemoized.answer != nil)
        #expect(memoized.answer == unmemoized.answer)
        let answers = { (outcome: RunOutcome<String, Int>) in
            outcome.trace?.nodes.map { "\($0.question)=\($0.answer.map(String.init) ?? "-")" } ?? []
        }
        #expect(answers(memoized) == answers(unmemoized))
    }
}
