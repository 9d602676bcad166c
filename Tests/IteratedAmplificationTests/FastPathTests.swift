import Synchronization
import Testing

@testable import IteratedAmplification

/// The fast path (the one node pipeline compiled with only its essential steps, for a run that records, memoizes,
/// caches, meters, budgets, caps, times and retries nothing) must give what the full path gives: the same answers, the same errors with the same paths, the same statistics. Each test
/// runs one workload both ways; tracing on sends every node down the full path.
struct FastPathTests {
    /// What a run gave, in a form two runs can be compared by.
    struct Observation: Equatable {
        var answer: Int?
        var errorCode: EngineError.Code?
        var errorPath: [Int]?
        var errorMessage: String?
        var underlyingError: String?
        var statistics: RunStatistics
    }

    static func observe<S: Supervisor, X: Assistant>(
        _ engine: HCHEngine<S, X>,
        _ question: Int
    ) async -> Observation where S.Question == Int, S.Answer == Int {
        let outcome = await engine.run(question)
        var statistics = outcome.statistics
        statistics.cost = 0
        switch outcome.result {
        case .success(let answer):
            return Observation(answer: answer, statistics: statistics)
        case .failure(let error):
            let engineError = error as? EngineError
            return Observation(
                errorCode: engineError?.code,
                errorPath: engineError?.questionPath(as: Int.self),
                errorMessage: engineError?.message,
                underlyingError: engineError?.underlyingError.map { "\($0)" },
                statistics: statistics
            )
        }
    }

    /// Runs `engine` on the fast path and on the full path, and returns both observations.
    static func bothPaths<S: Supervisor, X: Assistant>(
        _ engine: HCHEngine<S, X>,
        _ question: Int
    ) async -> (fast: Observation, full: Observation) where S.Question == Int, S.Answer == Int {
        var traced = engine
        traced.configuration.tracing = true
        return (await observe(engine, question), await observe(traced, question))
    }

    /// H for "sum of [lo, lo + count)" encoded as `lo * 1_000 + count`: a one-element range goes to the assistant.
    static func rangeSupervisor(branching: Int) -> ClosureSupervisor<Int, Int> {
        ClosureSupervisor { question, consultation in
            let (lower, count) = (question / 1_000, question % 1_000)
            if count <= 1 { return try await consultation.askAssistant(question) }
            var parts: [Int] = []
            var start = lower
            for index in 1...branching {
                let end = lower + count * index / branching
                if end > start { parts.append(start * 1_000 + (end - start)) }
                start = end
            }
            return try await consultation.askAll(parts).reduce(0, +)
        }
    }

    static let rangeAssistant = ClosureAssistant<Int, Int> { question in question / 1_000 }

    @Test func everyConfigurationPropertyIsDecidedForTheFastPath() {
        // A property added to the configuration fails this until its author decides, in
        // `HCHConfiguration+FastPath.swift`, whether the fast path can skip it.
        let properties = Set(Mirror(reflecting: HCHConfiguration()).children.compactMap(\.label))
        #expect(properties == HCHConfiguration.propertiesTheFastPathConsidered)
    }

