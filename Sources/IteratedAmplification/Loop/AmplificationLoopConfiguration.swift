/// How an ``AmplificationLoop`` runs: rounds, amplification depth, which demonstrations it keeps, and what
/// it distills on.
public struct AmplificationLoopConfiguration: Sendable {
    /// The number of rounds; a resumed loop runs the rounds it has not completed.
    public var rounds: Int
    /// The depth of the HCH tree that answers each question: 1 is Amp(H, X), where H consults the student
    /// directly; larger depths let copies of H consult copies of H before the student.
    public var depth: Int = 1
    /// Which nodes of each tree become demonstrations: the root only, or every supervisor node.
    public var demonstrationScope: DemonstrationScope = .root
    /// Which demonstrations each distillation trains on.
    public var trainingWindow: TrainingWindow = .latestRound
    /// What happens when Amp(H, X) fails on a question.
    public var questionFailurePolicy: QuestionFailurePolicy = .stopLoop
    /// How many questions of a round are answered at once.
    public var maximumConcurrentQuestions: Int = 8
    /// The engine's configuration for each question; the loop sets its depth and turns tracing on.
    public var engine: HCHConfiguration = HCHConfiguration()

    /// Creates a configuration.
    ///
    /// - Parameter rounds: The number of rounds.
    public init(rounds: Int) {
        self.rounds = rounds
    }

    /// Describes every setting that cannot work; empty when the configuration is valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if rounds < 0 { errors.append("rounds must not be negative, not \(rounds)") }
        if depth < 1 { errors.append("depth must be at least 1, not \(depth)") }
        if maximumConcurrentQuestions < 1 {
            errors.append("maximumConcurrentQuestions must be at least 1, not \(maximumConcurrentQuestions)")
        }
        var engine = engine
        engine.depth = .levels(depth)
        errors += engine.validationErrors().map { "engine: \($0)" }
        return errors
    }

    /// The engine configuration the loop runs each question with.
    var effectiveEngine: HCHConfiguration {
        var engine = engine
        engine.depth = .levels(depth)
        engine.tracing = true
        return engine
    }
}

/// Which demonstrations each distillation of the amplification loop trains on.
public struct TrainingWindow: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable { case latestRound, allRounds }
    let value: Value

    /// The demonstrations of the round just run; the distiller continues the previous student.
    public static let latestRound = TrainingWindow(value: .latestRound)
    /// Every demonstration of every round so far.
    public static let allRounds = TrainingWindow(value: .allRounds)

    /// The window's name.
    public var description: String { value == .latestRound ? "latestRound" : "allRounds" }
}

/// What the amplification loop does when Amp(H, X) fails on a question.
public struct QuestionFailurePolicy: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable { case stopLoop, skipQuestion }
    let value: Value

    /// Stop the loop with ``AmplificationLoopError/Code/questionFailed``; the round is not completed.
    public static let stopLoop = QuestionFailurePolicy(value: .stopLoop)
    /// Leave the question out of the round's demonstrations and count it in ``RoundReport/failedQuestions``.
    public static let skipQuestion = QuestionFailurePolicy(value: .skipQuestion)

    /// The policy's name.
    public var description: String { value == .stopLoop ? "stopLoop" : "skipQuestion" }
}
