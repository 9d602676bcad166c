/// A question together with the answer the amplified system gave, and where that answer came from.
///
/// Demonstrations are the training data of distillation. ``Trace/demonstrations(round:scope:)`` extracts
/// them from a run; they encode to JSON when their question and answer do.
public struct Demonstration<Question: Sendable, Answer: Sendable>: Sendable {
    /// The question.
    public var question: Question
    /// The amplified system's answer.
    public var answer: Answer
    /// Where the answer came from.
    public var provenance: DemonstrationProvenance

    /// Creates a demonstration.
    ///
    /// - Parameters:
    ///   - question: The question.
    ///   - answer: The answer.
    ///   - provenance: Where the answer came from.
    public init(question: Question, answer: Answer, provenance: DemonstrationProvenance = .init()) {
        self.question = question
        self.answer = answer
        self.provenance = provenance
    }
}

/// Where a demonstration's answer came from: the round, the node of the trace, and whether it was verified.
public struct DemonstrationProvenance: Hashable, Codable, Sendable {
    /// The amplification round that produced the answer, if known.
    public var round: Int?
    /// The depth of the node in its HCH tree; 0 is the root.
    public var depth: Int
    /// The index of the node in its ``Trace``, if the run was traced.
    public var traceNode: Int?
    /// Whether a supervisor verified the answer with a check of its own.
    public var verified: Bool

    /// Creates a provenance record.
    ///
    /// - Parameters:
    ///   - round: The amplification round, if known.
    ///   - depth: The node's depth; 0 is the root.
    ///   - traceNode: The node's index in its trace.
    ///   - verified: Whether a supervisor verified the answer.
    public init(round: Int? = nil, depth: Int = 0, traceNode: Int? = nil, verified: Bool = false) {
        self.round = round
        self.depth = depth
        self.traceNode = traceNode
        self.verified = verified
    }
}

extension Demonstration: Equatable where Question: Equatable, Answer: Equatable {}
extension Demonstration: Hashable where Question: Hashable, Answer: Hashable {}
extension Demonstration: Encodable where Question: Encodable, Answer: Encodable {}
extension Demonstration: Decodable where Question: Decodable, Answer: Decodable {}
