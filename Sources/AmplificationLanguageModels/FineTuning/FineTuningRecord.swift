/// One line of an OpenAI chat fine-tuning file: a conversation whose last message is the target answer.
///
/// Decoding validates the line: `messages` must be a non-empty array of objects, each with a `role` of
/// `system`, `user` or `assistant` and a string `content`; the last message must be the assistant's, with a
/// user message before it. Other members (`weight`, `name`) are accepted and ignored.
public struct FineTuningRecord: Hashable, Codable, Sendable {
    /// The conversation.
    public var messages: [ChatMessage]

    /// Creates a record.
    public init(messages: [ChatMessage]) {
        self.messages = messages
    }

    /// The question: the last user message before the answer.
    public var question: String? {
        messages.dropLast().last { $0.role == .user }?.content
    }

    /// The answer: the final assistant message.
    public var answer: String? {
        messages.last.flatMap { $0.role == .assistant ? $0.content : nil }
    }

    private enum CodingKeys: String, CodingKey { case messages }
    private enum MessageKeys: String, CodingKey { case role, content }

    /// Decodes and validates a record.
    ///
    /// - Throws: `DecodingError.dataCorrupted` explaining which rule the line breaks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .messages)
        var messages: [ChatMessage] = []
        while !list.isAtEnd {
            let index = messages.count
            let message = try list.nestedContainer(keyedBy: MessageKeys.self)
            let role = ChatMessage.Role(rawValue: try message.decode(String.self, forKey: .role))
            guard [.system, .user, .assistant].contains(role) else {
                throw Self.invalid(
                    "message \(index + 1) has the role \"\(role)\"; use system, user or assistant", decoder)
            }
            messages.append(ChatMessage(role: role, content: try message.decode(String.self, forKey: .content)))
        }
        guard !messages.isEmpty else { throw Self.invalid("`messages` is empty", decoder) }
        guard messages.last?.role == .assistant else {
            throw Self.invalid("the last message is not the assistant's answer", decoder)
        }
        guard messages.dropLast().contains(where: { $0.role == .user }) else {
            throw Self.invalid("no user message comes before the answer", decoder)
        }
        self.messages = messages
    }

    private static func invalid(_ reason: String, _ decoder: any Decoder) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: reason))
    }
}
