/// An error raised by a task: a size, a difficulty or an argument it cannot work with.
///
/// Errors are structs with an opaque ``Code``, so a new code breaks no `switch`. Each names the task and
/// says what was wrong.
public struct TaskError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case sizeOutOfRange, difficultyOutOfRange, invalidArgument
        }

        let value: Value

        /// A world was asked for with a size the task does not support.
        public static let sizeOutOfRange = Code(value: .sizeOutOfRange)
        /// A question was asked for with a difficulty the world does not have.
        public static let difficultyOutOfRange = Code(value: .difficultyOutOfRange)
        /// An argument was out of its domain, such as a negative count.
        public static let invalidArgument = Code(value: .invalidArgument)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The name of the task that raised the error.
    public var task: String
    /// A human-readable explanation.
    public var message: String

    /// Creates a task error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - task: The name of the task.
    ///   - message: A human-readable explanation.
    public init(code: Code, task: String, message: String) {
        self.code = code
        self.task = task
        self.message = message
    }

    /// The task, the code and the message.
    public var description: String { "\(task): \(code): \(message)" }
}
