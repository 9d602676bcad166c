public import IteratedAmplification

/// The sizes of what an attention model reads and writes: its token vocabulary, the widths of facts and
/// questions, and its small answer vocabulary.
///
/// A `FactEncoding` declares them; ``init(_:)`` reads and checks them. Every shape that exists has passed the
/// checks, decoded ones included.
public struct FactShape: Hashable, Sendable, Codable {
    /// How many distinct tokens facts and questions use.
    public let tokenCount: Int
    /// Tokens per fact.
    public let factWidth: Int
    /// Tokens per question.
    public let questionWidth: Int
    /// Words of the small answer vocabulary, besides "unknown".
    public let answerWordCount: Int

    /// The largest token vocabulary or answer vocabulary a shape may declare.
    public static let largestVocabulary = 1 << 24
    /// The most tokens a fact or a question may have.
    public static let widestTuple = 256

    /// Creates a shape, checking it.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidEncoding`` when a size is below 1 (below 0
    ///   for the answer vocabulary) or beyond ``largestVocabulary`` or ``widestTuple``.
    public init(tokenCount: Int, factWidth: Int, questionWidth: Int, answerWordCount: Int) throws {
        func fail(_ message: String) -> LearnerError { LearnerError(code: .invalidEncoding, message: message) }
        guard (1...Self.largestVocabulary).contains(tokenCount) else {
            throw fail("the encoding declares \(tokenCount) tokens; 1...\(Self.largestVocabulary) are possible")
        }
        guard (1...Self.widestTuple).contains(factWidth) else {
            throw fail("facts must have 1...\(Self.widestTuple) tokens, not \(factWidth)")
        }
        guard (1...Self.widestTuple).contains(questionWidth) else {
            throw fail("questions must have 1...\(Self.widestTuple) tokens, not \(questionWidth)")
        }
        guard (0...Self.largestVocabulary).contains(answerWordCount) else {
            throw fail("the answer vocabulary must have 0...\(Self.largestVocabulary) words, not \(answerWordCount)")
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

    /// Decodes a shape and checks it as ``init(tokenCount:factWidth:questionWidth:answerWordCount:)`` does.
    ///
    /// - Throws: A decoding error, or ``LearnerError`` with code ``LearnerError/Code/invalidEncoding``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            tokenCount: try container.decode(Int.self, forKey: .tokenCount),
            factWidth: try container.decode(Int.self, forKey: .factWidth),
            questionWidth: try container.decode(Int.self, forKey: .questionWidth),
            answerWordCount: try container.decode(Int.self, forKey: .answerWordCount)
        )
    }

    /// The model's word outputs: "unknown" first, then the answer vocabulary.
    var wordOutputs: Int { 1 + answerWordCount }
}
