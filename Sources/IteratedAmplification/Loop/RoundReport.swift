/// What one round of the amplification loop did: its questions, what Amp(H, X) spent on them, the
/// demonstrations it produced, and the evaluation of the student it distilled.
public struct RoundReport: Hashable, Codable, Sendable {
    /// The round, counted from 0.
    public var round: Int
    /// How many questions the curriculum drew.
    public var questions: Int
    /// How many questions Amp(H, X) failed on and the round skipped.
    public var failedQuestions: Int
    /// How many demonstrations the round produced.
    public var demonstrations: Int
    /// How many demonstrations the student was distilled on.
    public var trainingDemonstrations: Int
    /// What the engine runs of the round spent, summed over the questions.
    public var statistics: RunStatistics
    /// The evaluation of the student the round distilled, or `nil` without an evaluator.
    public var evaluation: StudentEvaluation?
    /// The round's wall-clock time in seconds.
    public var seconds: Double
    /// Where the round's data ends in its directory, or `nil` for a loop that stores nothing.
    public var checkpoint: LoopCheckpoint?

    /// Creates a report.
    public init(
        round: Int,
        questions: Int,
        failedQuestions: Int = 0,
        demonstrations: Int,
        trainingDemonstrations: Int,
        statistics: RunStatistics,
        evaluation: StudentEvaluation? = nil,
        seconds: Double = 0,
        checkpoint: LoopCheckpoint? = nil
    ) {
        self.round = round
        self.questions = questions
        self.failedQuestions = failedQuestions
        self.demonstrations = demonstrations
        self.trainingDemonstrations = trainingDemonstrations
        self.statistics = statistics
        self.evaluation = evaluation
        self.seconds = seconds
        self.checkpoint = checkpoint
    }

    /// The supervisor (H) calls of the round.
    public var supervisorCalls: Int { statistics.supervisorCalls }
    /// The assistant (student) calls of the round.
    public var assistantCalls: Int { statistics.assistantCalls }
}

/// Where a completed round's data ends in a loop directory: what a resumed loop keeps.
public struct LoopCheckpoint: Hashable, Codable, Sendable {
    /// The size of the demonstrations file at the end of the round, in bytes.
    public var demonstrationBytes: Int
    /// The number of demonstrations in the file at the end of the round, over all rounds.
    public var demonstrationLines: Int

    /// Creates a checkpoint.
    ///
    /// - Parameters:
    ///   - demonstrationBytes: The size of the demonstrations file.
    ///   - demonstrationLines: The number of demonstrations in it.
    public init(demonstrationBytes: Int, demonstrationLines: Int) {
        self.demonstrationBytes = demonstrationBytes
        self.demonstrationLines = demonstrationLines
    }
}

extension RunStatistics {
    /// The sum of two runs' statistics.
    static func + (left: RunStatistics, right: RunStatistics) -> RunStatistics {
        RunStatistics(
            nodes: left.nodes + right.nodes,
            supervisorCalls: left.supervisorCalls + right.supervisorCalls,
            assistantCalls: left.assistantCalls + right.assistantCalls,
            memoizedAnswers: left.memoizedAnswers + right.memoizedAnswers,
            cachedAnswers: left.cachedAnswers + right.cachedAnswers,
            retries: left.retries + right.retries,
            cost: left.cost + right.cost
        )
    }
}
