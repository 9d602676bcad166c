/// One call of a language model made while a node ran: the messages sent and the raw text that came back.
///
/// Model-backed roles report their calls with ``CostMeter/record(_:)``; with
/// ``HCHConfiguration/recordsModelCalls`` on (and tracing), the engine keeps them on the node's
/// ``TraceNode/modelCalls``, so a reader of the trace sees why a node answered as it did. A call holds the
/// conversation and the reply only: never a key or a header.
public struct ModelCall: Hashable, Codable, Sendable {
    /// One message of the conversation sent.
    public struct Message: Hashable, Codable, Sendable {
        /// The speaker: `system`, `user` or `assistant`.
        public var role: String
        /// The text.
        public var content: String

        /// Creates a message.
        ///
        /// - Parameters:
        ///   - role: The speaker.
        ///   - content: The text.
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// The conversation sent, in order.
    public var messages: [Message]
    /// The model's reply, as it came back.
    public var output: String

    /// Creates a record of a call.
    ///
    /// - Parameters:
    ///   - messages: The conversation sent.
    ///   - output: The model's reply.
    public init(messages: [Message], output: String) {
        self.messages = messages
        self.output = output
    }
}
