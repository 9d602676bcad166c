/// An evaluator that asks the student held-out questions and grades its answers against an oracle.
///
/// The oracle lives here, outside the loop: the loop only ever sees the resulting ``StudentEvaluation``.
///
/// ```swift
/// let evaluator = OracleEvaluator<MemoryStudent>(
///     questions: heldOut, difficulty: { $0.bitWidth }, oracle: { exactAnswer(to: $0) })
/// ```
public struct OracleEvaluator<Student: Assistant>: StudentEvaluator where Student.Answer: Equatable {
    /// The held-out questions.
    public var questions: [Student.Question]
    private let difficulty: @Sendable (Student.Question) -> Int
    private let oracle: @Sendable (Student.Question) -> Student.Answer

    /// Creates an evaluator over held-out questions.
    ///
    /// - Parameters:
    ///   - questions: The held-out questions, asked in order.
    ///   - difficulty: The difficulty of a question, by which accuracy is tallied.
    ///   - oracle: The correct answer to a question.
    public init(
        questions: [Student.Question],
        difficulty: @escaping @Sendable (Student.Question) -> Int,
        oracle: @escaping @Sendable (Student.Question) -> Student.Answer
    ) {
        self.questions = questions
        self.difficulty = difficulty
        self.oracle = oracle
    }

    /// Returns the student's accuracy on the held-out questions, by difficulty.
    ///
    /// An answer that throws counts as wrong; cancellation is passed on.
    ///
    /// - Parameters:
    ///   - student: The student.
    ///   - round: The round that distilled it (unused).
    public func evaluate(_ student: Student, afterRound round: Int) async throws -> StudentEvaluation {
        var evaluation = StudentEvaluation()
        for question in questions {
            try Task.checkCancellation()
            let answer = try? await student.answer(question)
            evaluation.record(difficulty: difficulty(question), correct: answer == oracle(question))
        }
        return evaluation
    }
}
