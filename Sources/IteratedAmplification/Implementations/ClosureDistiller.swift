/// A distiller backed by a closure.
public struct ClosureDistiller<Student: Assistant>: Distiller {
    /// The question type of the demonstrations.
    public typealias Question = Student.Question
    /// The answer type of the demonstrations.
    public typealias Answer = Student.Answer

    private let body: @Sendable ([Demonstration<Question, Answer>], Student?) async throws -> Student

    /// Creates a distiller that trains students with a closure.
    ///
    /// - Parameter body: Returns a student trained on demonstrations, given the previous student.
    public init(_ body: @escaping @Sendable ([Demonstration<Question, Answer>], Student?) async throws -> Student) {
        self.body = body
    }

    /// Returns the closure's student.
    public func distill(_ demonstrations: [Demonstration<Question, Answer>], continuing previous: Student?) async throws -> Student {
        try await body(demonstrations, previous)
    }
}
