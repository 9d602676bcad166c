/// What the engine knows about a node from its start: its place in the tree, its role and its record number.
///
/// A value, small and fixed, so that the async frames that carry it while the node waits stay small.
@usableFromInline
struct NodeStart: Sendable {
    @usableFromInline let depth: Int
    @usableFromInline let remainingDepth: Int
    /// The node's place among its parent's subquestions, in the order they were asked.
    @usableFromInline let ordinal: Int
    @usableFromInline let role: NodeRole
    /// The question's hash when memoization or cycle detection needs it, else 0.
    @usableFromInline let hash: Int
    /// The node's record number in the trace and event stream, or -1 when neither is on.
    @usableFromInline let recordID: Int
    /// When the node started, since the run's start, when the run records a trace; else zero.
    @usableFromInline let start: Duration

    @inlinable
    init(
        depth: Int,
        remainingDepth: Int,
        ordinal: Int,
        role: NodeRole,
        hash: Int,
        recordID: Int,
        start: Duration
    ) {
        self.depth = depth
        self.remainingDepth = remainingDepth
        self.ordinal = ordinal
        self.role = role
        self.hash = hash
        self.recordID = recordID
        self.start = start
    }

    /// Whose answer the shared cache keeps for this node.
    @inlinable
    var cacheSource: AnswerSource {
        role == .assistant ? .assistant : .hch(remainingDepth: HCHDepth(engineLevels: remainingDepth))
    }
}
