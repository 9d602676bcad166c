import BenchmarkSupport
import Foundation
import Synchronization

/// The fresh-world run's progress, shared by the runs in flight: on a terminal, a status line (the runs in flight,
/// each with its arm, step and last held-out accuracy, and the time left); otherwise a plain line at every
/// measurement, naming its run.
final class FreshProgress: Sendable {
    private struct State {
        let line: ProgressLine
        var doneWork = 0.0
        var lastDrawn = Date.distantPast
        /// The runs in flight, in the order they began: each one's arm and step, and its last held-out accuracy.
        var inFlight: [(name: String, status: String, accuracy: String?)] = []
    }
    private let state: Mutex<State>
    private let totalWork: Double
    private let start = Date()

    /// - Parameters:
    ///   - runs: The world size, the training steps per arm and the model's layers (encoder and decoder) of every
    ///     run planned.
    ///   - humanModel: Whether every run has the third arm, with a learned model of H.
    init(runs: [(size: Int, steps: Int, layers: Int)], humanModel: Bool = false) {
        let perStep = { (size: Int, layers: Int) in
            Self.work(size: size, layers: layers)
                + (humanModel ? Self.work(size: size, layers: layers, arm: .humanModel) : 0)
        }
        totalWork = max(runs.map { perStep($0.size, $0.layers) * Double($0.steps) }.reduce(0, +), 1)
        state = Mutex(State(line: ProgressLine()))
    }

    /// A rough cost of one step of both arms, for the time left: it grows with the world's size and the model's
    /// layers (2 + 2 is the measure), and an amplification step (H and the teacher answering its subquestions)
    /// costs about twice a supervised one.
    fileprivate static func work(size: Int, layers: Int, arm: FreshArm? = nil) -> Double {
        Double(layers) / 4 * work(size: size, arm: arm)
    }

    private static func work(size: Int, arm: FreshArm?) -> Double {
        switch arm {
        case .supervised: Double(size)
        case .amplification: 2 * Double(size)
        case .humanModel: 6 * Double(size)
        case nil: 3 * Double(size)
        }
    }

    /// Starts a run (the arms of one task at one size with one seed); its progress reports through the handle.
    func begin(task: String, size: Int, seed: UInt64, steps: Int, layers: Int) -> FreshRunProgress {
        let name = "\(task) size \(size) seed \(seed)"
        state.withLock { $0.inFlight.append((name, "starting", nil)) }
        return FreshRunProgress(progress: self, name: name, size: size, steps: steps, layers: layers)
    }

    /// Ends a run: prints its finished line (above the status line on a terminal).
    func end(_ run: FreshRunProgress, summary: String) {
        state.withLock { state in
            state.inFlight.removeAll { $0.name == run.name }
            state.line.log(summary)
        }
    }

    /// Prints a finished line (above the status line on a terminal).
    func log(_ text: String) { state.withLock { $0.line.log(text) } }

    /// Clears the status line.
    func finish() { state.withLock { $0.line.finish() } }

    fileprivate func report(
        _ run: FreshRunProgress, work: Double, status: String, accuracy: Double?, measurement: String?
    ) {
        state.withLock { state in
            state.doneWork += work
            if let index = state.inFlight.firstIndex(where: { $0.name == run.name }) {
                state.inFlight[index].status = status
                if let accuracy { state.inFlight[index].accuracy = "held-out \(percent(accuracy))" }
            }
            let elapsed = Date().timeIntervalSince(start)
            let timeLeft = elapsed / state.doneWork * max(totalWork - state.doneWork, 0)
            if state.line.isTerminal {
                guard measurement != nil || Date().timeIntervalSince(state.lastDrawn) >= 0.25 else { return }
                state.lastDrawn = Date()
                state.line.update(
                    state.inFlight.map {
                        ([$0.name, $0.status] + ($0.accuracy.map { [$0] } ?? [])).joined(separator: " · ")
                    }
                    .joined(separator: " | ")
                        + " · \(readableDuration(elapsed)) elapsed, about \(readableDuration(timeLeft)) left")
            } else if let measurement {
                state.line.log("   \(run.name) \(measurement), about \(readableDuration(timeLeft)) left")
            }
        }
    }
}

/// One run's progress reports.
struct FreshRunProgress: Sendable {
    let progress: FreshProgress
    let name: String
    let size: Int
    let steps: Int
    /// The model's layers, encoder and decoder together.
    let layers: Int

    /// A training step finished without a measurement.
    func stepped(arm: FreshArm, step: Int) {
        progress.report(
            self, work: FreshProgress.work(size: size, layers: layers, arm: arm),
            status: "\(arm.rawValue) step \(step)/\(steps)", accuracy: nil, measurement: nil)
    }

    /// A training step finished and held-out accuracy was measured.
    func measured(
        arm: FreshArm, step: Int, accuracy: Double, level: Int, targetAccuracy: [DifficultyAccuracy]? = nil,
        humanModel: (reproduced: Double?, agreement: Double?, transcripts: Int)? = nil
    ) {
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
        progress.report(
            self, work: FreshProgress.work(size: size, layers: layers, arm: arm),
            status: "\(arm.rawValue) step \(step)/\(steps)", accuracy: accuracy,
            measurement: "\(arm.rawValue) step \(step)/\(steps): held-out \(percent(accuracy)), curriculum level "
                + "\(level)\(targets)\(learned)")
    }
}
