/// A type that trains a new assistant to imitate demonstrations of the amplified system.
///
/// Distillation is the step that turns Amp(H, X) back into a fast assistant X'. A distiller receives the
/// demonstrations that a round of amplification produced and returns the student.
public protocol Distiller<Question, Answer>: Sendable {
    /// The type of the questions in the demonstrations.
    associatedtype Question: Sendable
    /// The type of the answers in the demonstrations.
    associatedtype Answer: Sendable
    /// The assistant this distiller produces.
    associatedtype Student: Assistant where Student.Question == Question, Student.Answer == Answer

    /// Returns a student trained on demonstrations.
    ///
    /// - Parameters:
    ///   - demonstrations: The training data: questions with the amplified system's answers.
    ///   - previous: The student of the previous round, which a learner may continue training; `nil` at first.
    /// - Returns: The new student.
    func distill(
        _ demonstrations: [Demonstration<Question, Answer>],
        continuing previous: Student?
    ) async throws -> Student
}

extension Distiller {
    /// Returns a student trained from scratch on demonstrations.
    ///
    /// - Parameter demonstrations: The training data.
    /// - Returns: The new student.
    public func distill(_ demonstrations: [Demonstration<Question, Answer>]) async throws -> Student {
        try await distill(demonstrations, continuing: nil)
    }
}
