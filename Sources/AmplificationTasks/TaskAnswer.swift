/// The answer to a question of one of the five reference tasks: a small integer, or "unknown".
///
/// The integer is an element, a vertex, a value, a distance or a sum, as the question asks. Answers are kept
/// small and categorical so that a classifier can learn them. "Unknown" is what the weak expert says when a
/// subanswer it needed was unusable, and what a learner says when it has not learned a question.
///
/// In JSON an answer is its integer, or `null` when it is unknown.
public enum TaskAnswer: Hashable, Sendable {
    /// A known answer.
    case value(Int)
    /// The answerer does not know.
    case unknown

    /// The integer of a known answer, or `nil` when the answer is unknown.
    public var value: Int? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// Whether the answer is known.
    public var isKnown: Bool { value != nil }
}

extension TaskAnswer: Codable {
    /// Creates an answer from its JSON form: an integer, or `null` for unknown.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when the value is neither an integer nor `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .unknown : .value(try container.decode(Int.self))
    }

    /// Encodes the answer as its integer, or `null` when it is unknown.
    ///
    /// - Parameter encoder: The encoder to write to.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let value): try container.encode(value)
        case .unknown: try container.encodeNil()
        }
    }
}

extension TaskAnswer: CustomStringConvertible {
    /// The integer, or `?` when the answer is unknown.
    public var description: String { value.map(String.init) ?? "?" }
}
