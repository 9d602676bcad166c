import Foundation

/// An error raised by a language-model client or a model-backed role.
///
/// Errors are structs with an opaque ``Code``, so a new code breaks no `switch`. They carry what a
/// person needs to act: the HTTP status, an excerpt of the server's message, the server's request ID,
/// the number of attempts, the raw model output that could not be used, or the line of a file. They
/// never carry the API key: server messages are quoted with the key removed.
public struct LanguageModelError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case httpStatus, connectionFailed, timedOut, malformedResponse, malformedOutput
            case invalidConfiguration, malformedLine, emptyResponse, notRecorded
        }

        let value: Value

        /// The server answered with an error status (after any retries).
        public static let httpStatus = Code(value: .httpStatus)
        /// The server could not be reached, or the connection broke.
        public static let connectionFailed = Code(value: .connectionFailed)
        /// A request took longer than its timeout.
        public static let timedOut = Code(value: .timedOut)
        /// The server's reply was not the JSON or event stream the API specifies.
        public static let malformedResponse = Code(value: .malformedResponse)
        /// The model's text could not be used (e.g. no valid list of subquestions), even after re-asking.
        public static let malformedOutput = Code(value: .malformedOutput)
        /// The configuration cannot work (a bad URL, a template without its placeholder, a bad limit).
        public static let invalidConfiguration = Code(value: .invalidConfiguration)
        /// A line of a JSON Lines file is not a valid record.
        public static let malformedLine = Code(value: .malformedLine)
        /// The server answered with no choice or no message.
        public static let emptyResponse = Code(value: .emptyResponse)
        /// A replaying ``ChatCompletionsCache`` holds no reply to the request; nothing was sent.
        public static let notRecorded = Code(value: .notRecorded)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The HTTP status of the server's last reply, if one arrived.
    public var status: Int?
    /// The start of the server's error message (at most ``serverMessageLimit`` characters), key removed.
    public var serverMessage: String?
    /// The request ID the server sent (`x-request-id` and similar headers), for the provider's support.
    public var requestID: String?
    /// How many requests or model calls were made before giving up.
    public var attempts: Int?
    /// The model's unusable text, for ``Code/malformedOutput``.
    public var rawOutput: String?
    /// The 1-based line number, for ``Code/malformedLine``.
    public var line: Int?
    /// The wait the server asked for before another attempt (`Retry-After`), if it did.
    public var retryAfter: Duration?
    /// The error that caused this one, if any (never one that can hold the key).
    public var underlyingError: (any Error)?

    /// The most characters of a server message an error quotes.
    public static let serverMessageLimit = 500

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A human-readable explanation.
    ///   - status: The HTTP status, if any.
    ///   - serverMessage: An excerpt of the server's message; it is cut to ``serverMessageLimit`` characters.
    ///   - requestID: The server's request ID.
    ///   - attempts: How many attempts were made.
    ///   - rawOutput: The model's unusable text.
    ///   - line: The line number in a file.
    ///   - retryAfter: The wait the server asked for.
    ///   - underlyingError: The cause.
    public init(
        code: Code,
        message: String,
        status: Int? = nil,
        serverMessage: String? = nil,
        requestID: String? = nil,
        attempts: Int? = nil,
        rawOutput: String? = nil,
        line: Int? = nil,
        retryAfter: Duration? = nil,
        underlyingError: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.serverMessage = serverMessage.map { Self.excerpt($0) }
        self.requestID = requestID
        self.attempts = attempts
        self.rawOutput = rawOutput
        self.line = line
        self.retryAfter = retryAfter
        self.underlyingError = underlyingError
    }

    /// A description naming the code, the message and every detail the error carries.
    public var description: String {
        var text = "LanguageModelError.\(code): \(message)"
        if let line { text += " (line \(line))" }
        if let status { text += " (status \(status))" }
        if let requestID { text += " (request ID \(requestID))" }
        if let retryAfter { text += " (retry after \(retryAfter))" }
        if let attempts { text += " (after \(attempts) attempt\(attempts == 1 ? "" : "s"))" }
        if let serverMessage { text += " (server said: \(serverMessage))" }
        if let rawOutput { text += " (model output: \(Self.excerpt(rawOutput)))" }
        if let underlyingError { text += " (cause: \(String(describing: underlyingError)))" }
        return text
    }

    static func excerpt(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > serverMessageLimit else { return trimmed }
        return String(trimmed.prefix(serverMessageLimit)) + "…"
    }
}
