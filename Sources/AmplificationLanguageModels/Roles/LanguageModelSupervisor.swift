import Foundation
public import IteratedAmplification

/// A supervisor H backed by a language model: decompose, consult, synthesize.
///
/// At each node the supervisor:
/// 1. answers alone (with ``LanguageModelSupervisorPrompts/answerAlone``) when it may not consult: at
///    remaining depth 0, or when the engine refused help;
/// 2. otherwise asks its decomposer how the question splits;
/// 3. hands an atomic question to the assistant when the engine has one (or answers it alone when it has
///    none, or when ``handsAtomicQuestionsToAssistant`` is `false`);
/// 4. asks the subquestions in parallel through the `Consultation`, and
/// 5. asks the model to combine the subanswers into the answer (with ``LanguageModelSupervisorPrompts/synthesize``).
///
/// ```swift
/// let supervisor = try LanguageModelSupervisor(client: client)
/// let assistant = try LanguageModelAssistant(client: client)
/// var configuration = HCHConfiguration()
/// configuration.depth = 2
/// configuration.maximumConcurrentAssistantCalls = 4
/// let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
/// ```
public struct LanguageModelSupervisor<D: Decomposer>: Supervisor where D.Question == String {
    /// The question type: text.
    public typealias Question = String
    /// The answer type: text.
    public typealias Answer = String

    /// The prompts the supervisor sends itself.
    public typealias Prompts = LanguageModelSupervisorPrompts

    /// Splits questions.
    public let decomposer: D
    /// The client that sends requests.
    public var client: ChatCompletionsClient
    /// The supervisor's prompts.
    public let prompts: Prompts
    /// Whether an atomic question goes to the assistant (when the engine has one) rather than being answered
    /// by the supervisor's own model call.
    public var handsAtomicQuestionsToAssistant: Bool
    /// The most tokens per reply, or `nil` for the client's setting.
    public var maximumTokens: Int?

    /// Creates a supervisor with any decomposer.
    ///
    /// - Parameters:
    ///   - decomposer: Splits questions.
    ///   - client: The client that sends the supervisor's own requests.
    ///   - prompts: The synthesis and answer-alone prompts.
    ///   - handsAtomicQuestionsToAssistant: Whether atomic questions go to the assistant.
    ///   - maximumTokens: The most tokens per reply.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` when a prompt lacks a placeholder.
    public init(
        decomposer: D,
        client: ChatCompletionsClient,
        prompts: Prompts = .default,
        handsAtomicQuestionsToAssistant: Bool = true,
        maximumTokens: Int? = nil
    ) throws {
        try prompts.synthesize.validate(requiring: ["question", "subanswers"], for: "synthesis")
        try prompts.answerAlone.validate(requiring: ["question"], for: "answer-alone")
        self.decomposer = decomposer
        self.client = client
        self.prompts = prompts
        self.handsAtomicQuestionsToAssistant = handsAtomicQuestionsToAssistant
        self.maximumTokens = maximumTokens
    }

    /// Answers the question at one node: alone, through the assistant, or from its subquestions' answers.
    public func respond(to question: String, consulting consultation: Consultation<String, String>) async throws
        -> String
    {
        guard consultation.canConsult else { return try await answerAlone(question) }
        switch try await decomposer.decompose(question) {
        case .atomic:
            if handsAtomicQuestionsToAssistant && consultation.hasAssistant {
                return try await consultation.askAssistant(question)
            }
            return try await answerAlone(question)
        case .subquestions(let subquestions):
            let subanswers = try await consultation.askAll(subquestions)
            return try await synthesize(question, subquestions: subquestions, subanswers: subanswers)
        }
    }

    /// Returns the messages that ask the model to combine subanswers.
    public func synthesisMessages(for question: String, subquestions: [String], subanswers: [String]) -> [ChatMessage] {
        let pairs = zip(subquestions, subanswers).enumerated().map { index, pair in
            "\(index + 1). Q: \(pair.0)\n   A: \(pair.1)"
        }
        return prompts.synthesize.render(["question": question, "subanswers": pairs.joined(separator: "\n")])
    }

    /// Asks the model to combine subanswers into the answer.
    public func synthesize(_ question: String, subquestions: [String], subanswers: [String]) async throws -> String {
        try await reply(
            to: synthesisMessages(for: question, subquestions: subquestions, subanswers: subanswers), question)
    }

    /// Asks the model to answer without help.
    public func answerAlone(_ question: String) async throws -> String {
        try await reply(to: prompts.answerAlone.render(["question": question]), question)
    }

    private func reply(to messages: [ChatMessage], _ question: String) async throws -> String {
        let completion = try await client.complete(
            ChatRequest(messages: messages, maximumTokens: maximumTokens, responseFormat: .text)
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

extension LanguageModelSupervisor where D == LanguageModelDecomposer {
    /// Creates a supervisor whose decomposer uses the same client with the default decomposition prompt.
    ///
    /// - Parameters:
    ///   - client: The client for every request.
    ///   - prompts: The synthesis and answer-alone prompts.
    ///   - maximumSubquestions: The most subquestions per question.
    ///   - maximumTokens: The most tokens per reply.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` for an unusable prompt or limit.
    public init(
        client: ChatCompletionsClient,
        prompts: Prompts = .default,
        maximumSubquestions: Int = 4,
        maximumTokens: Int? = nil
    ) throws {
        try self.init(
            decomposer: LanguageModelDecomposer(
                client: client, maximumSubquestions: maximumSubquestions, maximumTokens: maximumTokens
            ),
            client: client,
            prompts: prompts,
            maximumTokens: maximumTokens
        )
    }
}

/// The prompts a ``LanguageModelSupervisor`` sends itself (its decomposer has its own).
public struct LanguageModelSupervisorPrompts: Hashable, Sendable {
    /// Combines subanswers; must use `{{question}}` and `{{subanswers}}`.
    public var synthesize: PromptTemplate
    /// Answers without help; must use `{{question}}`.
    public var answerAlone: PromptTemplate

    /// The default synthesis prompt.
    ///
    /// - System: "You answer a question using the answers to its subquestions. Combine them into one
    ///   direct, brief answer to the question, with no preamble."
    /// - User: "Question: {{question}}\n\nSubquestions and their answers:\n{{subanswers}}\n\nAnswer to the
    ///   question:"
    ///
    /// `{{subanswers}}` lists each pair as `1. Q: …` and `   A: …`, numbered in the order asked.
    public static let defaultSynthesize = PromptTemplate(
        system: "You answer a question using the answers to its subquestions. "
            + "Combine them into one direct, brief answer to the question, with no preamble.",
        user: "Question: {{question}}\n\nSubquestions and their answers:\n{{subanswers}}\n\nAnswer to the question:"
    )

    /// The default prompt for answering alone: ``LanguageModelAssistant/defaultPrompt``.
    public static let defaultAnswerAlone = LanguageModelAssistant.defaultPrompt

    /// The defaults.
    public static let `default` = LanguageModelSupervisorPrompts(
        synthesize: defaultSynthesize, answerAlone: defaultAnswerAlone)

    /// Creates prompts.
    public init(synthesize: PromptTemplate, answerAlone: PromptTemplate) {
        self.synthesize = synthesize
        self.answerAlone = answerAlone
    }
}
