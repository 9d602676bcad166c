/// A supervisor backed by a closure.
public struct ClosureSupervisor<Question: Hashable & Sendable, Answer: Sendable>: Supervisor {
    private let body: @Sendable (Question, Consultation<Question, Answer>) async throws -> Answer

    /// Creates a supervisor that responds with a closure.
    ///
    /// - Parameter body: Returns the answer to a question, consulting as it sees fit.
    public init(_ body: @escaping @Sendable (Question, Consultation<Question, Answer>) async throws -> Answer) {
        self.body = body
    }

    /// Returns the closure's answer.
    public func respond(to question: Question, consulting consultation: Consultation<Question, Answer>) async throws -> Answer {
        try await body(question, consultation)
    }
}
