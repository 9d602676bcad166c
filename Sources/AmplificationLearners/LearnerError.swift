/// An error raised by a learner: bad training data, an encoding that breaks its contract, a configuration
/// that cannot work, or a previous student that does not fit.
///
/// Errors are structs with an opaque ``Code``, so a new code breaks no `switch`. The ``message`` names what
/// was wrong and where (which demonstration, which feature, which question).
public struct LearnerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case noTrainingData, invalidFeatures, invalidAnswerClass, invalidEncoding, invalidConfiguration
            case incompatibleStudent, trainingDiverged, invalidContext, invalidTarget, invalidModelFile
            case invalidAction
        }

        let value: Value

        /// There was nothing to learn from: no demonstrations, or none whose answer has a class.
        public static let noTrainingData = Code(value: .noTrainingData)
        /// A question's features had the wrong count or a value outside its feature's cardinality.
        public static let invalidFeatures = Code(value: .invalidFeatures)
        /// An answer's class lay outside `0..<answerClassCount`.
        public static let invalidAnswerClass = Code(value: .invalidAnswerClass)
        /// The encoding declared no features, a cardinality below 1, or no answer classes.
        public static let invalidEncoding = Code(value: .invalidEncoding)
        /// The learner's configuration cannot work (for example, a hidden layer of size 0).
        public static let invalidConfiguration = Code(value: .invalidConfiguration)
        /// The previous student to continue from has another shape (encoding or architecture).
        public static let incompatibleStudent = Code(value: .incompatibleStudent)
        /// Training produced a loss that is not finite (usually: the learning rate is too high).
        public static let trainingDiverged = Code(value: .trainingDiverged)

        /// A question's facts or tokens break the encoding's shape: no facts, a fact or question of the wrong
        /// width, or a token outside the vocabulary.
        public static let invalidContext = Code(value: .invalidContext)
        /// A target lies outside what the model can output: a word outside the answer vocabulary, or a pointer
        /// outside the facts.
        public static let invalidTarget = Code(value: .invalidTarget)
        /// A saved model could not be read (the file is missing, truncated, corrupted, of another format or
        /// version, or inconsistent with itself) or written.
        public static let invalidModelFile = Code(value: .invalidModelFile)

        /// A learned supervisor emitted tokens that stand for no action it may take (a subquestion that is no
        /// question, one too many, an answer outside the vocabulary), and its fallback is to fail.
        public static let invalidAction = Code(value: .invalidAction)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation naming what was wrong and where.
    public var message: String
    /// The index of the offending demonstration in the training data, when one is to blame.
    public var demonstrationIndex: Int?
    /// The source file of the code that raised the error.
    public var file: String
    /// The source line of the code that raised the error.
    public var line: Int

    /// Creates a learner error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A human-readable explanation.
    ///   - demonstrationIndex: The index of the offending demonstration, if any.
    ///   - file: The source file raising the error.
    ///   - line: The source line raising the error.
    public init(
        code: Code,
        message: String,
        demonstrationIndex: Int? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.demonstrationIndex = demonstrationIndex
        self.file = file
        self.line = line
    }

    /// A description naming the code, the message and the offending demonstration.
    public var description: String {
        var text = "LearnerError.\(code): \(message)"
        if let demonstrationIndex {
            text += " (demonstration \(demonstrationIndex))"
        }
        return text
    }
}
