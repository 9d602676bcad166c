/// An error raised by the amplification loop, naming the round and, where they are at fault, the question,
/// the file and the line.
public struct AmplificationLoopError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case invalidConfiguration, curriculumFailed, questionFailed, distillationFailed, evaluationFailed
            case storageFailed, inconsistentStorage
        }

        let value: Value

        /// The configuration cannot work.
        public static let invalidConfiguration = Code(value: .invalidConfiguration)
        /// The curriculum threw.
        public static let curriculumFailed = Code(value: .curriculumFailed)
        /// Amp(H, X) failed on a question under ``QuestionFailurePolicy/stopLoop``.
        public static let questionFailed = Code(value: .questionFailed)
        /// The distiller threw.
        public static let distillationFailed = Code(value: .distillationFailed)
        /// The evaluator threw.
        public static let evaluationFailed = Code(value: .evaluationFailed)
        /// Reading or writing the loop's directory failed; the ``JSONLinesError`` is the underlying error.
        public static let storageFailed = Code(value: .storageFailed)
        /// The loop's files contradict each other, for example a report counts demonstrations the file lacks.
        public static let inconsistentStorage = Code(value: .inconsistentStorage)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The round, if the error belongs to one.
    public var round: Int?
    /// The question at fault, if one is.
    public var question: (any Sendable)?
    /// The file at fault, if one is.
    public var path: String?
    /// The 1-based line of the file at fault, if one is.
    public var line: Int?
    /// The error that caused this one, if any.
    public var underlyingError: (any Error)?

    /// Creates a loop error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A human-readable explanation.
    ///   - round: The round, if the error belongs to one.
    ///   - question: The question at fault, if one is.
    ///   - path: The file at fault, if one is.
    ///   - line: The 1-based line at fault, if one is.
    ///   - underlyingError: The error that caused this one.
    public init(
        code: Code,
        message: String,
        round: Int? = nil,
        question: (any Sendable)? = nil,
        path: String? = nil,
        line: Int? = nil,
        underlyingError: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.round = round
        self.question = question
        self.path = path
        self.line = line
        self.underlyingError = underlyingError
    }

    /// A description naming the code, the round, the question, the file and line, and the cause.
    public var description: String {
        var text = "AmplificationLoopError.\(code)"
        if let round { text += " in round \(round)" }
        text += ": \(message)"
        if let question { text += " (question: \(String(describing: question)))" }
        if let path { text += " (file: \(path)\(line.map { ":\($0)" } ?? ""))" }
        if let underlyingError { text += " (cause: \(String(describing: underlyingError)))" }
        return text
    }
}
