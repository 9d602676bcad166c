/// What a person acting as H does at a workspace: ask subquestions, answer, or say they do not know.
///
/// Its text form is what a person types at `amplify human` and what a model fine-tuned to act as H emits:
///
/// - `ask QUESTION` asks one subquestion; `ask Q1 | Q2 | Q3` asks several in parallel.
/// - `answer TEXT` answers the workspace's question.
/// - `unknown` says the person cannot answer it.
public enum HumanResponse: Hashable, Sendable {
    /// Ask these subquestions, in parallel when there are several; the workspace gets their answers.
    case ask([String])
    /// Answer the workspace's question.
    case answer(String)
    /// The question cannot be answered here.
    case unknown

    /// Reads a response from its text form.
    ///
    /// - Parameter text: A line such as `ask sum 1 2 | sum 3 4`, `answer 10` or `unknown`.
    /// - Throws: ``HumanResponseSyntaxError`` saying what is wrong with the line.
    public init(parsing text: String) throws(HumanResponseSyntaxError) {
        let line = text.trimmingWhitespace()
        let (verb, rest) = line.splitAtFirstSpace()
        switch verb.lowercased() {
        case "ask":
            let questions = rest.split(separator: "|", omittingEmptySubsequences: false).map {
                String($0).trimmingWhitespace()
            }
            guard !rest.isEmpty else { throw HumanResponseSyntaxError("'ask' needs a question: ask QUESTION") }
            guard !questions.contains(where: \.isEmpty) else {
                throw HumanResponseSyntaxError("an empty subquestion between '|' separators")
            }
            self = .ask(questions)
        case "answer":
            guard !rest.isEmpty else { throw HumanResponseSyntaxError("'answer' needs the answer: answer TEXT") }
            self = .answer(rest)
        case "unknown":
            guard rest.isEmpty else { throw HumanResponseSyntaxError("'unknown' takes nothing after it") }
            self = .unknown
        case "":
            throw HumanResponseSyntaxError("an empty line; type ask QUESTION, answer TEXT or unknown")
        default:
            throw HumanResponseSyntaxError("unknown command '\(verb)'; type ask QUESTION, answer TEXT or unknown")
        }
    }

    /// The response's text form, which ``init(parsing:)`` reads back.
    public var text: String {
        switch self {
        case .ask(let questions): "ask " + questions.joined(separator: " | ")
        case .answer(let answer): "answer " + answer
        case .unknown: "unknown"
        }
    }
}

/// A line that is not a ``HumanResponse``; the message says what is wrong and what to type.
public struct HumanResponseSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with the line.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameter message: What is wrong with the line.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension HumanResponse: Codable {
    private enum CodingKeys: String, CodingKey {
        case ask, answer, unknown
    }

    /// Decodes `{"ask": [...]}`, `{"answer": …}` or `{"unknown": true}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let questions = try container.decodeIfPresent([String].self, forKey: .ask) {
            guard !questions.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .ask, in: container, debugDescription: "an 'ask' response with no question")
            }
            self = .ask(questions)
        } else if let answer = try container.decodeIfPresent(String.self, forKey: .answer) {
            self = .answer(answer)
        } else if try container.decodeIfPresent(Bool.self, forKey: .unknown) == true {
            self = .unknown
        } else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a response needs \"ask\", \"answer\" or \"unknown\": true"))
        }
    }

    /// Encodes `{"ask": [...]}`, `{"answer": …}` or `{"unknown": true}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ask(let questions): try container.encode(questions, forKey: .ask)
        case .answer(let answer): try container.encode(answer, forKey: .answer)
        case .unknown: try container.encode(true, forKey: .unknown)
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let characters = Substring(self).drop(while: \.isWhitespace)
        return String(characters.reversed().drop(while: \.isWhitespace).reversed())
    }

    fileprivate func splitAtFirstSpace() -> (String, String) {
        guard let space = firstIndex(where: \.isWhitespace) else { return (self, "") }
        return (String(self[..<space]), String(self[space...]).trimmingWhitespace())
    }
}
