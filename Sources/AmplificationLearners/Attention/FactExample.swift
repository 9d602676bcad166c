public import IteratedAmplification

/// One training example for a learner that reads the facts: a question in its world, and what to answer.
public struct FactExample: Hashable, Sendable, Codable {
    /// The question's tokens and its world's facts.
    public var context: FactContext
    /// What the learner should output.
    public var target: FactTarget

    /// Creates an example.
    ///
    /// - Parameters:
    ///   - context: The question's tokens and its world's facts.
    ///   - target: What the learner should output.
    public init(context: FactContext, target: FactTarget) {
        self.context = context
        self.target = target
    }
}

extension FactContext {
    /// Checks the context against a shape: at least one fact, every fact and the question of the declared width,
    /// every token in the vocabulary.
    ///
    /// - Parameter index: The example's position, named in the error.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidContext``.
    func validate(against shape: FactShape, exampleIndex index: Int? = nil) throws {
        func fail(_ message: String) -> LearnerError {
            LearnerError(code: .invalidContext, message: message, demonstrationIndex: index)
        }
        guard !facts.isEmpty else { throw fail("the context has no facts; a learner that reads facts needs one") }
        guard question.count == shape.questionWidth else {
            throw fail("the question has \(question.count) tokens; the encoding declares \(shape.questionWidth)")
        }
        for (position, token) in question.enumerated() where !(0..<shape.tokenCount).contains(token) {
            throw fail(
                "question token \(position) is \(token), outside the vocabulary 0..<\(shape.tokenCount)"
            )
        }
        for (factIndex, fact) in facts.enumerated() {
            guard fact.count == shape.factWidth else {
                throw fail("fact \(factIndex) has \(fact.count) tokens; the encoding declares \(shape.factWidth)")
            }
            for (slot, token) in fact.enumerated() where !(0..<shape.tokenCount).contains(token) {
                throw fail(
                    "fact \(factIndex), slot \(slot) holds token \(token), outside the vocabulary "
                        + "0..<\(shape.tokenCount)"
                )
            }
        }
    }
}

extension FactExample {
    /// Checks the example against a shape: its context, and a target that is a word of the vocabulary or a
    /// position inside the facts.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidContext`` or
    ///   ``LearnerError/Code/invalidTarget``.
    func validate(against shape: FactShape, exampleIndex index: Int? = nil) throws {
        try context.validate(against: shape, exampleIndex: index)
        switch target {
        case .unknown:
            break
        case .word(let word):
            guard (0..<shape.answerWordCount).contains(word) else {
                throw LearnerError(
                    code: .invalidTarget,
                    message: "the target is word \(word), outside the answer vocabulary 0..<\(shape.answerWordCount)",
                    demonstrationIndex: index
                )
            }
        case .pointer(let fact, let slot):
            guard context.facts.indices.contains(fact), (0..<shape.factWidth).contains(slot) else {
                throw LearnerError(
                    code: .invalidTarget,
                    message: "the target points at fact \(fact), slot \(slot), outside the \(context.facts.count) "
                        + "facts of \(shape.factWidth) slots",
                    demonstrationIndex: index
                )
            }
        }
    }
}
