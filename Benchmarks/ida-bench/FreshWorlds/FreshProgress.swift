import BenchmarkSupport
import Foundation

/// The fresh-world run's progress: on a terminal, a status line (task, size, seed, arm, step, the last held-out
/// accuracy, time left); otherwise a plain line at every measurement.
final class FreshProgress {
    private let line: ProgressLine
    private let totalWork: Double
    private var doneWork = 0.0
    private var size = 0
    private let start = Date()
    private var lastDrawn = Date.distantPast
    private var run = ""
    private var steps = 0
    private var lastAccuracy: Double?

    /// - Parameters:
    ///   - sizesAndSteps: The world size and the training steps per arm of every run planned.
    ///   - humanModel: Whether every run has the third arm, with a learned model of H.
    init(runs sizesAndSteps: [(size: Int, steps: Int)], humanModel: Bool = false, line: ProgressLine = ProgressLine()) {
        let perStep = { (size: Int) in
            Self.work(size: size) + (humanModel ? Self.work(size: size, arm: .humanModel) : 0)
        }
        totalWork = max(sizesAndSteps.map { perStep($0.size) * Double($0.steps) }.reduce(0, +), 1)
        self.line = line
    }

    /// A rough cost of one step of both arms, for the time left: it grows with the world's size, and an
    /// amplification step (H and the teacher answering its subquestions) costs about twice a supervised one.
    private static func work(size: Int, arm: FreshArm? = nil) -> Double {
        switch arm {
        case .supervised: Double(size)
        case .amplification: 2 * Double(size)
        case .humanModel: 6 * Double(size)
        case nil: 3 * Double(size)
        }
    }

    /// Starts a run (both arms of one task at one size with one seed).
    func begin(task: String, size: Int, seed: UInt64, steps: Int) {
        run = "\(task) size \(size) seed \(seed)"
        self.size = size
        self.steps = steps
        lastAccuracy = nil
    }

    /// A training step finished without a measurement.
    func stepped(arm: FreshArm, step: Int) {
        doneWork += Self.work(size: size, arm: arm)
        guard line.isTerminal, Date().timeIntervalSince(lastDrawn) >= 0.25 else { return }
        draw(arm: arm, step: step)
    }

    /// A training step finished and held-out accuracy was measured.
    func measured(
        arm: FreshArm, step: Int, accuracy: Double, level: Int, targetAccuracy: [DifficultyAccuracy]? = nil,
        humanModel: (reproduced: Double?, agreement: Double?, transcripts: Int)? = nil
    ) {
        doneWork += Self.work(size: size, arm: arm)
        lastAccuracy = accuracy
        if line.isTerminal {
            draw(arm: arm, step: step)
        } else {
            let targets =
                targetAccuracy.map { table in
                    ", targets right by difficulty "
                        + table.map { "\($0.difficulty):\(Int(($0.accuracy * 100).rounded()))" }.joined(separator: " ")
                } ?? ""
            let learned =
                humanModel.map { interval in
                    ", H′ reproduced " + (interval.reproduced.map(percent) ?? "-")
                        + " of \(interval.transcripts) new transcripts and answered as H on "
                        + (interval.agreement.map(percent) ?? "-")
                } ?? ""
            line.log(
                "   \(run) \(arm.rawValue) step \(step)/\(steps): held-out \(percent(accuracy)), curriculum level \(level)"
                    + "\(targets)\(learned), about \(readableDuration(timeLeft)) left")
        }
    }

    /// Prints a finished line (above the status line on a terminal).
    func log(_ text: String) { line.log(text) }

    /// Clears the status line.
    func finish() { line.finish() }

    private var elapsed: Double { Date().timeIntervalSince(start) }
    private var timeLeft: Double {
        doneWork == 0 ? 0 : elapsed / doneWork * max(totalWork - doneWork, 0)
    }

    private func draw(arm: FreshArm, step: Int) {
        lastDrawn = Date()
        let accuracy = lastAccuracy.map { "held-out \(percent($0))" } ?? "held-out not measured yet"
        line.update(
            "\(run) · \(arm.rawValue) step \(step)/\(steps) · \(accuracy) · \(readableDuration(elapsed)) elapsed, about "
                + "\(readableDuration(timeLeft)) left")
    }
}
