public import Synchronization

/// One supervisor node in flight: what the engine knows about it while its supervisor thinks.
@usableFromInline
final class NodeContext<Question: Hashable & Sendable>: Sendable {
    @usableFromInline let question: Question
    @usableFromInline let questionHash: Int
    @usableFromInline let depth: Int
    @usableFromInline let remainingDepth: Int
    @usableFromInline let parent: NodeContext<Question>?
    /// The question hashes on the path from the root to this node: most cycle checks end here.
    @usableFromInline let pathFilter: PathFilter
    /// The node's record number in the trace and event stream, or -1 when neither is on.
    @usableFromInline let recordID: Int
    /// Whether the engine refused this node help; it then answers alone.
    @usableFromInline let unaided: Bool
    /// Whether a subquestion was answered without full help (refused under a lenient policy, or built on such an
    /// answer): then this node's answer is not kept in the shared cache either.
    ///
    /// Next to `unaided`, so that the two flags share one word: the object is no larger for its `subtree`.
    @usableFromInline let helpRefusedBelow = Atomic<Bool>(false)
    /// Hands out ordinals to the node's subquestions, in the order the supervisor asks them.
    @usableFromInline let askCounter: Atomic<Int>
    /// The supervisor slot this node holds while its supervisor thinks (used when supervisor calls are capped).
    @usableFromInline let slot = Mutex<SupervisorSlot>(SupervisorSlot())
    /// The questions asked below this node, shared by its retries; only in a run that memoizes and checks cycles.
    @usableFromInline let subtree: SubtreeQuestions<Question>?

    @inlinable
    init(
        question: Question,
        questionHash: Int,
        depth: Int,
        remainingDepth: Int,
        parent: NodeContext<Question>?,
        recordID: Int,
        unaided: Bool,
        firstOrdinal: Int = 0,
        subtree: SubtreeQuestions<Question>? = nil
    ) {
        askCounter = Atomic(firstOrdinal)
        self.subtree = subtree
        self.question = question
        self.questionHash = questionHash
        self.depth = depth
        self.remainingDepth = remainingDepth
        self.parent = parent
        pathFilter = (parent?.pathFilter ?? PathFilter()).adding(questionHash)
        self.recordID = recordID
        self.unaided = unaided
    }

    @inlinable
    var canConsult: Bool { !unaided && remainingDepth > 0 }

    /// The remaining depth of this node's subquestions.
    @inlinable
    var childRemainingDepth: Int {
        remainingDepth == HCHDepth.unlimited.engineLevels ? remainingDepth : remainingDepth - 1
    }

    /// The questions from the root to this node.
    @inlinable
    var path: [Question] {
        var questions: [Question] = []
        var node: NodeContext? = self
        while let current = node {
            questions.append(current.question)
            node = current.parent
        }
        return questions.reversed()
    }

    /// The path of the node below `parent` that asks `question`: the parent's path and the question.
    @inlinable
    static func path(of question: Question, below parent: NodeContext?) -> [Question] {
        path(below: parent) + [question]
    }

    /// The path from the root to `parent`, empty for the root's own question.
    @inlinable
    static func path(below parent: NodeContext?) -> [Question] {
        parent?.path ?? []
    }

    /// Reserves `count` consecutive ordinals for subquestions and returns the first.
    @inlinable
    func reserveOrdinals(_ count: Int) -> Int {
        askCounter.wrappingAdd(count, ordering: .relaxed).oldValue
    }

    /// The depth of the nearest node from here up to the root whose question is `question`, if any.
    @inlinable
    func depthOnPath(of question: Question, hash: Int) -> Int? {
        var node: NodeContext? = self
        while let current = node {
            if current.questionHash == hash && current.question == question { return current.depth }
            node = current.parent
        }
        return nil
    }

    /// Returns whether `question` (with hash `hash`) is this node's question or an ancestor's.
    @inlinable
    func pathContains(_ question: Question, hash: Int) -> Bool {
        pathFilter.mayContain(hash) && depthOnPath(of: question, hash: hash) != nil
    }
}

/// Whether a supervisor node holds its concurrency slot, and how many of its asks are outstanding.
@usableFromInline
struct SupervisorSlot: Sendable {
    @usableFromInline var holding = false
    @usableFromInline var outstandingAsks = 0

    @inlinable init() {}
}
