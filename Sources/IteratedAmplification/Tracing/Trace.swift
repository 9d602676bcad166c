/// The whole tree of one run, as a value.
///
/// Nodes are stored in preorder: the root first, every parent before its children, siblings in the order
/// the supervisor asked them. With a deterministic supervisor and assistant, the tree (everything but
/// timings) is the same from run to run, whatever the scheduling: when memoization shares an answer, the
/// first node in preorder is shown as computing it and later ones as ``CacheOutcome/memoized``.
public struct Trace<Question: Sendable, Answer: Sendable>: Sendable {
    /// The nodes, in preorder; `nodes[0]` is the root.
    public var nodes: [TraceNode<Question, Answer>]

    /// Creates a trace from nodes in preorder.
    ///
    /// - Parameter nodes: The nodes; `nodes[0]` is the root.
    public init(nodes: [TraceNode<Question, Answer>]) {
        self.nodes = nodes
    }

    /// The root node, or `nil` for an empty trace.
    public var root: TraceNode<Question, Answer>? { nodes.first }

    /// What keeps the nodes from forming one tree in preorder, or `nil` when they do: each node's `id` is its
    /// index, a parent comes before its children, and parents and children name each other.
    var structuralProblem: String? {
        for (index, node) in nodes.enumerated() {
            guard node.id == index else { return "node \(index) has the id \(node.id)" }
            if index == 0 {
                guard node.parent == nil else { return "the root names a parent" }
            } else {
                guard let parent = node.parent, parent < index else {
                    return "node \(index) names no parent before it"
                }
                guard nodes[parent].children.contains(index) else {
                    return "node \(index) names \(parent) as its parent, which does not list it as a child"
                }
            }
            for child in node.children {
                guard child > index, child < nodes.count else {
                    return "node \(index) names the child \(child), not a later node of the \(nodes.count)"
                }
                guard nodes[child].parent == index else {
                    return "node \(index) names the child \(child), whose parent is another"
                }
            }
        }
        return nil
    }

    /// Returns the children of a node, in the order they were asked.
    ///
    /// - Parameter node: The parent.
    public func children(of node: TraceNode<Question, Answer>) -> [TraceNode<Question, Answer>] {
        node.children.map { nodes[$0] }
    }

    /// Returns the questions and answers of the run as training data for distillation.
    ///
    /// Only supervisor nodes that computed an answer contribute: assistant nodes, failed nodes and memoized
    /// duplicates do not.
    ///
    /// - Parameters:
    ///   - round: The amplification round to note in each demonstration's provenance.
    ///   - scope: The root only, or every supervisor node.
    public func demonstrations(round: Int? = nil, scope: DemonstrationScope = .root) -> [Demonstration<
        Question, Answer
    >] {
        let candidates: [TraceNode<Question, Answer>] =
            switch scope.value {
            case .root: nodes.isEmpty ? [] : [nodes[0]]
            case .everySupervisorNode: nodes
            }
        return candidates.compactMap { node in
            guard node.role == .supervisor, node.cache == .miss, let answer = node.answer else { return nil }
            return Demonstration(
                question: node.question,
                answer: answer,
                provenance: DemonstrationProvenance(
                    round: round,
                    depth: node.depth,
                    traceNode: node.id,
                    verified: node.verified
                )
            )
        }
    }
}

/// Which nodes of a trace become demonstrations.
public struct DemonstrationScope: Hashable, Sendable {
    enum Value: Hashable { case root, everySupervisorNode }
    let value: Value

    /// The root's question and answer only.
    public static let root = DemonstrationScope(value: .root)
    /// Every supervisor node that computed an answer.
    public static let everySupervisorNode = DemonstrationScope(value: .everySupervisorNode)
}

extension Trace: Equatable where Question: Equatable, Answer: Equatable {}
extension Trace: Encodable where Question: Encodable, Answer: Encodable {}
extension Trace: Decodable where Question: Decodable, Answer: Decodable {}
