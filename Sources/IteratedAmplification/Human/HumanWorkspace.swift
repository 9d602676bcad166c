import Foundation

/// What a person acting as H sees at one node of an HCH tree: the question, and the subquestions asked so far with
/// their answers.
///
/// A workspace holds nothing else: as in HCH, each copy of H sees only its own question, not the path that led
/// to it. Two nodes with the same workspace are the same decision, so a ``HumanSession`` answers the second from
/// the first and the person is never asked twice.
public struct HumanWorkspace: Hashable, Codable, Sendable {
    /// The question at this node.
    public var question: String
    /// The subquestions asked so far and their outcomes, in the order they were asked.
    public var exchanges: [Exchange]
    /// Whether the person may ask subquestions here (`false` at HCH_0, where H answers alone).
    public var canAsk: Bool

    /// One subquestion and its outcome.
    public struct Exchange: Hashable, Codable, Sendable {
        /// The subquestion.
        public var question: String
        /// The subquestion's outcome.
        public var outcome: Outcome

        /// Creates an exchange.
        ///
        /// - Parameters:
        ///   - question: The subquestion.
        ///   - outcome: Its answer, or why it has none.
        public init(question: String, outcome: Outcome) {
            self.question = question
            self.outcome = outcome
        }
    }

    /// A subquestion's outcome: its answer, or the reason it failed (a budget, a cycle, a model error).
    public enum Outcome: Hashable, Sendable {
        /// The subquestion's answer.
        case answered(String)
        /// The subquestion failed; the message says why.
        case failed(String)
    }

    /// Creates a workspace.
    ///
    /// - Parameters:
    ///   - question: The question at this node.
    ///   - exchanges: The subquestions asked so far.
    ///   - canAsk: Whether subquestions may be asked.
    public init(question: String, exchanges: [Exchange] = [], canAsk: Bool) {
        self.question = question
        self.exchanges = exchanges
        self.canAsk = canAsk
    }

    /// The workspace as plain text, as a person reads it at a terminal and a model reads it in fine-tuning data.
    ///
    /// ```text
    /// Question: sum 1 2 3 4
    /// Asked so far:
    ///   1. sum 1 2 → 3
    ///   2. sum 3 4 → 7
    /// ```
    public var transcript: String {
        var lines = ["Question: \(question)"]
        if !exchanges.isEmpty {
            lines.append("Asked so far:")
            for (index, exchange) in exchanges.enumerated() {
                switch exchange.outcome {
                case .answered(let answer): lines.append("  \(index + 1). \(exchange.question) → \(answer)")
                case .failed(let reason): lines.append("  \(index + 1). \(exchange.question) → failed: \(reason)")
                }
            }
        }
        if !canAsk { lines.append("(No subquestions here: answer alone.)") }
        return lines.joined(separator: "\n")
    }
}

extension HumanWorkspace {
    /// Reads a workspace back from its ``transcript``.
    ///
    /// The transcript is text for people and models, so the round trip holds for questions and answers on one
    /// line each, without " → " in a subquestion; a question may span lines.
    ///
    /// - Parameter transcript: Text as ``transcript`` writes it.
    /// - Throws: ``HumanResponseSyntaxError`` saying which part is not as ``transcript`` writes it.
    public init(transcript: String) throws(HumanResponseSyntaxError) {
        var lines = transcript.components(separatedBy: "\n")
        var canAsk = true
        if lines.last == "(No subquestions here: answer alone.)" {
            canAsk = false
            lines.removeLast()
        }
        var exchangeLines: [String] = []
        if let marker = lines.firstIndex(of: "Asked so far:") {
            exchangeLines = Array(lines[(marker + 1)...])
            lines.removeSubrange(marker...)
        }
        let questionText = lines.joined(separator: "\n")
        guard questionText.hasPrefix("Question: ") else {
            throw HumanResponseSyntaxError("a workspace starts with \"Question: \"")
        }
        var workspace = HumanWorkspace(question: String(questionText.dropFirst("Question: ".count)), canAsk: canAsk)
        for (index, line) in exchangeLines.enumerated() {
            let number = "  \(index + 1). "
            guard line.hasPrefix(number), let arrow = line.range(of: " → ") else {
                throw HumanResponseSyntaxError(
                    "subquestion \(index + 1) is not \"\(number)QUESTION → ANSWER\": \(line)")
            }
            let subquestion = String(line[line.index(line.startIndex, offsetBy: number.count)..<arrow.lowerBound])
            let rest = String(line[arrow.upperBound...])
            let outcome: Outcome =
                rest.hasPrefix("failed: ") ? .failed(String(rest.dropFirst("failed: ".count))) : .answered(rest)
            workspace.exchanges.append(Exchange(question: subquestion, outcome: outcome))
        }
        self = workspace
    }
}

extension HumanWorkspace.Outcome: Codable {
    private enum CodingKeys: String, CodingKey {
        case answer, failure
    }

    /// Decodes `{"answer": …}` or `{"failure": …}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let answer = try container.decodeIfPresent(String.self, forKey: .answer) {
            self = .answered(answer)
        } else if let failure = try container.decodeIfPresent(String.self, forKey: .failure) {
            self = .failed(failure)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "an outcome needs \"answer\" or \"failure\""))
        }
    }

    /// Encodes `{"answer": …}` or `{"failure": …}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .answered(let answer): try container.encode(answer, forKey: .answer)
        case .failed(let reason): try container.encode(reason, forKey: .failure)
        }
    }
}
