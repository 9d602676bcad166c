public import Foundation

extension TraceNode {
    enum CodingKeys: String, CodingKey {
        case id, parent, children, question, answer, role, depth, remainingDepth
        case startSeconds, endSeconds, cost, cache, retries, error, verified, unaided, modelCalls
    }
}

extension TraceNode: Encodable where Question: Encodable, Answer: Encodable {
    /// Encodes the node; times are seconds from the start of the run, an unlimited depth is `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(parent, forKey: .parent)
        try container.encode(children, forKey: .children)
        try container.encode(question, forKey: .question)
        try container.encodeIfPresent(answer, forKey: .answer)
        try container.encode(role, forKey: .role)
        try container.encode(depth, forKey: .depth)
        try container.encode(remainingDepth, forKey: .remainingDepth)
        try container.encode(start.seconds, forKey: .startSeconds)
        try container.encode(end.seconds, forKey: .endSeconds)
        try container.encode(cost, forKey: .cost)
        try container.encode(cache, forKey: .cache)
        try container.encode(retries, forKey: .retries)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(verified, forKey: .verified)
        try container.encode(unaided, forKey: .unaided)
        if !modelCalls.isEmpty { try container.encode(modelCalls, forKey: .modelCalls) }
    }
}

extension TraceNode: Decodable where Question: Decodable, Answer: Decodable {
    /// Decodes a node written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        parent = try container.decodeIfPresent(Int.self, forKey: .parent)
        children = try container.decode([Int].self, forKey: .children)
        question = try container.decode(Question.self, forKey: .question)
        answer = try container.decodeIfPresent(Answer.self, forKey: .answer)
        role = try container.decode(NodeRole.self, forKey: .role)
        depth = try container.decode(Int.self, forKey: .depth)
        remainingDepth = try container.decodeIfPresent(HCHDepth.self, forKey: .remainingDepth) ?? .unlimited
        start = .seconds(try container.decode(Double.self, forKey: .startSeconds))
        end = .seconds(try container.decode(Double.self, forKey: .endSeconds))
        cost = try container.decode(Double.self, forKey: .cost)
        cache = try container.decode(CacheOutcome.self, forKey: .cache)
        retries = try container.decode(Int.self, forKey: .retries)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        verified = try container.decode(Bool.self, forKey: .verified)
        unaided = try container.decode(Bool.self, forKey: .unaided)
        modelCalls = try container.decodeIfPresent([ModelCall].self, forKey: .modelCalls) ?? []
    }
}

extension Trace where Question: Encodable, Answer: Encodable {
    /// Returns the trace as JSON: `{"nodes": [...]}`, nodes in preorder, times in seconds from the run's start.
    ///
    /// - Parameter prettyPrinted: Whether to indent the output.
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return try encoder.encode(self)
    }
}

extension Trace where Question: Decodable, Answer: Decodable {
    /// Creates a trace from JSON written by ``jsonData(prettyPrinted:)``.
    ///
    /// - Parameter data: The JSON.
    /// - Throws: `DecodingError` when the data is not such a trace, or when its nodes do not form one tree in
    ///   preorder (a node's `id` is not its position, or a child or parent names a node that is not there);
    ///   the error's description names the node.
    public init(jsonData data: Data) throws {
        self = try JSONDecoder().decode(Trace.self, from: data)
        if let problem = structuralProblem {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: problem))
        }
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
