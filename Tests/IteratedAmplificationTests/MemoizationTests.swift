import IteratedAmplification
import Testing

struct MemoizationTests {
    /// Four parallel asks of one question while the first is still being computed: one assistant call.
    @Test func inFlightDuplicatesCallTheAssistantOnce() async throws {
        let gate = Gate()
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { question in
            try await gate.wait()
            return question * 3
        }
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            try await consultation.askAll([5, 5, 5, 5]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.memoization = true
        configuration.tracing = true
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        let outcome = try await withWatchdog {
            try await withThrowingTaskGroup(of: RunOutcome<Int, Int>?.self) { group in
                group.addTask {
                    defer { continuation.finish() }
                    return await engine.run(0, events: continuation)
                }
                group.addTask {
                    // Open the gate once all four duplicates have started and the first is inside the assistant.
                    var started = 0
                    for await event in stream {
                        guard case .nodeStarted(_, _, 5, _, _) = event else { continue }
                        started += 1
                        if started == 4 {
                            try await waitUntil { probe.snapshot.started == 1 }
                            gate.open()
                        }
                    }
                    return nil
                }
                var outcome: RunOutcome<Int, Int>?
                for try await result in group { if let result { outcome = result } }
                return try #require(outcome)
            }
        }
        #expect(outcome.answer == 60)
        #expect(probe.snapshot.started == 1)
        #expect(outcome.statistics.assistantCalls == 1)
        #expect(outcome.statistics.memoizedAnswers == 3)
        let trace = try #require(outcome.trace)
        let leaves = trace.children(of: try #require(trace.root))
        #expect(leaves.map(\.cache) == [.miss, .memoized, .memoized, .memoized])
        #expect(leaves.allSatisfy { $0.answer == 15 })
    }

    @Test func withoutMemoizationDuplicatesAreComputedEachTime() async throws {
        let probe = ConcurrencyProbe()
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            try await consultation.askAll([5, 5, 5, 5]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let engine = HCHEngine(
            supervisor: supervisor, assistant: indexAssistant(probe: probe), configuration: configuration)
        #expect(try await engine.answer(0) == 20)
        #expect(probe.snapshot.started == 4)
    }

    /// A failure shared by memoization names the path of each node that asked, not of the node that computed it.
    @Test func aMemoizedFailureCarriesThePathOfEachAsker() async throws {
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { question in
            throw TestFailure("no answer to \(question)")
        }
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question == 0 {
                let outcomes = try await consultation.askEach([1, 2])
                let paths = outcomes.map { outcome -> [Int] in
                    guard case .failure(let error) = outcome else { return [] }
                    return error.questionPath(as: Int.self) ?? []
                }
                return paths == [[0, 1, 9], [0, 2, 9]] ? 1 : 0
            }
            return try await consultation.ask(9)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 2
        configuration.memoization = true
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        #expect(try await engine.answer(0) == 1)
        #expect(probe.snapshot.started == 1)
    }

    @Test func aSharedCacheAnswersALaterRunWithoutTheAssistant() async throws {
        let tree = CompleteTree(branching: 3, height: 2)
        let probe = ConcurrencyProbe()
        let cache = InMemoryAnswerCache<Int, Int>()
        let configuration = tree.configuration { $0.tracing = true }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(probe: probe), configuration: configuration,
            cache: cache
        )
        let first = await engine.run(0)
        #expect(first.answer == tree.leafIndexSum)
        #expect(probe.snapshot.started == tree.leafCount)
        #expect(cache.count == tree.nodeCount)

        let second = await engine.run(0)
        #expect(second.answer == tree.leafIndexSum)
        #expect(probe.snapshot.started == tree.leafCount)  // no new call
        #expect(second.statistics.cachedAnswers == 1)
        #expect(second.trace?.nodes.map(\.cache) == [.sharedCache])

        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func theCacheKeysOnRemainingDepth() async throws {
        let tree = CompleteTree(branching: 2, height: 2)
        let cache = InMemoryAnswerCache<Int, Int>()
        let probe = ConcurrencyProbe()
        var engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(probe: probe),
            configuration: tree.configuration(), cache: cache
        )
        _ = try await engine.answer(0)
        let callsAfterFirst = probe.snapshot.started
        engine.configuration.depth = 1  // HCH_1 of the same question is another question for the cache
        let shallow = try await engine.answer(0)
        #expect(shallow == 1 + 2)
        #expect(probe.snapshot.started == callsAfterFirst + 2)
    }

    /// A supervisor node and an assistant node for one question at one remaining depth answer differently.
    @Test func theCacheKeepsTheAssistantsAnswersApartFromTheSupervisors() async throws {
        let cache = InMemoryAnswerCache<Int, Int>()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question == 0 {
                let byH = try await consultation.ask(4)
                let byX = try await consultation.askAssistant(4)
                return byH * 100 + byX
            }
            return try await consultation.askAssistant(question) + 1  // H improves on X by one
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: indexAssistant(), cache: cache)
        #expect(try await engine.answer(4) == 5)  // fills the cache for question 4, by H and by X
        #expect(try await engine.answer(0) == 5 * 100 + 4)
        #expect(try await engine.answer(0) == 5 * 100 + 4)  // the root from the cache
    }

    @Test func aFailingCacheFailsTheNodeWithItsPath() async throws {
        struct BrokenCache: AnswerCache {
            func answer(for question: Int, from source: AnswerSource) async throws -> Int? { throw TestFailure("disk") }
            func store(_ answer: Int, for question: Int, from source: AnswerSource) async throws {}
        }
        let tree = CompleteTree(branching: 2, height: 1)
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: tree.configuration(),
            cache: BrokenCache()
        )
        let outcome = await engine.run(0)
        let error = try #require(outcome.engineError)
        #expect(error.questionPath(as: Int.self) == [0])
        #expect((error.underlyingError as? TestFailure) == TestFailure("disk"))
    }
}
