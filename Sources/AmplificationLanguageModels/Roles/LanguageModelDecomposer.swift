import Foundation
public import IteratedAmplification

/// A decomposer backed by a language model: it asks for a JSON list of subquestions and checks the reply.
///
/// The model is asked (with a JSON schema by default, see ``ResponseFormat`` for servers without schemas) for
/// `{"subquestions": ["…", "…"]}`; an empty list means the
/// question is atomic. A reply is accepted when it parses as that object (or as a bare JSON array of strings,
/// possibly inside a Markdown code fence), every subquestion is a non-blank string, there are at most
/// ``maximumSubquestions``, and none repeats the question. Repeated subquestions are merged.
///
/// A reply that fails the check is shown back to the model with the reason, and the model is asked again,
/// up to ``maximumAttempts`` replies in all. Then the decomposer throws
/// ``LanguageModelError/Code/malformedOutput`` carrying the last raw reply.
public struct LanguageModelDecomposer: Decomposer {
    /// The question type: text.
    public typealias Question = String

    /// The default prompt.
    ///
    /// - System: "You split a question into simpler subquestions whose answers, together, answer it. Reply
    ///   with JSON only, in the form {"subquestions": ["first subquestion", "second subquestion"]}. Give at
    ///   most {{maximumSubquestions}} subquestions; each must make sense on its own. If the question is simple
    ///   enough to answer directly, reply {"subquestions": []}."
    /// - User: "Question: {{question}}"
    public static let defaultPrompt = PromptTemplate(
        system: """
            You split a question into simpler subquestions whose answers, together, answer it. \
            Reply with JSON only, in the form {"subquestions": ["first subquestion", "second subquestion"]}. \
            Give at most {{maximumSubquestions}} subquestions; each must make sense on its own. \
            If the question is simple enough to answer directly, reply {"subquestions": []}.
            """,
        user: "Question: {{question}}"
    )

    /// The client that sends requests.
    public var client: ChatCompletionsClient
    /// The prompt; it must use `{{question}}` and may use `{{maximumSubquestions}}`.
    public let prompt: PromptTemplate
    /// The most subquestions a reply may list.
    public let maximumSubquestions: Int
    /// The most replies asked for per question, the first included.
    public let maximumAttempts: Int
    /// The reply's form: ``subquestionSchema(maximumSubquestions:)`` unless given; ``ResponseFormat/jsonObject``
    /// skips the schema.
    public var responseFormat: ResponseFormat
    /// The most tokens per reply, or `nil` for the client's setting.
    public var maximumTokens: Int?

    /// Creates a decomposer.
    ///
    /// - Parameters:
    ///   - client: The client that sends requests.
    ///   - prompt: The prompt template; it must use `{{question}}`.
    ///   - maximumSubquestions: The most subquestions per question.
    ///   - maximumAttempts: The most replies asked for per question.
    ///   - responseFormat: The reply's form, or `nil` for ``subquestionSchema(maximumSubquestions:)``.
    ///   - maximumTokens: The most tokens per reply.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` for a prompt without `{{question}}` or a
    ///   limit below 1.
    public init(
        client: ChatCompletionsClient,
        prompt: PromptTemplate = LanguageModelDecomposer.defaultPrompt,
        maximumSubquestions: Int = 4,
        maximumAttempts: Int = 3,
        responseFormat: ResponseFormat? = nil,
        maximumTokens: Int? = nil
    ) throws {
        try prompt.validate(requiring: ["question"], for: "decomposer")
        guard maximumSubquestions >= 1, maximumAttempts >= 1 else {
            throw LanguageModelError(
                code: .invalidConfiguration,
                message: "maximumSubquestions and maximumAttempts must be at least 1, not "
                    + "\(maximumSubquestions) and \(maximumAttempts)"
            )
        }
        self.client = client
        self.prompt = prompt
        self.maximumSubquestions = maximumSubquestions
        self.maximumAttempts = maximumAttempts
        self.responseFormat = responseFormat ?? Self.subquestionSchema(maximumSubquestions: maximumSubquestions)
        self.maximumTokens = maximumTokens
    }

    /// Returns a JSON schema format for `{"subquestions": [string]}` with at most `maximumSubquestions` items.
    public static func subquestionSchema(maximumSubquestions: Int) -> ResponseFormat {
        .jsonSchema(
            name: "decomposition",
            schema: [
                "type": "object",
                "properties": [
                    "subquestions": [
                        "type": "array", "items": ["type": "string"], "maxItems": .integer(maximumSubquestions),
                    ]
                ],
                "required": ["subquestions"],
                "additionalProperties": false,
            ]
        )
    }

