import Dispatch

/// Runs `body(0..<iterations)` with up to `iterations` threads and returns when every iteration has finished.
///
/// The kernels hand each iteration a disjoint part of their output, through raw pointers that are not
/// `Sendable`. The closure cannot outlive this call (`concurrentPerform` returns only when all iterations have),
/// and no two iterations write the same memory, so sharing it is sound; the compiler cannot see that, hence the
/// `nonisolated(unsafe)`. With one iteration the body runs on the calling thread.
func parallelLoop(iterations: Int, _ body: (Int) -> Void) {
    guard iterations > 1 else {
        if iterations == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: iterations) { body($0) }
    }
}
