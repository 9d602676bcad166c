/// An error opening or writing a ``HumanSession``, naming the file and, where one is at fault, the line.
public struct HumanSessionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case notASession, unsupportedVersion, malformedRecord, ioFailed, inUse
        }

        let value: Value

        /// The file is not a session: its first line is not a session header.
        public static let notASession = Code(value: .notASession)
        /// The session was written in a format version this package does not read.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// A line of the session is not a session record.
        public static let malformedRecord = Code(value: .malformedRecord)
        /// The session's file could not be read, written or synced.
        public static let ioFailed = Code(value: .ioFailed)
        /// Another process has the session open.
        public static let inUse = Code(value: .inUse)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The path of the session's file.
    public var path: String
    /// The 1-based number of the line at fault, if one is.
    public var line: Int?
    /// The error that caused this one, if any.
    public var underlyingError: (any Error)?

    /// Creates a session error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A human-readable explanation.
    ///   - path: The path of the session's file.
    ///   - line: The line at fault, if any.
    ///   - underlyingError: The cause, if any.
    public init(code: Code, message: String, path: String, line: Int? = nil, underlyingError: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.underlyingError = underlyingError
    }

    /// The error as one line: the file and line, then the message and its cause.
    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": \(message)"
        if let underlyingError { text += " (\(underlyingError))" }
        return text
    }
}
