import BenchmarkSupport
import Foundation

/// The fresh-world run's progress: on a terminal, a status line (task, size, seed, arm, step, the last held-out
/// accuracy, time left); otherwise a plain line at every measurement.
final class FreshProgress {
    private let line: ProgressLine
    private let totalSteps: Int
    private var doneSteps = 0
    private let start = Date()
    private var lastDrawn = Date.distantPast
    private var run = ""
    private var steps = 0
    private var lastAccuracy: Double?

    /// - Parameter totalSteps: The training steps of every arm of every run planned.
    init(totalSteps: Int, line: ProgressLine = ProgressLine()) {
        self.totalSteps = max(totalSteps, 1)
        self.line = line
    }

    /// Starts a run (both arms of one task at one size with one seed).
    func begin(task: String, size: Int, seed: UInt64, steps: Int) {
        run = "\(task) size \(size) seed \(seed)"
        self.steps = steps
        lastAccuracy = nil
    }

    /// A training step finished without a measurement.
    func stepped(arm: String, step: Int) {
        doneSteps += 1
        guard line.isTerminal, Date().timeIntervalSince(lastDrawn) >= 0.25 else { return }
        draw(arm: arm, step: step)
    }

    /// A training step finished and held-out accuracy was measured.
    func measured(arm: String, step: Int, accuracy: Double, level: Int) {
        doneSteps += 1
        lastAccuracy = accuracy
        if line.isTerminal {
            draw(arm: arm, step: step)
        } else {
            line.log(
                "   \(run) \(arm) step \(step)/\(steps): held-out \(percent(accuracy)), curriculum level \(level), "
                    + "about \(readableDuration(timeLeft)) left")
        }
    }

    /// Prints a finished line (above the status line on a terminal).
    func log(_ text: String) { line.log(text) }

    /// Clears the status line.
    func finish() { line.finish() }

    private var elapsed: Double { Date().timeIntervalSince(start) }
    private var timeLeft: Double {
        doneSteps == 0 ? 0 : elapsed / Double(doneSteps) * Double(max(totalSteps - doneSteps, 0))
    }

    private func draw(arm: String, step: Int) {
        lastDrawn = Date()
        let accuracy = lastAccuracy.map { "held-out \(percent($0))" } ?? "held-out not measured yet"
        line.update(
            "\(run) · \(arm) step \(step)/\(steps) · \(accuracy) · \(readableDuration(elapsed)) elapsed, about "
                + "\(readableDuration(timeLeft)) left")
    }
}
