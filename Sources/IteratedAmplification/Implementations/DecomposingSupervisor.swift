/// A supervisor for the common one-round case: split the question, ask the parts in parallel, combine.
///
/// - An atomic question is answered by `answerAlone` when given, otherwise handed to the assistant.
/// - A question that splits is answered by synthesizing the subanswers, asked in parallel.
/// - Where the supervisor may not consult (remaining depth 0, or help refused), `answerAlone` answers;
///   without it the node fails with ``EngineError/Code/depthExhausted``.
public struct DecomposingSupervisor<D: Decomposer, Answer: Sendable>: Supervisor where D.Question: Hashable {
    /// The question type.
    public typealias Question = D.Question

    /// Splits questions.
    public let decomposer: D
    private let answerAlone: (@Sendable (Question) async throws -> Answer)?
    private let synthesize: @Sendable (Question, [Question], [Answer]) async throws -> Answer

    /// Creates a supervisor from a decomposer and a synthesis step.
    ///
    /// - Parameters:
    ///   - decomposer: Splits questions.
    ///   - answerAlone: Answers a question without help, or `nil` to hand atomic questions to the assistant.
    ///   - synthesize: Combines the subanswers: receives the question, the subquestions and their answers.
    public init(
        decomposer: D,
        answerAlone: (@Sendable (Question) async throws -> Answer)? = nil,
        synthesize: @escaping @Sendable (Question, [Question], [Answer]) async throws -> Answer
    ) {
        self.decomposer = decomposer
        self.answerAlone = answerAlone
        self.synthesize = synthesize
    }

    /// Decomposes the question, consults on the parts, and synthesizes their answers.
    public func respond(to question: Question, consulting consultation: Consultation<Question, Answer>) async throws
        -> Answer
    {
        switch try await decomposer.decompose(question) {
        case .atomic:
            if let answerAlone { return try await answerAlone(question) }
            return try await consultation.askAssistant(question)
        case .subquestions(let parts):
            guard consultation.canConsult else {
                if let answerAlone { return try await answerAlone(question) }
                throw EngineError(
                    code: .depthExhausted,
                    message: "the question needs help but the supervisor may not consult and cannot answer alone",
                    path: consultation.path
                )
            }
            let answers = try await consultation.askAll(parts)
            return try await synthesize(question, parts, answers)
        }
    }
}
