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
    /// Whether each round of both arms trained on every question of the world.
    var trainingQuestionsAreTheWorld: Bool
    /// Whether the evaluation questions are every question of the world (then nothing is held out when the
    /// training questions are the world too) rather than a sample from a stream never used for training.
    var evaluationQuestionsAreTheWorld: Bool
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

// A missing horizon is written as null rather than left out, so every round has the same keys.
extension AmplificationRound {
    enum CodingKeys: String, CodingKey {
        case accuracy, horizon, overseerCalls, overseerCallsThisRound, assistantCalls, labels, demonstrations
        case byDifficulty
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(horizon, forKey: .horizon)
        try container.encode(overseerCalls, forKey: .overseerCalls)
        try container.encode(overseerCallsThisRound, forKey: .overseerCallsThisRound)
        try container.encode(assistantCalls, forKey: .assistantCalls)
        try container.encode(labels, forKey: .labels)
        try container.encode(demonstrations, forKey: .demonstrations)
        try container.encode(byDifficulty, forKey: .byDifficulty)
    }
}

extension SupervisedRound {
    enum CodingKeys: String, CodingKey { case accuracy, horizon, labels, byDifficulty }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(horizon, forKey: .horizon)
        try container.encode(labels, forKey: .labels)
        try container.encode(byDifficulty, forKey: .byDifficulty)
    }
}

extension FinalResult {
    enum CodingKeys: String, CodingKey {
        case amplificationAccuracy, supervisedAccuracy, amplificationHorizon, supervisedHorizon
        case amplificationHorizonNeverFell, amplificationReachedHighestDifficulty
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(amplificationAccuracy, forKey: .amplificationAccuracy)
        try container.encode(supervisedAccuracy, forKey: .supervisedAccuracy)
        try container.encode(amplificationHorizon, forKey: .amplificationHorizon)
        try container.encode(supervisedHorizon, forKey: .supervisedHorizon)
        try container.encode(amplificationHorizonNeverFell, forKey: .amplificationHorizonNeverFell)
        try container.encode(amplificationReachedHighestDifficulty, forKey: .amplificationReachedHighestDifficulty)
    }
}
