import IteratedAmplification

/// The results of one task, as printed and as written by `--json`.
struct TaskResult: Codable {
    var task: String
    var size: Int
    var learner: String
    var seed: UInt64
    var lowestDifficulty: Int
    var highestDifficulty: Int
    var questionsPerRound: Int
    var evaluationQuestions: Int
    var rounds: [RoundResult]
    var final: FinalResult
    var seconds: Double
}

/// One round of both arms.
struct RoundResult: Codable {
    var round: Int
    var amplification: AmplificationRound
    var supervised: SupervisedRound
}

/// One round of the amplification arm: the learner saw only Amp(H, X)'s answers.
struct AmplificationRound: Codable {
    var accuracy: Double
    var horizon: Int?
    /// H calls so far, over all rounds.
    var overseerCalls: Int
    /// H calls of this round.
    var overseerCallsThisRound: Int
    /// Student calls made by Amp(H, X) so far.
    var assistantCalls: Int
    /// Ground-truth labels used for training so far: none, by construction.
    var labels: Int
    var demonstrations: Int
    var byDifficulty: [DifficultyAccuracy]
}

/// One round of the supervised arm: the same learner on oracle labels.
struct SupervisedRound: Codable {
    var accuracy: Double
    var horizon: Int?
    /// Ground-truth labels used for training so far.
    var labels: Int
    var byDifficulty: [DifficultyAccuracy]
}

/// Held-out accuracy at one difficulty.
struct DifficultyAccuracy: Codable {
    var difficulty: Int
    var accuracy: Double
    var questions: Int
}

/// The outcome of the last round, and whether the amplification arm's horizon only grew.
struct FinalResult: Codable {
    var amplificationAccuracy: Double
    var supervisedAccuracy: Double
    var amplificationHorizon: Int?
    var supervisedHorizon: Int?
    var amplificationHorizonNeverFell: Bool
    var amplificationReachedHighestDifficulty: Bool
}

/// What ida-bench writes with `--json`.
struct BenchResults: Codable {
    var tasks: [TaskResult]
    var command: String
    var quick: Bool
}

extension StudentEvaluation {
    var byDifficulty: [DifficultyAccuracy] {
        tallies.map { DifficultyAccuracy(difficulty: $0.difficulty, accuracy: $0.accuracy, questions: $0.total) }
    }
}
