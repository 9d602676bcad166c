/// A decomposer backed by a closure.
public struct ClosureDecomposer<Question: Sendable>: Decomposer {
    private let body: @Sendable (Question) async throws -> Decomposition<Question>

    /// Creates a decomposer that splits questions with a closure.
    ///
    /// - Parameter body: Returns how a question splits.
    public init(_ body: @escaping @Sendable (Question) async throws -> Decomposition<Question>) {
        self.body = body
    }

    /// Returns the closure's decomposition.
    public func decompose(_ question: Question) async throws -> Decomposition<Question> {
        try await body(question)
    }
}
