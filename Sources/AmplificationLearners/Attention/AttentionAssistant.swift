public import IteratedAmplification

/// An assistant that answers with an ``AttentionModel``'s teacher weights, reading each question's facts.
public struct AttentionAssistant<Encoding: FactEncoding>: Assistant {
    /// The question type of the task.
    public typealias Question = Encoding.Question
    /// The answer type of the task.
    public typealias Answer = Encoding.Answer

    /// The encoding that presents questions with their facts.
    public let encoding: Encoding
    /// The trained model.
    public let model: AttentionModel

    /// Creates an assistant from a model (trained, or loaded with ``AttentionModel/init(contentsOf:threads:)``).
    ///
    /// - Parameters:
    ///   - encoding: The encoding that presents questions with their facts.
    ///   - model: The model; its shape must be the encoding's.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/incompatibleStudent`` when the model was made
    ///   for another shape than the encoding's.
    public init(encoding: Encoding, checking model: AttentionModel) throws {
        let shape = try FactShape(encoding)
        guard model.shape == shape else {
            throw LearnerError(
                code: .incompatibleStudent,
                message: "the model reads \(model.shape), but the encoding declares \(shape)"
            )
        }
        self.init(encoding: encoding, model: model)
    }

    init(encoding: Encoding, model: AttentionModel) {
        self.encoding = encoding
        self.model = model
    }

    /// Returns the teacher's answer to a question.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidContext`` when the question's facts break
    ///   the shape, and whatever the encoding throws.
    public func answer(_ question: Question) async throws -> Answer {
        try answers(to: [question])[0]
    }

    /// Returns the teacher's answers to many questions, computed in batches (much faster than one by one).
    ///
    /// - Throws: As ``answer(_:)``.
    public func answers(to questions: [Question]) throws -> [Answer] {
        let contexts = try questions.map { try encoding.context(of: $0) }
        let targets = try model.predict(contexts)
        return questions.indices.map { encoding.answer(of: targets[$0], to: questions[$0], in: contexts[$0]) }
    }
}
