import Foundation
import IteratedAmplification
import Synchronization

/// `amplify _loop-fixture`: a hidden subcommand that runs a small, deterministic amplification loop in a
/// directory, so that tests can kill it in a subprocess and check that it resumes exactly.
///
/// The task: the number of 1 bits of n in 0..<64. H knows that 0 and 1 have n bits, and otherwise asks for
/// the bits of n >> 1 and adds n & 1; the student is an exact memory. The curriculum draws, without
/// replacement, from numbers of up to two bits more than the last horizon, seeded by the round.
///
/// ```
/// amplify _loop-fixture --directory DIR [--rounds 6] [--seed 1] [--concurrency 4] [--depth 1]
///                       [--pause-round R --pause-question Q]
/// ```
/// Prints one line per report (`round K demonstrations N horizon H`) and `resumed ...` first. With
/// `--pause-round`, the root of question Q (0-based) of round R prints `paused` and waits forever, so a
/// test can kill the process at that point of the round.
func runLoopFixture(_ options: CommandLineOptions) async throws {
    guard let directory = options.string("directory") else { throw CommandLineError("--directory is required") }
    let rounds = try options.integer("rounds", default: 6)
    let seed = UInt64(try options.integer("seed", default: 1))
    let pauseRound = try options.integer("pause-round", default: -1)
    let pauseQuestion = try options.integer("pause-question", default: 0)

    // A struct, not a tuple, so that the thread sanitizer's suppression of `Mutex.withLock` bodies (see
    // .ci/tsan-suppressions.txt) matches this lock's closures too: a tuple's closure mangles differently.
    let progress = Mutex(FixtureProgress())
    let curriculum = ClosureCurriculum<Int> { round, lastEvaluation in
        progress.withLock { $0 = FixtureProgress(round: round) }
        let bits = min(6, (lastEvaluation?.horizon() ?? 0) + 2)
        var generator = FixtureGenerator(seed: seed &* 1_000_003 &+ UInt64(round))
        return Array(Array(0..<(1 << bits)).shuffled(using: &generator).prefix(16))
    }
    let supervisor = ClosureSupervisor<Int, Int?> { number, consultation in
        if consultation.depth == 0 {
            let (round, index) = progress.withLock { state in
                defer { state.rootsStarted += 1 }
                return (state.round, state.rootsStarted)
            }
            if round == pauseRound, index == pauseQuestion {
                FileHandle.standardOutput.write(Data("paused\n".utf8))
                try await Task.sleep(for: .seconds(86_400))
            }
        }
        if number <= 1 { return number }
        guard let rest = try await consultation.ask(number >> 1) else { return nil }
        return rest + (number & 1)
    }
    let distiller = ClosureDistiller<FixtureMemory> { demonstrations, previous in
        var table = previous?.table ?? [:]
        for demonstration in demonstrations {
            if let answer = demonstration.answer { table[demonstration.question] = answer }
        }
        return FixtureMemory(table: table)
    }
    let evaluator = OracleEvaluator<FixtureMemory>(
        questions: Array(0..<64), difficulty: { $0 == 0 ? 0 : Int.bitWidth - $0.leadingZeroBitCount },
        oracle: { $0.nonzeroBitCount })
    var configuration = AmplificationLoopConfiguration(rounds: rounds)
    configuration.depth = try options.integer("depth", default: 1)
    configuration.maximumConcurrentQuestions = try options.integer("concurrency", default: 4)
    let loop = AmplificationLoop(
        supervisor: supervisor, distiller: distiller, initialStudent: FixtureMemory(table: [:]),
        curriculum: curriculum, evaluator: evaluator, configuration: configuration)

    try await loop.run(storingIn: URL(fileURLWithPath: directory)) { session in
        let resumption = session.resumption
        writeLine(
            "resumed \(resumption.nextRound) rounds, discarded \(resumption.discardedDemonstrationLines) lines "
                + "(\(resumption.discardedDemonstrationBytes) bytes)"
                + (resumption.discardedReportTail.map { " and a cut-off report (\($0))" } ?? ""))
        for try await report in session.reports {
            writeLine(
                "round \(report.round) demonstrations \(report.demonstrations) "
                    + "horizon \(report.evaluation?.horizon().map(String.init) ?? "none")")
        }
    }
}

/// Writes a line to standard output at once, unbuffered, so a test reading the pipe sees it before a kill.
private func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The fixture's student: an exact memory of the demonstrations it was distilled on.
struct FixtureMemory: Assistant {
    let table: [Int: Int]

    func answer(_ question: Int) async throws -> Int? { table[question] }
}

/// SeededRandomNumberGenerator: a small seeded generator, so the fixture's draws depend on the seed alone.
struct FixtureGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Which round the fixture's loop is in, and how many of its roots have started.
struct FixtureProgress: Sendable {
    var round = -1
    var rootsStarted = 0
}
