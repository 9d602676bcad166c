/// A type that chooses the questions of each round of the amplification loop.
///
/// A curriculum may depend on the round and on the last evaluation of the student, for example to draw
/// harder questions once the easier ones are mastered.
///
/// - Important: A loop that stores its progress resumes by drawing the interrupted round again. Draw
///   the same questions for the same round and evaluation (seed a generator with the round, rather than
///   advancing one generator across rounds), or a resumed loop differs from an uninterrupted one.
public protocol Curriculum<Question>: Sendable {
    /// The type of the questions.
    associatedtype Question: Sendable

    /// Returns the questions of a round.
    ///
    /// - Parameters:
    ///   - round: The round, counted from 0.
    ///   - lastEvaluation: The evaluation of the student after the previous round; `nil` in round 0 or when
    ///     the loop has no evaluator.
    /// - Returns: The questions that Amp(H, X) answers in this round.
    func questions(forRound round: Int, after lastEvaluation: StudentEvaluation?) async throws -> [Question]
}

/// A curriculum backed by a closure.
///
/// ```swift
/// let curriculum = ClosureCurriculum<Int> { round, _ in
///     var generator = SeededGenerator(seed: UInt64(round))
///     return (0..<100).map { _ in Int.random(in: 0..<64, using: &generator) }
/// }
/// ```
public struct ClosureCurriculum<Question: Sendable>: Curriculum {
    private let body: @Sendable (Int, StudentEvaluation?) async throws -> [Question]

    /// Creates a curriculum that calls a closure with the round and the last evaluation.
    ///
    /// - Parameter body: Returns the questions of a round.
    public init(_ body: @escaping @Sendable (_ round: Int, _ lastEvaluation: StudentEvaluation?) async throws -> [Question]) {
        self.body = body
    }

    /// Returns the closure's questions for a round.
    ///
    /// - Parameters:
    ///   - round: The round, counted from 0.
    ///   - lastEvaluation: The evaluation after the previous round, if any.
    public func questions(forRound round: Int, after lastEvaluation: StudentEvaluation?) async throws -> [Question] {
        try await body(round, lastEvaluation)
    }
}
