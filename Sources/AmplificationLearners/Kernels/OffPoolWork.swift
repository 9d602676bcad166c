import Dispatch
import Synchronization

/// Runs CPU-bound work on a Dispatch thread and awaits its result, so that a training run of minutes does not
/// hold one of the cooperative pool's few threads (on a two-core machine, one of two: every other task's
/// timers and continuations would wait behind it).
///
/// The caller awaits the result, so the work is scoped to the call as a child task would be. Cancelling the
/// awaiting task sets a flag; `work` receives a check that throws `CancellationError` once it is set.
func runOffCooperativePool<Result: Sendable>(
    _ work: @escaping @Sendable (_ checkCancellation: () throws -> Void) throws -> Result
) async throws -> Result {
    let cancelled = CancellationFlag()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(
                    with: Swift.Result {
                        try work {
                            if cancelled.isSet { throw CancellationError() }
                        }
                    }
                )
            }
        }
    } onCancel: {
        cancelled.set()
    }
}

/// A flag that one thread sets and another reads.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() { value.store(true, ordering: .relaxed) }
}
