import Synchronization

/// A counting semaphore for async code: FIFO, and a cancelled waiter leaves the queue at once.
@usableFromInline
final class AsyncSemaphore: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: UnsafeContinuation<Void, any Error>
    }

    private struct State {
        var permits: Int
        var waiters: [Waiter] = []
        var head = 0
        var nextID: UInt64 = 0

        var hasWaiters: Bool { head < waiters.count }

        mutating func popFirst() -> Waiter? {
            guard head < waiters.count else { return nil }
            let waiter = waiters[head]
            head += 1
            if head >= 1_024 && head * 2 >= waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
            return waiter
        }

        mutating func remove(id: UInt64) -> Waiter? {
            guard let index = waiters[head...].firstIndex(where: { $0.id == id }) else { return nil }
            return waiters.remove(at: index)
        }
    }

    private let state: Mutex<State>

    @usableFromInline
    init(permits: Int) {
        state = Mutex(State(permits: permits))
    }

    /// Waits for a permit, in arrival order.
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled; it then holds no permit.
    @usableFromInline
    func acquire() async throws {
        let acquired = state.withLock { state -> Bool in
            guard state.permits > 0, !state.hasWaiters else { return false }
            state.permits -= 1
            return true
        }
        if acquired { return }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Bool? in
                    if Task.isCancelled { return false }
                    if state.permits > 0 && !state.hasWaiters {
                        state.permits -= 1
                        return true
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                switch outcome {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.remove(id: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// The number of tasks waiting for a permit.
    var waiterCount: Int { state.withLock { $0.waiters.count - $0.head } }

    /// Returns a permit, handing it to the longest waiter if there is one.
    @usableFromInline
    func release() {
        let waiter = state.withLock { state -> Waiter? in
            if let waiter = state.popFirst() { return waiter }
            state.permits += 1
            return nil
        }
        waiter?.continuation.resume()
    }
}