    @Test func theDefaultConfigurationTakesTheFastPathAndEveryOptionThatNeedsTheFullPathLeavesIt() {
        func takesFastPath(_ adjust: (inout HCHConfiguration) -> Void, cache: Bool = false) -> Bool {
            var configuration = HCHConfiguration()
            adjust(&configuration)
            let engine = HCHEngine(
                supervisor: FastPathTests.rangeSupervisor(branching: 2),
                assistant: FastPathTests.rangeAssistant,
                configuration: configuration,
                cache: cache ? InMemoryAnswerCache<Int, Int>() : nil
            )
            return engine.takesFastPath(withEvents: false)
        }
        #expect(takesFastPath { _ in })
        #expect(takesFastPath { $0.depth = 3 })
        #expect(takesFastPath { $0.cyclePolicy = .ignore })
        #expect(takesFastPath { $0.maximumLiveTasks = 8 })
        #expect(!takesFastPath({ _ in }, cache: true))
        #expect(!HCHEngine(supervisor: Self.rangeSupervisor(branching: 2)).takesFastPath(withEvents: true))
        #expect(!takesFastPath { $0.tracing = true })
        #expect(!takesFastPath { $0.memoization = true })
        #expect(!takesFastPath { $0.budget.maximumNodes = 100 })
        #expect(!takesFastPath { $0.budget.maximumAssistantCalls = 100 })
        #expect(!takesFastPath { $0.budget.maximumCost = 100 })
        #expect(!takesFastPath { $0.budget.deadline = .seconds(60) })
        #expect(!takesFastPath { $0.maximumConcurrentAssistantCalls = 4 })
        #expect(!takesFastPath { $0.maximumConcurrentSupervisorCalls = 4 })
        #expect(!takesFastPath { $0.assistantTimeout = .seconds(60) })
        #expect(!takesFastPath { $0.supervisorTimeout = .seconds(60) })
        #expect(!takesFastPath { $0.assistantRetries = RetryPolicy(maximumAttempts: 2) })
        #expect(!takesFastPath { $0.supervisorRetries = RetryPolicy(maximumAttempts: 2) })
        #expect(!takesFastPath { $0.cyclePolicy = .answerWithoutHelp })
    }

    @Test func aParallelTreeWithLeavesHandedToTheAssistantGivesTheSameAnswerAndCounts() async {
        for branching in [2, 3, 4] {
            let engine = HCHEngine(
                supervisor: Self.rangeSupervisor(branching: branching), assistant: Self.rangeAssistant
            )
            let (fast, full) = await Self.bothPaths(engine, 0 * 1_000 + 100)
            #expect(fast.answer == (0..<100).reduce(0, +))
            #expect(fast == full)
            #expect(fast.statistics.assistantCalls == 100)
        }
    }

