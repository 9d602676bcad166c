import IteratedAmplification
import Testing

struct CancellationTests {
    /// Four calls hang in flight and 996 wait for the cap; cancelling the run starts no further call.
    @Test func cancellingARunStartsNoFurtherAssistantCall() async throws {
        let tree = CompleteTree(branching: 10, height: 3)
        let probe = ConcurrencyProbe()
        let inFlight = ArrivalSignal()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
            inFlight.arrive()
            try await Gate().wait()
            return leaf
        }
        let configuration = tree.configuration { $0.maximumConcurrentAssistantCalls = 4 }
        let engine = HCHEngine(supervisor: tree.summingSupervisor(), assistant: assistant, configuration: configuration)
        let result = try await withWatchdog(.seconds(120)) {
            try await withThrowingTaskGroup(of: Result<Int, any Error>?.self) { group in
                group.addTask { await engine.run(0).result }
                try await inFlight.wait(forCount: 4)
                group.cancelAll()
                return try await group.next().flatMap { $0 }
            }
        }
        #expect(throws: CancellationError.self) { try result?.get() }
        let snapshot = probe.snapshot
        #expect(snapshot.started == 4)
        #expect(snapshot.current == 0)
        #expect(snapshot.startedWhileCancelled == 0)
    }

    /// Without caps every leaf may be in flight; when the run returns, every call it started has ended.
    @Test func whenACancelledRunReturnsNoCallIsStillRunning() async throws {
        let tree = CompleteTree(branching: 10, height: 3)
        let probe = ConcurrencyProbe()
        let inFlight = ArrivalSignal()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
            inFlight.arrive()
            try await Gate().wait()
            return leaf
        }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: assistant, configuration: tree.configuration())
        try await withWatchdog(.seconds(120)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await engine.answer(0) }
                try await inFlight.wait(forCount: 50)
                group.cancelAll()
                await #expect(throws: CancellationError.self) { try await group.next() }
            }
        }
        let snapshot = probe.snapshot
        #expect(snapshot.current == 0)
        #expect(snapshot.finished == snapshot.started)
    }

    @Test func cancellationReachesSupervisorsWaitingForASlot() async throws {
        let tree = CompleteTree(branching: 4, height: 3)
        let thinking = ArrivalSignal()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard consultation.canConsult else {
                thinking.arrive()
                try await Gate().wait()  // holds the only slot until cancelled
                return question
            }
            return try await consultation.askAll(tree.children(of: question)).reduce(0, +)
        }
        let configuration = tree.configuration { $0.maximumConcurrentSupervisorCalls = 1 }
        let engine = HCHEngine(supervisor: supervisor, configuration: configuration)
        try await withWatchdog(.seconds(120)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await engine.answer(0) }
                try await thinking.wait(forCount: 1)
                group.cancelAll()
                await #expect(throws: CancellationError.self) { try await group.next() }
            }
        }
        #expect(thinking.count == 1)
    }

    @Test func cancellationReachesNodesWaitingForAMemoizedAnswer() async throws {
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
        try await withWatchdog(.seconds(120)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await engine.answer(0) }
                try await waitUntil { probe.snapshot.started == 1 }
                group.cancelAll()
                await #expect(throws: CancellationError.self) { try await group.next() }
            }
        }
        #expect(probe.snapshot.started == 1)
    }

    @Test func cancellationEndsABackoffWait() async throws {
        let failed = ArrivalSignal()
        let assistant = InstrumentedAssistant<Int, Int> { _ in
            failed.arrive()
            throw TestFailure("down")
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.assistantRetries = RetryPolicy(maximumAttempts: 3, initialBackoff: .seconds(3_600), jitter: 0)
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        try await withWatchdog(.seconds(120)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await engine.answer(0) }
                try await failed.wait(forCount: 1)
                group.cancelAll()
                await #expect(throws: CancellationError.self) { try await group.next() }
            }
        }
        #expect(failed.count == 1)
    }

    @Test func aRunStartedCancelledCallsNothing() async throws {
        let probe = ConcurrencyProbe()
        let tree = CompleteTree(branching: 2, height: 2)
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(probe: probe),
            configuration: tree.configuration())
        await withTaskGroup(of: Void.self) { group in
            group.cancelAll()
            group.addTask {
                await #expect(throws: CancellationError.self) { try await engine.answer(0) }
            }
        }
        #expect(probe.snapshot.started == 0)
    }
}
