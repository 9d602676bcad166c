/// A type that measures a student after each round of the amplification loop.
///
/// The evaluator is where ground truth may live (an oracle, held-out labels): the loop hands it the
/// student and stores what it returns, but never sees the answers it checks against. Evaluations feed
/// the round's ``RoundReport`` and the next round's ``Curriculum``.
public protocol StudentEvaluator<Student>: Sendable {
    /// The type of the student the evaluator measures.
    associatedtype Student: Sendable

    /// Returns an evaluation of the student that a round distilled.
    ///
    /// - Parameters:
    ///   - student: The student X_(k+1) distilled in round k.
    ///   - round: The round k that distilled it.
    func evaluate(_ student: Student, afterRound round: Int) async throws -> StudentEvaluation
}

/// An evaluator backed by a closure.
public struct ClosureStudentEvaluator<Student: Sendable>: StudentEvaluator {
    private let body: @Sendable (Student, Int) async throws -> StudentEvaluation

    /// Creates an evaluator that calls a closure with the student and the round.
    ///
    /// - Parameter body: Returns the evaluation of a student.
    public init(_ body: @escaping @Sendable (_ student: Student, _ round: Int) async throws -> StudentEvaluation) {
        self.body = body
    }

    /// Returns the closure's evaluation of a student.
    ///
    /// - Parameters:
    ///   - student: The student.
    ///   - round: The round that distilled it.
    public func evaluate(_ student: Student, afterRound round: Int) async throws -> StudentEvaluation {
        try await body(student, round)
    }
}
