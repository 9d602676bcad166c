/// An assistant backed by a closure.
public struct ClosureAssistant<Question: Sendable, Answer: Sendable>: Assistant {
    private let body: @Sendable (Question) async throws -> Answer

    /// Creates an assistant that answers with a closure.
    ///
    /// - Parameter body: Returns the answer to a question.
    public init(_ body: @escaping @Sendable (Question) async throws -> Answer) {
        self.body = body
    }

    /// Returns the closure's answer.
    public func answer(_ question: Question) async throws -> Answer {
        try await body(question)
    }
}