    /// Returns the messages sent first for a question.
    public func messages(for question: String) -> [ChatMessage] {
        prompt.render(["question": question, "maximumSubquestions": String(maximumSubquestions)])
    }

    /// Asks the model how the question splits, re-asking on unusable replies.
    ///
    /// - Parameter question: The question to split.
    /// - Returns: `Decomposition.atomic` for an empty list, otherwise the subquestions.
    /// - Throws: ``LanguageModelError/Code/malformedOutput`` with the last reply when no reply passed the
    ///   check, or the client's errors.
    public func decompose(_ question: String) async throws -> Decomposition<String> {
        var conversation = messages(for: question)
        var lastReply = ""
        var lastProblem = ""
        for _ in 1...maximumAttempts {
            let completion = try await client.complete(
                ChatRequest(messages: conversation, maximumTokens: maximumTokens, responseFormat: responseFormat)
            )
            lastReply = completion.text
            switch Self.parse(completion.text, question: question, maximumSubquestions: maximumSubquestions) {
            case .success(let subquestions):
                return subquestions.isEmpty ? .atomic : .subquestions(subquestions)
            case .failure(let problem):
                lastProblem = problem.reason
                conversation.append(.assistant(completion.text))
                conversation.append(
                    .user(
                        "That reply cannot be used: \(problem.reason). Reply with JSON only, in the form "
                            + "{\"subquestions\": [\"first subquestion\", \"second subquestion\"]}, with at most "
                            + "\(maximumSubquestions) subquestions, or {\"subquestions\": []}."
                    )
                )
            }
        }
        throw LanguageModelError(
            code: .malformedOutput,
            message: "the model gave no usable list of subquestions for \"\(question)\": \(lastProblem)",
            attempts: maximumAttempts,
            rawOutput: lastReply
        )
    }

    /// Why a reply is not a usable list of subquestions.
    struct ParseProblem: Error, Equatable {
        var reason: String
    }

    /// Returns the subquestions a reply lists, or why it does not.
    static func parse(
        _ reply: String,
        question: String,
        maximumSubquestions: Int
    ) -> Result<[String], ParseProblem> {
        guard let start = reply.firstIndex(where: { $0 == "{" || $0 == "[" }) else {
            return .failure(ParseProblem(reason: "it contains no JSON"))
        }
        let closing: Character = reply[start] == "{" ? "}" : "]"
        guard let end = reply.lastIndex(of: closing), end > start else {
            return .failure(ParseProblem(reason: "its JSON is incomplete"))
        }
        guard let json = try? JSONValue(parsing: Data(reply[start...end].utf8)) else {
            return .failure(ParseProblem(reason: "it is not valid JSON"))
        }
        let list: [JSONValue]
        switch json {
        case .array(let elements):
            list = elements
        case .object(let members):
            guard let value = members["subquestions"] else {
                return .failure(ParseProblem(reason: "the JSON object has no \"subquestions\" member"))
            }
            guard let elements = value.arrayValue else {
                return .failure(ParseProblem(reason: "\"subquestions\" is a \(value.typeName), not an array"))
            }
            list = elements
        default:
            return .failure(ParseProblem(reason: "the JSON is a \(json.typeName), not an object"))
        }
        var subquestions: [String] = []
        let normalizedQuestion = normalize(question)
        for (index, element) in list.enumerated() {
            guard let text = element.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) else {
                return .failure(ParseProblem(reason: "subquestion \(index + 1) is a \(element.typeName), not a string"))
            }
            guard !text.isEmpty else { return .failure(ParseProblem(reason: "subquestion \(index + 1) is blank")) }
            guard normalizedQuestion.isEmpty || normalize(text) != normalizedQuestion else {
                return .failure(ParseProblem(reason: "subquestion \(index + 1) repeats the question"))
            }
            if !subquestions.contains(text) { subquestions.append(text) }
        }
        guard subquestions.count <= maximumSubquestions else {
            return .failure(
                ParseProblem(reason: "it lists \(subquestions.count) subquestions, more than \(maximumSubquestions)")
            )
        }
        return .success(subquestions)
    }

    private static func normalize(_ text: String) -> String {
        text.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
