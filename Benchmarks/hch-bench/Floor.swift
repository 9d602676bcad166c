import Synchronization

/// The floor: the same recursion written directly with a TaskGroup, no engine.
struct Floor: Sendable {
    let branching: Int
    let latency: Duration?
    let limiter: BareSemaphore?

    init(branching: Int, latency: Duration?, cap: Int?) {
        self.branching = branching
        self.latency = latency
        self.limiter = cap.map(BareSemaphore.init(permits:))
    }

    @concurrent
    func parallelSum(_ range: Range<Int>) async throws -> Int {
        if range.count <= 1 { return try await leaf(range) }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for part in split(range, into: branching) {
                group.addTask { try await self.parallelSum(part) }
            }
            var total = 0
            for try await answer in group { total &+= answer }
            return total
        }
    }

    @concurrent
    func sequentialSum(_ range: Range<Int>) async throws -> Int {
        if range.count <= 1 { return try await leaf(range) }
        var total = 0
        for part in split(range, into: branching) { total &+= try await sequentialSum(part) }
        return total
    }

    @concurrent
    func periodicSum(_ window: PeriodicWindow, period: Int) async throws -> Int {
        if window.count <= 1 { return window.count == 1 ? window.start : 0 }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for part in split(0..<window.count, into: branching) {
                let child = PeriodicWindow(start: (window.start + part.lowerBound) % period, count: part.count)
                group.addTask { try await self.periodicSum(child, period: period) }
            }
            var total = 0
            for try await answer in group { total &+= answer }
            return total
        }
    }

    private func leaf(_ range: Range<Int>) async throws -> Int {
        if let limiter { await limiter.acquire() }
        defer { limiter?.release() }
        if let latency { try await Task.sleep(for: latency) }
        return range.first ?? 0
    }
}

/// A minimal FIFO semaphore for the floor's cap on leaf calls.
final class BareSemaphore: Sendable {
    private struct State {
        var permits: Int
        var waiters: [UnsafeContinuation<Void, Never>] = []
        var head = 0
    }

    private let state: Mutex<State>

    init(permits: Int) {
        state = Mutex(State(permits: permits))
    }

    func acquire() async {
        let acquired = state.withLock { state -> Bool in
            guard state.permits > 0 else { return false }
            state.permits -= 1
            return true
        }
        if acquired { return }
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.permits > 0 {
                    state.permits -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func release() {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            guard state.head < state.waiters.count else {
                state.permits += 1
                return nil
            }
            let waiter = state.waiters[state.head]
            state.head += 1
            if state.head >= 1_024 && state.head * 2 >= state.waiters.count {
                state.waiters.removeFirst(state.head)
                state.head = 0
            }
            return waiter
        }
        waiter?.resume()
    }
}
