public import Synchronization

/// The supervisor questions asked below one node, and the shallowest ancestor a cycle below it reached.
///
/// Kept only when a run both memoizes and checks cycles. A cycle check reads a node's ancestors, so an answer
/// computed under one path may not be the answer under another. An answer whose cycles all closed inside its
/// own subtree is the same under every path whose ancestors ask none of its subtree's questions. So the memo
/// shares only such answers, and only with askers whose paths meet none of the subtree's questions. Every other
/// asker computes the node itself, as it would without memoization.
///
/// Only questions claimed at more than one depth can be on one path and below a node deeper on another, so an
/// asker's check looks for those alone, and most checks end before they start.
///
/// The questions form a graph rather than a set: a node holds the questions its own subquestions asked, and
/// refers to the records of their subtrees, shared with the memo. So a tree costs one record per supervisor
/// node, not one question per node and ancestor.
@usableFromInline
final class SubtreeQuestions<Question: Hashable & Sendable>: Sendable {
    @usableFromInline
    struct State: Sendable {
        /// The supervisor subquestions asked directly below the node, with their hashes.
        @usableFromInline var questions: [(question: Question, hash: Int)] = []
        /// The records of those subquestions' own subtrees.
        @usableFromInline var below: [SubtreeQuestions] = []
        /// The depth of the shallowest ancestor that a question in the subtree recurred on; `Int.max` for none.
        @usableFromInline var shallowestCycleDepth = Int.max
        /// The hashes of every question reachable from here, once the node has finished.
        @usableFromInline var reachable = PathFilter()

        @inlinable init() {}
    }

    @usableFromInline let state = Mutex(State())

    @inlinable
    init() {}

    /// Notes a supervisor subquestion that finished, with the record of its subtree.
    @inlinable
    func add(_ question: Question, hash: Int, below subtree: SubtreeQuestions) {
        let shallowest = subtree.shallowestCycleDepth
        state.withLock { state in
            state.questions.append((question, hash))
            state.below.append(subtree)
            state.shallowestCycleDepth = min(state.shallowestCycleDepth, shallowest)
        }
    }

    /// Notes a subquestion that recurred on the ancestor at `ancestorDepth`.
    @inlinable
    func addCycle(_ question: Question, hash: Int, ancestorDepth: Int) {
        state.withLock { state in
            state.questions.append((question, hash))
            state.shallowestCycleDepth = min(state.shallowestCycleDepth, ancestorDepth)
        }
    }

    @inlinable
    var shallowestCycleDepth: Int { state.withLock { $0.shallowestCycleDepth } }

    /// Whether the node at `depth` that owns this record computed its answer independently of its ancestors:
    /// every cycle below it recurred on it or on a node below it.
    @inlinable
    func isIndependentOfAncestors(atDepth depth: Int) -> Bool { shallowestCycleDepth >= depth }

    /// Closes the record once its node has finished, and no subquestion can add to it: from now on it is read only.
    @inlinable
    func seal() {
        state.withLock { state in
            var reachable = PathFilter()
            for entry in state.questions { reachable = reachable.adding(entry.hash) }
            for subtree in state.below { reachable.formUnion(subtree.state.withLock { $0.reachable }) }
            state.reachable = reachable
        }
    }

    /// Whether one of `questions` was asked in this subtree.
    ///
    /// Visits each shared record once, and skips a record when none of `questions` can be reachable from it.
    @inlinable
    func contains(anyOf questions: [(question: Question, hash: Int)]) -> Bool {
        var visited = Set<ObjectIdentifier>()
        var pending: [SubtreeQuestions] = [self]
        while let subtree = pending.popLast() {
            guard visited.insert(ObjectIdentifier(subtree)).inserted else { continue }
            let found = subtree.state.withLock { state -> Bool in
                guard questions.contains(where: { state.reachable.mayContain($0.hash) }) else { return false }
                for entry in state.questions {
                    if questions.contains(where: { $0.hash == entry.hash && $0.question == entry.question }) {
                        return true
                    }
                }
                pending.append(contentsOf: state.below)
                return false
            }
            if found { return true }
        }
        return false
    }
}

extension SubtreeQuestions {
    /// Whether a question asked in this subtree is on the path from the root to `node`, `node` included.
    ///
    /// Only a question claimed at more than one depth can be both on the path and below a node deeper than it:
    /// the memo's filter of such questions rules out most ancestors, its record confirms the rest, and only the
    /// confirmed ones are looked for in the subtree.
    ///
    /// - Parameter checkingEveryAncestor: Whether to look for every ancestor's question, not only those claimed at
    ///   several depths: for an asker deeper than the node that settled the answer (a memo shared across levels),
    ///   whose ancestors may share a depth with the questions below that node.
    @inlinable
    func meetsPath<Answer>(
        of node: NodeContext<Question>,
        in memo: Memo<Question, Answer>,
        checkingEveryAncestor: Bool = false
    ) -> Bool {
        let recurring = memo.recurringQuestions
        var candidates: [(question: Question, hash: Int)] = []
        var current: NodeContext? = node
        while let ancestor = current {
            if checkingEveryAncestor || recurring.mayContain(ancestor.questionHash) {
                candidates.append((ancestor.question, ancestor.questionHash))
            }
            current = ancestor.parent
        }
        guard !candidates.isEmpty else { return false }
        if checkingEveryAncestor { return contains(anyOf: candidates) }
        let confirmed = memo.recurring(among: candidates)
        return !confirmed.isEmpty && contains(anyOf: confirmed)
    }
}
