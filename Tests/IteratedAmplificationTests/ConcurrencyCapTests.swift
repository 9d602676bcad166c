import Synchronization
import Testing

@testable import IteratedAmplification

struct ConcurrencyCapTests {
    /// 11,111 nodes, 10,000 assistant leaves: the cap is reached and never exceeded.
    @Test(arguments: [1, 7, 32])
    func assistantCapIsReachedAndNeverExceededOnTenThousandNodes(cap: Int) async throws {
        let tree = CompleteTree(branching: 10, height: 4)
        let rendezvous = Rendezvous(parties: cap)
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
            // The first `cap` calls wait for one another, so the maximum reaches the cap if the engine allows it.
            try await rendezvous.arrive()
            await Task.yield()
            return leaf
        }
        let configuration = tree.configuration { $0.maximumConcurrentAssistantCalls = cap }
        let engine = HCHEngine(supervisor: tree.summingSupervisor(), assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(0) }
        #expect(tree.nodeCount == 11_111)
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(probe.snapshot.maximum == cap)
        #expect(probe.snapshot.started == tree.leafCount)
    }

    /// Supervisors "think" between their asks; the instrumented count of thinking supervisors stays within the cap.
    @Test(arguments: [1, 3])
    func supervisorCapIsReachedAndNeverExceededOnTenThousandNodes(cap: Int) async throws {
        let tree = CompleteTree(branching: 10, height: 4)
        let probe = ConcurrencyProbe()
        let rendezvous = Rendezvous(parties: cap)
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            probe.enter()
            guard consultation.canConsult else {
                defer { probe.leave() }
                // Leaves (pure HCH at remaining depth 0) hold their slot here until `cap` of them think at once.
                try await rendezvous.arrive()
                return question
            }
            probe.leave()
            let answers = try await consultation.askAll(tree.children(of: question))
            return probe.measureSync { answers.reduce(0, +) }
        }
        let configuration = tree.configuration { $0.maximumConcurrentSupervisorCalls = cap }
        let engine = HCHEngine(supervisor: supervisor, configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(0) }
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.statistics.supervisorCalls == tree.nodeCount)
        #expect(probe.snapshot.maximum == cap)
    }

    @Test func bothCapsHoldTogether() async throws {
        let tree = CompleteTree(branching: 6, height: 4)
        let assistantProbe = ConcurrencyProbe()
        let supervisorProbe = ConcurrencyProbe()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            supervisorProbe.enter()
            await Task.yield()
            supervisorProbe.leave()
            let answers = try await consultation.askAll(tree.children(of: question))
            return answers.reduce(0, +)
        }
        let assistant = InstrumentedAssistant<Int, Int>(probe: assistantProbe) { leaf in
            await Task.yield()
            return leaf
        }
        let configuration = tree.configuration {
            $0.maximumConcurrentAssistantCalls = 3
            $0.maximumConcurrentSupervisorCalls = 2
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let answer = try await withWatchdog { try await engine.answer(0) }
        #expect(answer == tree.leafIndexSum)
        #expect(assistantProbe.snapshot.maximum <= 3)
        #expect(supervisorProbe.snapshot.maximum <= 2)
    }

    // MARK: The limiter itself

    @Test func limiterServesWaitersInArrivalOrderAndACancelledWaiterLeavesAtOnce() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.acquire()
        let order = Log()
        func waiter(_ name: String) -> Task<Void, any Error> {
            Task {
                try await semaphore.acquire()
                order.append(name)
                semaphore.release()
            }
        }
        let first = waiter("first")
        try await waitUntil { semaphore.waiterCount == 1 }
        let second = waiter("second")
        try await waitUntil { semaphore.waiterCount == 2 }
        let third = waiter("third")
        try await waitUntil { semaphore.waiterCount == 3 }

        second.cancel()
        // The cancelled waiter leaves while the permit is still held by this test.
        await #expect(throws: CancellationError.self) { try await second.value }
        #expect(semaphore.waiterCount == 2)

        semaphore.release()
        try await first.value
        try await third.value
        #expect(order.entries == ["first", "third"])
    }
}

extension ConcurrencyProbe {
    func measureSync<T>(_ work: () -> T) -> T {
        enter()
        defer { leave() }
        return work()
    }
}

/// Polls a condition, yielding between polls, until it holds (a watchdog fails the test if it never does).
func waitUntil(_ condition: @escaping @Sendable () -> Bool) async throws {
    try await withWatchdog(.seconds(120)) {
        while !condition() {
            try Task.checkCancellation()
            await Task.yield()
        }
    }
}

/// A list of strings appended from many tasks.
final class Log: Sendable {
    private let storage = Mutex<[String]>([])
    var entries: [String] { storage.withLock { $0 } }
    func append(_ entry: String) { storage.withLock { $0.append(entry) } }
}
