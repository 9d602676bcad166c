import AmplificationTasks
import Foundation
import IteratedAmplification
import Synchronization

/// The accuracy a difficulty needs to count toward the horizon.
let horizonThreshold = 0.95

/// Runs both arms of one task with one learner and returns the results.
///
/// - Parameters:
///   - world: The task's world; its oracle reaches the amplification arm only through the evaluator.
///   - distiller: The learner.
///   - untrained: The learner's untrained student, X_0 of both arms.
func runExperiment<Task: AlgorithmicTask, Learner: Distiller>(
    world: Task,
    distiller: Learner,
    untrained: Learner.Student,
    learnerName: String,
    options: BenchOptions
) async throws -> TaskResult
where Learner.Question == Task.Question, Learner.Answer == Task.Answer, Learner.Student.Answer: Equatable {
    let start = ContinuousClock.now
    let difficulties = world.difficulties
    let rounds = options.rounds ?? (2 * difficulties.count + 2)
    let perRound = options.effectiveQuestionsPerRound
    let seed = options.seed
    let everyQuestion = world.questions

    // The evaluation questions. With `all`, every question of the world: when the training questions are the
    // whole world too, nothing is held out, and the accuracy says how much of the world the student answers
    // correctly (the amplification arm's training answers came from Amp(H, X), never from the oracle).
    // Otherwise a sample per difficulty from its own generator stream, never used for training.
    var heldOut: [Task.Question] = []
    switch options.effectiveEvaluationQuestions {
    case .all:
        heldOut = everyQuestion
    case .count(let count):
        var evaluationGenerator = SeededRandomNumberGenerator(seed: seed, stream: 1_000)
        for difficulty in difficulties {
            heldOut += try world.sampleQuestions(count: count, ofDifficulty: difficulty, using: &evaluationGenerator)
        }
    }
    // The training questions of one round of either arm: the whole world, or a random draw from a stream.
    @Sendable func trainingQuestions(stream: UInt64, hardest: Int) throws -> [Task.Question] {
        switch perRound {
        case .all:
            return everyQuestion
        case .count(let count):
            var generator = SeededRandomNumberGenerator(seed: seed, stream: stream)
            return try (0..<count).map { _ in
                try world.sampleQuestion(difficultyIn: difficulties.lowerBound...hardest, using: &generator)
            }
        }
    }
    // One evaluator per arm, each with its own count of oracle calls: the amplification arm's count, less the
    // evaluator's one call per held-out question and round, is the ground truth its training used.
    let amplificationOracleCalls = CallCounter()
    let supervisedOracleCalls = CallCounter()
    func evaluator(counting calls: CallCounter) -> OracleEvaluator<Learner.Student> {
        OracleEvaluator<Learner.Student>(
            questions: heldOut, difficulty: { world.difficulty(of: $0) ?? -1 },
            oracle: { question in
                calls.increment()
                return world.correctAnswer(to: question)
            })
    }

    var configuration = AmplificationLoopConfiguration(rounds: rounds)
    configuration.maximumConcurrentQuestions = 8

    // Amplification: H is the task's expert, and nothing here reaches the oracle but the evaluator. Every
    // question of the world in every round (the default of the full run) shows the student each question H will
    // ask it, at every difficulty, and Amp(H, X) answers "unknown" beyond its reach, which the student learns
    // too. With a number of questions per round, the uniform curriculum draws from every difficulty, as the
    // supervised arm does, so the student also learns to say "unknown" beyond its horizon, which keeps H's
    // candidate checks sound; the adaptive one draws up to one difficulty past the student's horizon (at 90%).
    let adaptive = options.curriculum == .adaptive
    let amplification = AmplificationLoop(
        supervisor: world.expert, distiller: distiller, initialStudent: untrained,
        curriculum: ClosureCurriculum<Task.Question> { round, lastEvaluation in
            let reached = lastEvaluation?.horizon(threshold: 0.9) ?? (difficulties.lowerBound - 1)
            let hardest =
                adaptive
                ? min(difficulties.upperBound, max(difficulties.lowerBound, reached + 1)) : difficulties.upperBound
            return try trainingQuestions(stream: UInt64(round), hardest: hardest)
        },
        evaluator: evaluator(counting: amplificationOracleCalls), configuration: configuration)

    // Supervised: the same learner and number of questions, drawn from every difficulty and labelled by the
    // oracle, which plays the supervisor and so is counted as H calls (labels).
    let supervised = AmplificationLoop(
        supervisor: ClosureSupervisor<Task.Question, Task.Answer> { question, _ in world.correctAnswer(to: question) },
        distiller: distiller, initialStudent: untrained,
        curriculum: ClosureCurriculum<Task.Question> { round, _ in
            try trainingQuestions(stream: 500 + UInt64(round), hardest: difficulties.upperBound)
        },
        evaluator: evaluator(counting: supervisedOracleCalls), configuration: configuration)

    async let amplified = amplification.run()
    async let labelled = supervised.run()
    let (amplificationReports, supervisedReports) = try await (amplified, labelled)

    let trainingLabels = amplificationOracleCalls.count - amplificationReports.count * heldOut.count
    guard trainingLabels == 0 else {
        throw BenchError(
            "the amplification arm of \(Task.name) consulted the oracle \(trainingLabels) times outside evaluation")
    }
    var results: [RoundResult] = []
    var overseerCalls = 0
    var assistantCalls = 0
    var labels = 0
    for (amplified, labelled) in zip(amplificationReports, supervisedReports) {
        overseerCalls += amplified.supervisorCalls
        assistantCalls += amplified.assistantCalls
        labels += labelled.supervisorCalls
        let amplifiedEvaluation = amplified.evaluation ?? StudentEvaluation()
        let labelledEvaluation = labelled.evaluation ?? StudentEvaluation()
        results.append(
            RoundResult(
                round: amplified.round,
                amplification: AmplificationRound(
                    accuracy: amplifiedEvaluation.accuracy,
                    horizon: amplifiedEvaluation.horizon(threshold: horizonThreshold),
                    overseerCalls: overseerCalls, overseerCallsThisRound: amplified.supervisorCalls,
                    assistantCalls: assistantCalls, labels: trainingLabels, demonstrations: amplified.demonstrations,
                    byDifficulty: amplifiedEvaluation.byDifficulty),
                supervised: SupervisedRound(
                    accuracy: labelledEvaluation.accuracy,
                    horizon: labelledEvaluation.horizon(threshold: horizonThreshold),
                    labels: labels, byDifficulty: labelledEvaluation.byDifficulty)))
    }
    let horizons = results.map { $0.amplification.horizon ?? Int.min }
    let elapsed = ContinuousClock.now - start
    return TaskResult(
        task: Task.name, size: world.size, learner: learnerName, seed: seed,
        lowestDifficulty: difficulties.lowerBound, highestDifficulty: difficulties.upperBound,
        questionsPerRound: perRound.resolved(world: everyQuestion.count),
        trainingQuestionsAreTheWorld: perRound == .all,
        evaluationQuestionsAreTheWorld: options.effectiveEvaluationQuestions == .all,
        evaluationQuestions: heldOut.count, rounds: results,
        final: FinalResult(
            amplificationAccuracy: results.last?.amplification.accuracy ?? 0,
            supervisedAccuracy: results.last?.supervised.accuracy ?? 0,
            amplificationHorizon: results.last?.amplification.horizon,
            supervisedHorizon: results.last?.supervised.horizon,
            amplificationHorizonNeverFell: zip(horizons, horizons.dropFirst()).allSatisfy { $0 <= $1 },
            amplificationReachedHighestDifficulty: results.last?.amplification.horizon == difficulties.upperBound),
        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

/// A count of calls, shared by the closures that make them.
final class CallCounter: Sendable {
    private let calls = Mutex(0)

    func increment() { calls.withLock { $0 += 1 } }

    var count: Int { calls.withLock { $0 } }
}
