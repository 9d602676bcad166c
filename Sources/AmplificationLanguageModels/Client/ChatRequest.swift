/// One chat completion request: the conversation, and settings that override the client's configuration.
public struct ChatRequest: Hashable, Sendable {
    /// The conversation so far; the model replies to its last message.
    public var messages: [ChatMessage]
    /// The sampling temperature, or `nil` for the configuration's.
    public var temperature: Double?
    /// The seed, or `nil` for the configuration's.
    public var seed: Int?
    /// The most tokens to generate, or `nil` for the configuration's.
    public var maximumTokens: Int?
    /// Stop sequences, or `nil` for the configuration's.
    public var stop: [String]?
    /// The reply's form, or `nil` for the configuration's.
    public var responseFormat: ResponseFormat?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - messages: The conversation.
    ///   - temperature: The sampling temperature, or `nil` for the configuration's.
    ///   - seed: The seed, or `nil` for the configuration's.
    ///   - maximumTokens: The most tokens to generate, or `nil` for the configuration's.
    ///   - stop: Stop sequences, or `nil` for the configuration's.
    ///   - responseFormat: The reply's form, or `nil` for the configuration's.
    public init(
        messages: [ChatMessage],
        temperature: Double? = nil,
        seed: Int? = nil,
        maximumTokens: Int? = nil,
        stop: [String]? = nil,
        responseFormat: ResponseFormat? = nil
    ) {
        self.messages = messages
        self.temperature = temperature
        self.seed = seed
        self.maximumTokens = maximumTokens
        self.stop = stop
        self.responseFormat = responseFormat
    }
}

extension ChatRequest {
    /// Whether the request asks for a JSON schema, itself or through the configuration.
    func usesSchema(_ configuration: ChatCompletionsConfiguration) -> Bool {
        (responseFormat ?? configuration.responseFormat).schema != nil
    }
}

/// A model's complete reply.
public struct ChatCompletion: Hashable, Sendable {
    /// The reply's text.
    public var text: String
    /// Why generation stopped (`stop`, `length`, …), as the server said.
    public var finishReason: String?
    /// The tokens the request consumed, when the server reported them.
    public var usage: TokenUsage?
    /// The model that answered, as the server named it.
    public var model: String?
    /// The completion's ID, as the server named it.
    public var id: String?
    /// The request ID from the reply's headers, for the provider's support.
    public var requestID: String?

    /// Creates a completion.
    public init(
        text: String,
        finishReason: String? = nil,
        usage: TokenUsage? = nil,
        model: String? = nil,
        id: String? = nil,
        requestID: String? = nil
    ) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
        self.id = id
        self.requestID = requestID
    }
}

/// One piece of a streamed reply.
public struct ChatCompletionChunk: Hashable, Sendable {
    /// The text this piece adds; empty for pieces that carry only a finish reason or usage.
    public var text: String
    /// Why generation stopped, on the piece that ends the reply.
    public var finishReason: String?
    /// The tokens the request consumed, on the usage piece that some servers send last.
    public var usage: TokenUsage?

    /// Creates a chunk.
    public init(text: String, finishReason: String? = nil, usage: TokenUsage? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
    }
}
