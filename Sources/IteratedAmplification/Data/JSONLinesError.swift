/// An error reading or writing a JSON Lines file, naming the file and, where one is at fault, the line.
///
/// Errors are structs with an opaque ``Code``, so a new code breaks no `switch`. Lines are numbered from 1.
public struct JSONLinesError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case malformedLine, truncatedLastLine, encodingFailed, ioFailed, invalidArgument
        }

        let value: Value

        /// A line is not one JSON value of the expected type.
        public static let malformedLine = Code(value: .malformedLine)
        /// The file ends in a line without its terminating newline that does not decode: a write was cut off.
        public static let truncatedLastLine = Code(value: .truncatedLastLine)
        /// A value could not be encoded as one line of JSON.
        public static let encodingFailed = Code(value: .encodingFailed)
        /// The operating system refused to open, read, write, truncate or sync the file.
        public static let ioFailed = Code(value: .ioFailed)
        /// An argument cannot work, for example a truncation beyond the end of the file.
        public static let invalidArgument = Code(value: .invalidArgument)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The path of the file.
    public var path: String
    /// The 1-based number of the line at fault, if one is.
    public var line: Int?
    /// The error that caused this one, if any.
    public var underlyingError: (any Error)?

    /// Creates a JSON Lines error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A human-readable explanation.
    ///   - path: The path of the file.
    ///   - line: The 1-based number of the line at fault, if one is.
    ///   - underlyingError: The error that caused this one.
    public init(code: Code, message: String, path: String, line: Int? = nil, underlyingError: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.underlyingError = underlyingError
    }

    /// A description naming the code, the file and line, the message and the cause.
    public var description: String {
        var text = "JSONLinesError.\(code): \(path)"
        if let line { text += ":\(line)" }
        text += ": \(message)"
        if let underlyingError {
            text += " (cause: \(String(describing: underlyingError)))"
        }
        return text
    }
}
