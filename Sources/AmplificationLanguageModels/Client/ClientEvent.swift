/// Something a ``ChatCompletionsClient`` did, for logs and metrics.
///
/// Events never contain the API key or message contents: only the endpoint, the attempt, statuses,
/// delays, request IDs and token counts.
public struct ClientEvent: Hashable, Sendable, CustomStringConvertible {
    /// What happened.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable { case requestSent, retryScheduled, completed, failed, fellBack }
        let value: Value

        /// A request was sent.
        public static let requestSent = Kind(value: .requestSent)
        /// A request failed and will be sent again after ``ClientEvent/delay``.
        public static let retryScheduled = Kind(value: .retryScheduled)
        /// A reply arrived and was decoded.
        public static let completed = Kind(value: .completed)
        /// The call failed for good.
        public static let failed = Kind(value: .failed)
        /// The server rejected a JSON schema, and the request is sent again in JSON mode.
        public static let fellBack = Kind(value: .fellBack)

        /// The kind's name.
        public var description: String { value.rawValue }
    }

    /// What happened.
    public var kind: Kind
    /// The endpoint the request went to.
    public var endpoint: String
    /// The attempt, 1 for the first request of a call.
    public var attempt: Int
    /// Whether the request streams.
    public var streaming: Bool
    /// The reply's HTTP status, if one arrived.
    public var status: Int?
    /// The wait before the next attempt, for ``Kind/retryScheduled``.
    public var delay: Duration?
    /// The server's request ID.
    public var requestID: String?
    /// The tokens consumed, for ``Kind/completed``.
    public var usage: TokenUsage?
    /// The error's description, for ``Kind/failed`` and ``Kind/retryScheduled``.
    public var error: String?

    /// A one-line summary.
    public var description: String {
        var text = "\(kind) \(endpoint) attempt \(attempt)\(streaming ? " (streaming)" : "")"
        if let status { text += " status \(status)" }
        if let delay { text += " retry in \(delay)" }
        if let requestID { text += " request ID \(requestID)" }
        if let usage { text += " tokens \(usage.promptTokens)+\(usage.completionTokens)" }
        if let error { text += ": \(error)" }
        return text
    }
}
