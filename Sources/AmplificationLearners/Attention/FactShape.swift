public import IteratedAmplification

/// The sizes of what an attention model reads and writes: its token vocabulary, the widths of facts and
/// questions, and its small answer vocabulary.
///
/// A ``FactEncoding`` declares them; ``init(_:)`` reads and checks them.
public struct FactShape: Hashable, Sendable, Codable {
    /// How many distinct tokens facts and questions use.
    public var tokenCount: Int
    /// Tokens per fact.
    public var factWidth: Int
    /// Tokens per question.
    public var questionWidth: Int
    /// Words of the small answer vocabulary, besides "unknown".
    public var answerWordCount: Int

    /// Creates a shape, checking it.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidEncoding`` when a size is impossible.
    public init(tokenCount: Int, factWidth: Int, questionWidth: Int, answerWordCount: Int) throws {
        func fail(_ message: String) -> LearnerError { LearnerError(code: .invalidEncoding, message: message) }
        guard tokenCount >= 1 else { throw fail("the encoding declares \(tokenCount) tokens; at least 1 is needed") }
        guard factWidth >= 1 else { throw fail("facts must have at least 1 token, not \(factWidth)") }
        guard questionWidth >= 1 else { throw fail("questions must have at least 1 token, not \(questionWidth)") }
        guard answerWordCount >= 0 else {
            throw fail("the answer vocabulary must not be negative, not \(answerWordCount)")
        }
        self.tokenCount = tokenCount
        self.factWidth = factWidth
        self.questionWidth = questionWidth
        self.answerWordCount = answerWordCount
    }

    /// Reads and checks an encoding's shape.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidEncoding``.
    public init<Encoding: FactEncoding>(_ encoding: Encoding) throws {
        try self.init(
            tokenCount: encoding.tokenCount,
            factWidth: encoding.factWidth,
            questionWidth: encoding.questionWidth,
            answerWordCount: encoding.answerWordCount
        )
    }

    /// The model's word outputs: "unknown" first, then the answer vocabulary.
    var wordOutputs: Int { 1 + answerWordCount }
}
