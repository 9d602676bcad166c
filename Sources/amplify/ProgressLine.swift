import Foundation
import Synchronization

/// A live status line on standard error while a model-backed run goes on: nodes finished, model calls in flight,
/// tokens, elapsed time. Drawn only when standard error is a terminal, and at most ten times a second; cleared
/// when the run ends, so that what follows is written on a clean line.
final class ProgressLine: Sendable {
    private struct State {
        var nodesFinished = 0
        var callsInFlight = 0
        var calls = 0
        var tokens = 0
        var lastDrawn: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let start = ContinuousClock.now
    let isDrawn = isatty(STDERR_FILENO) == 1

    func nodeFinished() { update { $0.nodesFinished += 1 } }
    func callStarted() {
        update {
            $0.callsInFlight += 1
            $0.calls += 1
        }
    }
    func callEnded(tokens: Int) {
        update {
            $0.callsInFlight = max(0, $0.callsInFlight - 1)
            $0.tokens += tokens
        }
    }

    /// The figures as one line.
    var summary: String {
        state.withLock { state in
            let elapsed = (ContinuousClock.now - start).secondsValue
            return "\(state.nodesFinished) nodes · \(state.calls) model calls (\(state.callsInFlight) in flight) · "
                + "\(state.tokens) tokens · \(String(format: "%.1f", elapsed)) s"
        }
    }

    /// Removes the line.
    func clear() {
        guard isDrawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func update(_ change: (inout State) -> Void) {
        let now = ContinuousClock.now
        let draws = state.withLock { state -> Bool in
            change(&state)
            guard isDrawn else { return false }
            if let last = state.lastDrawn, now - last < .milliseconds(100) { return false }
            state.lastDrawn = now
            return true
        }
        if draws { FileHandle.standardError.write(Data("\r\u{1B}[K\(summary)".utf8)) }
    }
}
