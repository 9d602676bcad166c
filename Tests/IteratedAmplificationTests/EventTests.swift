import IteratedAmplification
import Testing

struct EventTests {
    /// Checks that every node started once, finished once after it started, and named a started parent.
    private static func expectBalanced<Q, A>(
        _ events: [EngineEvent<Q, A>], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var started = Set<Int>()
        var finished = Set<Int>()
        for event in events {
            switch event {
            case .nodeStarted(let id, let parent, _, _, _):
                #expect(started.insert(id).inserted, "node \(id) started twice", sourceLocation: sourceLocation)
                if let parent {
                    #expect(
                        started.contains(parent), "node \(id) names unknown parent \(parent)",
                        sourceLocation: sourceLocation)
                }
            case .nodeFinished(let id, _, _):
                #expect(started.contains(id), "node \(id) finished without starting", sourceLocation: sourceLocation)
                #expect(finished.insert(id).inserted, "node \(id) finished twice", sourceLocation: sourceLocation)
            }
        }
        #expect(
            started == finished, "nodes that never finished: \(started.subtracting(finished))",
            sourceLocation: sourceLocation)
    }

    @Test func everyNodeStartsAndFinishesOnce() async throws {
        let tree = CompleteTree(branching: 5, height: 3)
        let configuration = tree.configuration()
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration)
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        async let events = collectEvents(stream)
        let outcome = await engine.run(0, events: continuation)
        continuation.finish()
        let all = await events
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(all.count == 2 * tree.nodeCount)
        Self.expectBalanced(all)
        let rootFinish = all.compactMap { event -> Int? in
            guard case .nodeFinished(_, .success(let answer), _) = event else { return nil }
            return answer
        }.last
        #expect(rootFinish == tree.leafIndexSum)
        let leafStarts = all.filter {
            if case .nodeStarted(_, _, _, .assistant, tree.height) = $0 { return true }
            return false
        }
        #expect(leafStarts.count == tree.leafCount)
    }

    @Test func aCycleNodeStartsBeforeItFinishes() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question % 2 + 1)
        }
        let engine = HCHEngine(supervisor: supervisor)
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        async let events = collectEvents(stream)
        let outcome = await engine.run(1, events: continuation)
        continuation.finish()
        #expect(outcome.engineError?.code == .cycleDetected)
        let all = await events
        #expect(all.count == 6)
        Self.expectBalanced(all)
    }

    @Test func eventsStayBalancedWhenTheRunFails() async throws {
        let tree = CompleteTree(branching: 4, height: 2)
        let assistant = InstrumentedAssistant<Int, Int> { leaf in
            if leaf == tree.firstLeaf + 5 { throw TestFailure("leaf") }
            await Task.yield()
            return leaf
        }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: assistant, configuration: tree.configuration())
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        async let events = collectEvents(stream)
        let outcome = await engine.run(0, events: continuation)
        continuation.finish()
        #expect(outcome.engineError?.code == .assistantFailed)
        Self.expectBalanced(await events)
    }

    @Test func eventsStayBalancedWhenNodesWaitingForAMemoizedAnswerAreCancelled() async throws {
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { question in
            try await Gate().wait()
            return question
        }
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            try await consultation.askAll([3, 3, 3]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.memoization = true
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        let all = try await withWatchdog(.seconds(120)) {
            let run = Task {
                defer { continuation.finish() }
                return await engine.run(0, events: continuation)
            }
            var events: [EngineEvent<Int, Int>] = []
            var started = 0
            for await event in stream {
                events.append(event)
                if case .nodeStarted(_, _, 3, _, _) = event {
                    started += 1
                    // Cancel once the three duplicates started and the first is inside the assistant.
                    if started == 3 {
                        try await waitUntil { probe.snapshot.started == 1 }
                        run.cancel()
                    }
                }
            }
            _ = await run.value
            return events
        }
        Self.expectBalanced(all)
    }

    @Test func anInvalidConfigurationSendsNoEvents() async throws {
        var configuration = HCHConfiguration()
        configuration.depth = -1
        let engine = HCHEngine(
            supervisor: ClosureSupervisor<Int, Int> { question, _ in question }, configuration: configuration)
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        async let events = collectEvents(stream)
        let outcome = await engine.run(0, events: continuation)
        continuation.finish()
        #expect(outcome.engineError?.code == .invalidConfiguration)
        #expect(await events.isEmpty)
    }

    /// The continuation is the caller's: the engine yields into it and never finishes it, so one stream follows
    /// two runs, and ends when the caller finishes it.
    @Test func oneStreamFollowsTwoRunsUntilTheCallerFinishesIt() async throws {
        let tree = CompleteTree(branching: 2, height: 2)
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: tree.configuration())
        let (stream, continuation) = AsyncStream<EngineEvent<Int, Int>>.makeStream()
        async let events = collectEvents(stream)
        let first = await engine.run(0, events: continuation)
        let second = await engine.run(0, events: continuation)
        continuation.finish()
        let all = await events
        #expect(first.answer == tree.leafIndexSum)
        #expect(second.answer == tree.leafIndexSum)
        let finished = all.filter {
            if case .nodeFinished = $0 { return true }
            return false
        }
        #expect(finished.count == 2 * tree.nodeCount)
    }
}
