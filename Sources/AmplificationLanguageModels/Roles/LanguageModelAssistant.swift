import Foundation
public import IteratedAmplification

/// An assistant X backed by a language model: it fills a prompt template with the question and returns the reply.
///
/// When ``examples`` holds worked examples, the prompt shows those most similar to the question as earlier
/// turns of the conversation (see ``FewShotExamples``); ``FewShotDistiller`` produces assistants that way.
/// Token usage goes to `CostMeter`, so an engine's cost budget counts tokens.
///
/// ```swift
/// let assistant = try LanguageModelAssistant(client: client)
/// let answer = try await assistant.answer("What is the capital of France?")
/// ```
public struct LanguageModelAssistant: Assistant {
    /// The question type: text.
    public typealias Question = String
    /// The answer type: text.
    public typealias Answer = String

    /// The default prompt.
    ///
    /// - System: "You are a careful assistant. Answer the question directly and briefly, with no preamble."
    /// - User: "{{question}}"
    public static let defaultPrompt = PromptTemplate(
        system: "You are a careful assistant. Answer the question directly and briefly, with no preamble.",
        user: "{{question}}"
    )

    /// The client that sends requests.
    public var client: ChatCompletionsClient
    /// The prompt; it must use `{{question}}`.
    public let prompt: PromptTemplate
    /// Worked examples shown before the question.
    public var examples: FewShotExamples
    /// The most tokens per answer, or `nil` for the client's setting.
    public var maximumTokens: Int?

    /// Creates an assistant.
    ///
    /// - Parameters:
    ///   - client: The client that sends requests.
    ///   - prompt: The prompt template; it must use `{{question}}`.
    ///   - examples: Worked examples to show before the question.
    ///   - maximumTokens: The most tokens per answer, or `nil` for the client's setting.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` when the prompt lacks `{{question}}`.
    public init(
        client: ChatCompletionsClient,
        prompt: PromptTemplate = LanguageModelAssistant.defaultPrompt,
        examples: FewShotExamples = .none,
        maximumTokens: Int? = nil
    ) throws {
        try prompt.validate(requiring: ["question"], for: "assistant")
        self.client = client
        self.prompt = prompt
        self.examples = examples
        self.maximumTokens = maximumTokens
    }

    /// Returns the messages sent for a question: the system message, the chosen examples, the question.
    public func messages(for question: String) -> [ChatMessage] {
        let values = ["question": question]
        var messages: [ChatMessage] = []
        if let system = prompt.renderSystem(values) { messages.append(.system(system)) }
        for example in examples.select(for: question) {
            messages.append(.user(prompt.renderUser(["question": example.question])))
            messages.append(.assistant(example.answer))
        }
        messages.append(.user(prompt.renderUser(values)))
        return messages
    }

    /// Returns the model's answer, with surrounding whitespace removed.
    ///
    /// - Parameter question: The question.
    /// - Returns: The answer.
    /// - Throws: ``LanguageModelError`` from the client, or ``LanguageModelError/Code/emptyResponse`` when
    ///   the reply is blank.
    public func answer(_ question: String) async throws -> String {
        let completion = try await client.complete(
            ChatRequest(messages: messages(for: question), maximumTokens: maximumTokens, responseFormat: .text)
        )
        let answer = completion.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty else {
            throw LanguageModelError(
                code: .emptyResponse,
                message: "the model's answer to \"\(question)\" is blank",
                requestID: completion.requestID,
                rawOutput: completion.text
            )
        }
        return answer
    }
}
