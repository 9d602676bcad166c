import IteratedAmplification
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Test doubles shared by the engine suites. Nothing here sleeps to synchronise: tasks wait on gates,
// rendezvous and arrival signals built from continuations, and every wait is cancellation-aware so that a
// watchdog can end a hung test as a failure.

/// Counts calls in flight and remembers the most that were ever in flight at once.
final class ConcurrencyProbe: Sendable {
    struct Snapshot: Sendable {
        var current = 0
        var maximum = 0
        var started = 0
        var finished = 0
        /// Calls that began in a task that was already cancelled.
        var startedWhileCancelled = 0
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }

    func enter() {
        let cancelled = Task.isCancelled
        state.withLock { state in
            state.current += 1
            state.maximum = max(state.maximum, state.current)
            state.started += 1
            if cancelled { state.startedWhileCancelled += 1 }
        }
    }

    func leave() {
        state.withLock { state in
            state.current -= 1
            state.finished += 1
        }
    }

    /// Runs `work` as one instrumented call.
    func measure<T>(_ work: () async throws -> T) async rethrows -> T {
        enter()
        defer { leave() }
        return try await work()
    }
}

/// An assistant that records its concurrency in a probe and answers with a closure.
struct InstrumentedAssistant<Question: Sendable, Answer: Sendable>: Assistant {
    let probe: ConcurrencyProbe
    let body: @Sendable (Question) async throws -> Answer

    init(probe: ConcurrencyProbe = ConcurrencyProbe(), _ body: @escaping @Sendable (Question) async throws -> Answer) {
        self.probe = probe
        self.body = body
    }

    func answer(_ question: Question) async throws -> Answer {
        try await probe.measure { try await body(question) }
    }
}

/// A gate that tasks wait at until it opens; a cancelled waiter leaves with `CancellationError`.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }

    private let state = Mutex(State())

    var isOpen: Bool { state.withLock { $0.isOpen } }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Bool? in
                    if state.isOpen { return true }
                    if Task.isCancelled { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                switch outcome {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}

/// Counts arrivals and lets tasks wait until a number of arrivals has happened.
final class ArrivalSignal: Sendable {
    private struct State {
        var count = 0
        var nextID = 0
        var waiters: [Int: (threshold: Int, continuation: CheckedContinuation<Void, any Error>)] = [:]
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.count } }

    func arrive() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.count += 1
            let due = state.waiters.filter { $0.value.threshold <= state.count }
            for id in due.keys { state.waiters[id] = nil }
            return due.values.map(\.continuation)
        }
        for waiter in ready { waiter.resume() }
    }

    /// Waits until at least `threshold` arrivals have happened.
    func wait(forCount threshold: Int) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Bool? in
                    if state.count >= threshold { return true }
                    if Task.isCancelled { return false }
                    state.waiters[id] = (threshold, continuation)
                    return nil
                }
                switch outcome {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// Holds the first `parties` arrivals until all of them are there, then lets everyone through.
///
/// A test that needs `parties` calls in flight at once passes only if the engine lets them overlap:
/// otherwise the first arrivals wait for ever and the watchdog fails the test.
final class Rendezvous: Sendable {
    let parties: Int
    private let arrivals = ArrivalSignal()

    init(parties: Int) {
        self.parties = parties
    }

    func arrive() async throws {
        arrivals.arrive()
        try await arrivals.wait(forCount: parties)
    }
}

/// The watchdog fired: the test hung.
struct WatchdogTimeout: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the test did not finish within \(limit); it is hung" }
}

/// Whether the tests run under the thread sanitizer, which slows every access down many times.
let isThreadSanitized = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil

/// Runs `body`, failing with ``WatchdogTimeout`` if it has not finished within `limit`.
///
/// The watchdog never synchronises a test: it only turns a hang into a failure, by cancelling the body. Its limits
/// are generous (minutes, for work of milliseconds) because every suite shares the two threads of the pool: a test
/// may wait long for its turn while others compute. Under the
/// thread sanitizer, with every suite sharing two slow threads, a test may wait minutes for its turn: the limit
/// grows accordingly.
func withWatchdog<T: Sendable>(
    _ limit: Duration = .seconds(120),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let limit = isThreadSanitized ? max(limit * 20, .seconds(900)) : limit
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw WatchdogTimeout(limit: limit) }
        return value
    }
}

/// A failure thrown by test assistants and supervisors.
struct TestFailure: Error, Hashable, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { "TestFailure(\(reason))" }
}

// MARK: Trees

/// A complete tree of questions numbered in heap order: node `n` has children `n * branching + 1 ...`.
///
/// With ``HCHConfiguration/depth`` set to the height, every leaf sits at remaining depth 0 and goes to the
/// assistant (Amp(H, X) at height 1), so the tree has `(branching^(height+1) - 1) / (branching - 1)` nodes.
struct CompleteTree: Sendable {
    let branching: Int
    let height: Int

    /// The number of nodes, counted level by level.
    var nodeCount: Int { (0...height).reduce(0) { total, level in total + power(branching, level) } }

    /// The number of leaves.
    var leafCount: Int { power(branching, height) }

    /// The heap index of the first leaf.
    var firstLeaf: Int { nodeCount - leafCount }

    /// The sum of the leaves' indices, summed directly: what a supervisor adding its children's answers and an
    /// assistant answering a leaf with its index give at the root.
    var leafIndexSum: Int { (firstLeaf..<nodeCount).reduce(0, +) }

    func children(of node: Int) -> [Int] {
        (1...branching).map { node * branching + $0 }
    }

    /// A supervisor that adds its children's answers, and answers alone with `unaidedAnswer` when refused help.
    func summingSupervisor(unaidedAnswer: Int = 0) -> ClosureSupervisor<Int, Int> {
        let tree = self
        return ClosureSupervisor { question, consultation in
            guard consultation.canConsult else { return unaidedAnswer }
            return try await consultation.askAll(tree.children(of: question)).reduce(0, +)
        }
    }

    func configuration(_ adjust: (inout HCHConfiguration) -> Void = { _ in }) -> HCHConfiguration {
        var configuration = HCHConfiguration()
        configuration.depth = .levels(height)
        adjust(&configuration)
        return configuration
    }
}

func power(_ base: Int, _ exponent: Int) -> Int {
    (0..<exponent).reduce(1) { product, _ in product * base }
}

/// An assistant that answers a leaf with its own index.
func indexAssistant(probe: ConcurrencyProbe = ConcurrencyProbe()) -> InstrumentedAssistant<Int, Int> {
    InstrumentedAssistant(probe: probe) { $0 }
}

// MARK: Traces

extension Trace {
    /// The trace with every timing set to zero, for comparing runs whose scheduling differed.
    var withoutTimings: Trace {
        var copy = self
        for index in copy.nodes.indices {
            copy.nodes[index].start = .zero
            copy.nodes[index].end = .zero
        }
        return copy
    }
}

extension RunOutcome {
    /// The engine error the run failed with, or `nil`.
    var engineError: EngineError? {
        guard case .failure(let error) = result else { return nil }
        return error as? EngineError
    }
}

/// Collects every event of a stream.
func collectEvents<Question, Answer>(
    _ stream: AsyncStream<EngineEvent<Question, Answer>>
) async -> [EngineEvent<Question, Answer>] {
    var events: [EngineEvent<Question, Answer>] = []
    for await event in stream { events.append(event) }
    return events
}