    @Test func aDepthLimitedTreeWhoseLeavesGoToTheAssistantByDepthGivesTheSameAnswerAndCounts() async {
        let tree = CompleteTree(branching: 3, height: 3)
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: tree.configuration()
        )
        let (fast, full) = await Self.bothPaths(engine, 0)
        #expect(fast.answer == tree.leafIndexSum)
        #expect(fast == full)
        #expect(fast.statistics.nodes == tree.nodeCount)
        #expect(fast.statistics.assistantCalls == tree.leafCount)
    }

    @Test func aFailingAssistantFailsTheRunWithTheSameErrorAndPath() async {
        let assistant = ClosureAssistant<Int, Int> { question in
            if question == 37_001 { throw TestFailure("leaf 37") }
            return question / 1_000
        }
        let engine = HCHEngine(supervisor: Self.rangeSupervisor(branching: 2), assistant: assistant)
        let (fast, full) = await Self.bothPaths(engine, 0 * 1_000 + 64)
        #expect(fast.errorCode == .assistantFailed)
        #expect(fast.errorPath?.last == 37_001)
        #expect(fast.underlyingError == "\(TestFailure("leaf 37"))")
        #expect(fast.errorPath == full.errorPath)
        #expect(fast.errorCode == full.errorCode)
        #expect(fast.errorMessage == full.errorMessage)
        #expect(fast.underlyingError == full.underlyingError)
    }

    @Test func aFailingSupervisorFailsTheRunWithTheSameErrorAndPath() async {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question == 12 { throw TestFailure("stuck") }
            guard question < 10 else { return try await consultation.askAssistant(question) }
            return try await consultation.askAll([question * 10 + 1, question * 10 + 2]).reduce(0, +)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: ClosureAssistant<Int, Int> { $0 })
        let (fast, full) = await Self.bothPaths(engine, 1)
        #expect(fast.errorCode == .supervisorFailed)
        #expect(fast.errorPath == [1, 12])
        #expect(fast.errorPath == full.errorPath)
        #expect(fast.errorMessage == full.errorMessage)
        #expect(fast.underlyingError == full.underlyingError)
    }

    @Test func aCycleFailsTheRunWithTheSameErrorAndPath() async {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            // 1 -> 2 -> 3 -> 1: the third level asks its root's question again.
            try await consultation.ask(question % 3 + 1)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: ClosureAssistant<Int, Int> { $0 })
        let (fast, full) = await Self.bothPaths(engine, 1)
        #expect(fast.errorCode == .cycleDetected)
        #expect(fast.errorPath == [1, 2, 3, 1])
        #expect(fast == full)
    }

    @Test func aQuestionHandedToAMissingAssistantFailsTheSameWay() async {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.askAssistant(question + 1)
        }
        let (fast, full) = await Self.bothPaths(HCHEngine(supervisor: supervisor), 5)
        #expect(fast.errorCode == .noAssistant)
        #expect(fast.errorPath == [5, 6])
        #expect(fast == full)
    }

    @Test func sequentialAsksAndSeparateOutcomesGiveTheSameAnswersAndCounts() async {
        // Each node asks its first child, then the second with the first's answer known; askEach sees a failure
        // below without failing.
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question >= 40 {
                if question == 100 { throw TestFailure("one hundred") }
                return try await consultation.askAssistant(question)
            }
            let first = try await consultation.ask(question * 2)
            let second = try await consultation.ask(question * 2 + 1)
            let each = try await consultation.askEach([question * 3 + 40, question * 3 + 41])
            let recovered = each.map { (try? $0.get()) ?? -1 }.reduce(0, +)
            return first + second + recovered
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: ClosureAssistant<Int, Int> { $0 })
        let (fast, full) = await Self.bothPaths(engine, 5)
        #expect(fast.answer != nil)
        #expect(fast == full)
    }

    /// What one consultation told its supervisor.
    struct Sight: Hashable, Comparable {
        var question: Int
        var depth: Int
        var remainingDepth: HCHDepth
        var path: [Int]
        var canConsult: Bool
        var hasAssistant: Bool
        var remainingNodes: Int?

        static func < (lhs: Sight, rhs: Sight) -> Bool { lhs.path.lexicographicallyPrecedes(rhs.path) }
    }

    @Test func aConsultationTellsItsSupervisorTheSameOnBothPathsWhetherItsNodeIsMadeOrNot() async {
        // Most nodes at the bottom only hand their question to the assistant (on the fast path their node is never
        // made); one in three asks a subquestion, which the depth limit sends to the assistant; the nodes above ask
        // in parallel and then with a check.
        func sights(tracing: Bool) async -> (Observation, [Sight]) {
            let seen = Mutex<[Sight]>([])
            let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
                let sight = Sight(
                    question: consultation.question, depth: consultation.depth,
                    remainingDepth: consultation.remainingDepth, path: consultation.path,
                    canConsult: consultation.canConsult, hasAssistant: consultation.hasAssistant,
                    remainingNodes: consultation.budget.remainingNodes
                )
                seen.withLock { $0.append(sight) }
                if question >= 100 {
                    if question % 10 == 1 { return try await consultation.ask(question * 10) }
                    return try await consultation.askAssistant(question)
                }
                let pair = try await consultation.askAll([question * 10, question * 10 + 1]).reduce(0, +)
                let checked = try await consultation.ask(question * 10 + 2) { answer in
                    answer >= 0 ? .accept : .reject(reason: "negative")
                }
                return pair + checked
            }
            var engine = HCHEngine(supervisor: supervisor, assistant: ClosureAssistant<Int, Int> { $0 })
            engine.configuration.depth = 3
            engine.configuration.tracing = tracing
            let observation = await Self.observe(engine, 1)
            return (observation, seen.withLock { $0 }.sorted())
        }
        let (fast, fastSights) = await sights(tracing: false)
        let (full, fullSights) = await sights(tracing: true)
        #expect(fast.answer == 100 + 1_010 + 102 + 110 + 1_110 + 112 + 120 + 1_210 + 122)
        #expect(fast == full)
        #expect(fastSights.count == 1 + 3 + 9)
        #expect(fastSights == fullSights)
        #expect(
            fastSights.first
                == Sight(
                    question: 1, depth: 0, remainingDepth: 3, path: [1], canConsult: true, hasAssistant: true,
                    remainingNodes: nil
                )
        )
        #expect(
            fastSights.contains(
                Sight(
                    question: 101, depth: 2, remainingDepth: 1, path: [1, 10, 101], canConsult: true,
                    hasAssistant: true, remainingNodes: nil
                )
            )
        )
    }
}
