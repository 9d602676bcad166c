public import Synchronization

// Memo coordination for one node: claim, share or abandon, settle a failure.
extension Run {
    /// Closes a finished supervisor node's record of the questions asked below it and adds it to its parent's.
    ///
    /// - Returns: Whether the node's answer or failure is independent of its ancestors, so that the memo may share
    ///   it; always `true` when the run keeps no such records.
    @inlinable
    func settle(
        _ subtree: SubtreeQuestions<Question>?,
        _ question: Question,
        parent: NodeContext<Question>?,
        node: NodeStart
    ) -> Bool {
        guard Steps.includesOptionalSteps, let subtree else { return true }
        subtree.seal()
        parent?.subtree?.add(question, hash: node.hash, below: subtree)
        return subtree.isIndependentOfAncestors(atDepth: node.depth)
    }

    /// What a node does after claiming its memo entry.
    @usableFromInline
    enum MemoDecision {
        /// The node computes the answer for every node that asks the same question at its depth.
        case compute
        /// The node computes its answer for itself alone: the one shared would differ on its path.
        case computeAlone
        /// Another node's answer is this node's.
        case reuse(MemoHit)
    }

    /// An answer another node of the run computed, with where it came from.
    @usableFromInline
    struct MemoHit {
        @usableFromInline var answer: Answer
        @usableFromInline var source: Int
        @usableFromInline var outcome: NodeOutcome

        @inlinable init(answer: Answer, source: Int, outcome: NodeOutcome) {
            self.answer = answer
            self.source = source
            self.outcome = outcome
        }
    }

    /// Claims the node's memo entry: whether this node computes the answer, and for whom, or another node's answer.
    ///
    /// A memoized failure is recorded and thrown with this node's path. An answer or failure computed below
    /// questions that are on this node's path is not this node's: the node computes its own.
    @inlinable
    @inline(never)
    func claimMemo(
        _ question: Question,
        parent: NodeContext<Question>?,
        node: NodeStart
    ) async throws -> MemoDecision {
        guard let memo else { return .compute }
        let claim: Memo<Question, Answer>.Claim
        do {
            claim = try await memo.claim(
                memo.key(question, depth: node.depth, role: node.role), source: node.recordID, depth: node.depth,
                notingClaimOfQuestionWithHash: tracksSubtrees && node.role == .supervisor ? node.hash : nil,
                parent: parent
            )
        } catch {
            // Cancelled while waiting for another node's answer: the node still finishes, for the events.
            let failure = EngineError(
                code: .supervisorFailed, message: "the node was cancelled while waiting for a memoized answer",
                path: NodeContext.path(of: question, below: parent), underlyingError: error
            )
            record(node, parent, question, .failure(failure), NodeOutcome(), memoSource: -1, verified: false)
            throw error
        }
        if let subtree = claim.subtree {
            // An outcome computed below a question on this node's path is not this node's.
            let settledAbove = (claim.settledDepth ?? node.depth) < node.depth
            if let parent, subtree.meetsPath(of: parent, in: memo, checkingEveryAncestor: settledAbove) {
                return .computeAlone
            }
            parent?.subtree?.add(question, hash: node.hash, below: subtree)
        }
        switch claim {
        case .compute:
            return .compute
        case .computeAlone:
            return .computeAlone
        case .answered(let memoized, let source, _, let degraded, _):
            ledger.countMemoizedAnswer()
            if degraded { parent?.helpRefusedBelow.store(true, ordering: .relaxed) }
            var outcome = NodeOutcome()
            outcome.degraded = degraded
            outcome.cache = .memoized
            return .reuse(MemoHit(answer: memoized, source: source, outcome: outcome))
        case .failed(var error, let source, let failedDepth, _):
            // The error names the path of the node that computed it, at `failedDepth`; this node reached the same
            // question by its own path, and continues with the failing node's tail.
            if error.path.count > failedDepth {
                error.path = NodeContext.path(of: question, below: parent) + error.path.dropFirst(failedDepth + 1)
            }
            var outcome = NodeOutcome()
            outcome.cache = .memoized
            record(node, parent, question, .failure(error), outcome, memoSource: source, verified: false)
            throw error
        }
    }

    /// Settles a node that failed: shares or releases its memo entry, records it, and returns the error to throw.
    @inlinable
    @inline(never)
    func nodeFailed(
        _ error: any Error,
        _ question: Question,
        parent: NodeContext<Question>?,
        node: NodeStart,
        subtree: SubtreeQuestions<Question>?,
        outcome: NodeOutcome,
        memoized: Bool
    ) -> any Error {
        let independent = settle(subtree, question, parent: parent, node: node)
        if let error = error as? EngineError {
            // A refusal under a lenient policy is the asker's to handle, and depends on the budget left.
            let shared = memoized && independent && error.refusedNode == nil
            if memoized, let memo {
                let key = memo.key(question, depth: node.depth, role: node.role)
                if shared {
                    memo.fail(key, with: error, depth: node.depth, subtree: subtree)
                } else {
                    memo.abandon(key)
                }
            }
            let memoSource = shared ? node.recordID : -1
            record(node, parent, question, .failure(error), outcome, memoSource: memoSource, verified: false)
            return error
        }
        if memoized, let memo { memo.abandon(memo.key(question, depth: node.depth, role: node.role)) }
        let failure = EngineError(
            code: .supervisorFailed, message: "the node was cancelled or failed",
            path: NodeContext.path(of: question, below: parent), underlyingError: error
        )
        record(node, parent, question, .failure(failure), outcome, memoSource: -1, verified: false)
        return error
    }
}
