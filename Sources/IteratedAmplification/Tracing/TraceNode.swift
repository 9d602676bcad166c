/// Who answered a node: the supervisor H, or the assistant X.
public enum NodeRole: String, Hashable, Codable, Sendable {
    /// The supervisor answered, possibly with help.
    case supervisor
    /// The assistant answered.
    case assistant
}

/// Where a node's answer came from, when it was not computed at the node.
public enum CacheOutcome: String, Hashable, Codable, Sendable {
    /// The node computed its answer.
    case miss
    /// Another node of the same run computed it (memoization).
    case memoized
    /// The shared ``AnswerCache`` had it.
    case sharedCache
}

/// One node of a recorded HCH tree.
public struct TraceNode<Question: Sendable, Answer: Sendable>: Sendable {
    /// The node's index in ``Trace/nodes`` (preorder: a parent before its children).
    public var id: Int
    /// The index of the parent, or `nil` for the root.
    public var parent: Int?
    /// The indices of the children, in the order the supervisor asked them.
    public var children: [Int]
    /// The node's question.
    public var question: Question
    /// The node's answer, or `nil` when it failed.
    public var answer: Answer?
    /// Who answered.
    public var role: NodeRole
    /// The node's depth; the root is at 0.
    public var depth: Int
    /// The levels of help below the node.
    public var remainingDepth: HCHDepth
    /// When the node started, measured from the start of the run.
    public var start: Duration
    /// When the node finished, measured from the start of the run.
    public var end: Duration
    /// The cost units reported while the node's own calls ran (not its children's).
    public var cost: Double
    /// Where the answer came from.
    public var cache: CacheOutcome
    /// How many times a call at this node was retried.
    public var retries: Int
    /// The error the node failed with, described.
    public var error: String?
    /// Whether the asking supervisor verified this answer with a check of its own.
    public var verified: Bool
    /// Whether the engine refused this node help, so its supervisor answered alone.
    public var unaided: Bool

    /// The model calls made while the node ran (the messages sent and the raw replies), when the run's
    /// ``HCHConfiguration/recordsModelCalls`` is on; empty otherwise.
    public var modelCalls: [ModelCall]

    /// The time the node took, its children included.
    public var duration: Duration { end - start }

    @usableFromInline
    init(
        id: Int,
        parent: Int?,
        children: [Int],
        question: Question,
        answer: Answer?,
        role: NodeRole,
        depth: Int,
        remainingLevels: Int,
        start: Duration,
        end: Duration,
        cost: Double,
        cache: CacheOutcome,
        retries: Int,
        error: String?,
        verified: Bool,
        unaided: Bool,
        modelCalls: [ModelCall] = []
    ) {
        self.modelCalls = modelCalls
        self.id = id
        self.parent = parent
        self.children = children
        self.question = question
        self.answer = answer
        self.role = role
        self.depth = depth
        self.remainingDepth = HCHDepth(engineLevels: remainingLevels)
        self.start = start
        self.end = end
        self.cost = cost
        self.cache = cache
        self.retries = retries
        self.error = error
        self.verified = verified
        self.unaided = unaided
    }
}

extension TraceNode: Equatable where Question: Equatable, Answer: Equatable {}
extension TraceNode: Hashable where Question: Hashable, Answer: Hashable {}
