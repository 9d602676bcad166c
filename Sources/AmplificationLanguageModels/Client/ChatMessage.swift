/// One message of a chat conversation.
public struct ChatMessage: Hashable, Codable, Sendable {
    /// Who speaks a message.
    public struct Role: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The role's name on the wire: `"system"`, `"user"`, `"assistant"`.
        public var rawValue: String

        /// Creates a role from its name on the wire.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Instructions that frame the conversation.
        public static let system = Role(rawValue: "system")
        /// The person asking.
        public static let user = Role(rawValue: "user")
        /// The model answering.
        public static let assistant = Role(rawValue: "assistant")

        /// The role's name.
        public var description: String { rawValue }

        /// Decodes a role from its name.
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        /// Encodes the role as its name.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// Who speaks.
    public var role: Role
    /// What is said.
    public var content: String

    /// Creates a message.
    ///
    /// - Parameters:
    ///   - role: Who speaks.
    ///   - content: What is said.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// Returns a system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// Returns a user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// Returns an assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}
