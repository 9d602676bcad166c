/// An error raised by the HCH engine, carrying the path of questions from the root to the failing node.
///
/// Errors are structs with an opaque ``Code``, so a new code breaks no `switch`. Errors thrown by a
/// supervisor or an assistant arrive wrapped, with the original in ``underlyingError``.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case supervisorFailed, assistantFailed, depthExhausted, nodeBudgetExhausted
            case assistantCallBudgetExhausted, costBudgetExhausted, deadlineExceeded, cycleDetected
            case timedOut, answerRejected, noAssistant, replayMissing, invalidConfiguration
        }

        let value: Value

        /// The supervisor threw an error of its own.
        public static let supervisorFailed = Code(value: .supervisorFailed)
        /// The assistant threw an error.
        public static let assistantFailed = Code(value: .assistantFailed)
        /// A node at remaining depth 0 tried to consult.
        public static let depthExhausted = Code(value: .depthExhausted)
        /// The node budget ran out.
        public static let nodeBudgetExhausted = Code(value: .nodeBudgetExhausted)
        /// The assistant-call budget ran out.
        public static let assistantCallBudgetExhausted = Code(value: .assistantCallBudgetExhausted)
        /// The cost budget ran out.
        public static let costBudgetExhausted = Code(value: .costBudgetExhausted)
        /// The run's deadline passed.
        public static let deadlineExceeded = Code(value: .deadlineExceeded)
        /// A question recurred on its own ancestor path.
        public static let cycleDetected = Code(value: .cycleDetected)
        /// A call took longer than its timeout.
        public static let timedOut = Code(value: .timedOut)
        /// A supervisor's check rejected a subanswer, or attempts ran out.
        public static let answerRejected = Code(value: .answerRejected)
        /// A question was handed to the assistant, but the engine has none.
        public static let noAssistant = Code(value: .noAssistant)
        /// A replaying assistant has no recorded answer for a question.
        public static let replayMissing = Code(value: .replayMissing)
        /// The configuration cannot work.
        public static let invalidConfiguration = Code(value: .invalidConfiguration)

        /// Whether this code means a budget or the deadline ran out.
        public var isBudgetExhaustion: Bool {
            switch value {
            case .nodeBudgetExhausted, .assistantCallBudgetExhausted, .costBudgetExhausted, .deadlineExceeded:
                true
            default:
                false
            }
        }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The questions from the root to the failing node, the root first.
    ///
    /// Each element is a question of the run; read them typed with ``questionPath(as:)``.
    public var path: [any Sendable]
    /// The error that caused this one, if any.
    public var underlyingError: (any Error)?

    /// Creates an engine error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A human-readable explanation.
    ///   - path: The questions from the root to the failing node.
    ///   - underlyingError: The error that caused this one.
    public init(code: Code, message: String, path: [any Sendable] = [], underlyingError: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.underlyingError = underlyingError
    }

    /// Returns the question path typed, or `nil` when the questions are of another type.
    ///
    /// - Parameter type: The run's question type.
    public func questionPath<Question>(as type: Question.Type = Question.self) -> [Question]? {
        let typed = path.compactMap { $0 as? Question }
        return typed.count == path.count ? typed : nil
    }

    /// The node that refused help, when the engine refuses a consultation under a policy that lets the
    /// supervisor answer without help. Internal: it routes the refusal back to the asking node.
    @usableFromInline var refusedNode: ObjectIdentifier?

    /// A description naming the code, the message, the path and the cause.
    public var description: String {
        var text = "EngineError.\(code): \(message)"
        if !path.isEmpty {
            text += " (path: " + path.map { String(describing: $0) }.joined(separator: " -> ") + ")"
        }
        if let underlyingError {
            text += " (cause: \(String(describing: underlyingError)))"
        }
        return text
    }
}
