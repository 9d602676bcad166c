public import Synchronization

/// Collects node records while a run goes on and assembles them into a ``Trace`` at the end.
@usableFromInline
final class TraceRecorder<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    @usableFromInline
    struct Record: Sendable {
        @usableFromInline var id: Int
        @usableFromInline var parent: Int
        @usableFromInline var ordinal: Int
        @usableFromInline var question: Question
        @usableFromInline var answer: Answer?
        @usableFromInline var role: NodeRole
        @usableFromInline var depth: Int
        @usableFromInline var remainingDepth: Int
        @usableFromInline var start: Duration
        @usableFromInline var end: Duration
        @usableFromInline var cost: Double
        @usableFromInline var cache: CacheOutcome
        /// For a memoized node, the record of the node that computed the answer.
        @usableFromInline var memoSource: Int
        @usableFromInline var retries: Int
        @usableFromInline var error: String?
        @usableFromInline var verified: Bool
        @usableFromInline var unaided: Bool

        @inlinable
        init(
            id: Int,
            parent: Int,
            ordinal: Int,
            question: Question,
            answer: Answer?,
            role: NodeRole,
            depth: Int,
            remainingDepth: Int,
            start: Duration,
            end: Duration,
            cost: Double,
            cache: CacheOutcome,
            memoSource: Int,
            retries: Int,
            error: String?,
            verified: Bool,
            unaided: Bool
        ) {
            self.id = id
            self.parent = parent
            self.ordinal = ordinal
            self.question = question
            self.answer = answer
            self.role = role
            self.depth = depth
            self.remainingDepth = remainingDepth
            self.start = start
            self.end = end
            self.cost = cost
            self.cache = cache
            self.memoSource = memoSource
            self.retries = retries
            self.error = error
            self.verified = verified
            self.unaided = unaided
        }
    }

    @usableFromInline let records = Mutex<[Record]>([])
    /// The model calls of each record that made any, by record id: kept apart from the records, which every node
    /// writes, so that the node path carries nothing for them.
    @usableFromInline let modelCallsByRecord = Mutex<[Int: [ModelCall]]>([:])

    @usableFromInline
    init() {}

    @inlinable
    func append(_ record: Record) {
        records.withLock { $0.append(record) }
    }

    /// Keeps model calls made by a record's node (a retry's calls after the earlier attempts').
    @usableFromInline
    func keep(_ calls: [ModelCall], forRecord id: Int) {
        guard !calls.isEmpty else { return }
        modelCallsByRecord.withLock { $0[id, default: []] += calls }
    }

    /// Builds the canonical tree: children ordered by ordinal, memoized groups resolved in preorder.
    ///
    /// Inlinable, so that it is compiled for the run's question and answer types: it copies every record.
    @inlinable
    func trace(recordCount: Int) -> Trace<Question, Answer> {
        let all = records.withLock { $0 }
        let modelCalls = modelCallsByRecord.withLock { $0 }
        guard !all.isEmpty else { return Trace(nodes: []) }
        var byID = [Int](repeating: -1, count: max(recordCount, (all.map(\.id).max() ?? 0) + 1))
        for (index, record) in all.enumerated() { byID[record.id] = index }

        // Children of every record in one array, each record's run from childStart[i] to childStart[i + 1], sorted
        // by ordinal (ties, from concurrent asks, by order of arrival): one allocation, not one per record.
        var roots: [Int] = []
        var childStart = [Int](repeating: 0, count: all.count + 1)
        for (index, record) in all.enumerated() {
            if record.parent < 0 {
                roots.append(index)
            } else if record.parent < byID.count, byID[record.parent] >= 0 {
                childStart[byID[record.parent] + 1] += 1
            }
        }
        for index in 0..<all.count { childStart[index + 1] += childStart[index] }
        var children = [Int](repeating: 0, count: childStart[all.count])
        var filled = childStart
        for (index, record) in all.enumerated()
        where record.parent >= 0 && record.parent < byID.count && byID[record.parent] >= 0 {
            let parent = byID[record.parent]
            children[filled[parent]] = index
            filled[parent] += 1
        }
        for index in 0..<all.count where childStart[index + 1] - childStart[index] > 1 {
            children[childStart[index]..<childStart[index + 1]].sort { all[$0].ordinal < all[$1].ordinal }
        }

        // A memo group is the computing record and every record it answered; the first in preorder shows it.
        var groupShown = Set<Int>()
        var nodes: [TraceNode<Question, Answer>] = []
        nodes.reserveCapacity(all.count)
        // Iterative preorder: (record index, parent node id).
        var stack: [(Int, Int?)] = roots.reversed().map { ($0, nil) }
        while let (index, parentID) = stack.popLast() {
            let record = all[index]
            let group = record.cache == .memoized ? record.memoSource : record.id
            var shown = record
            var expandFrom: Int? = index
            if record.cache == .memoized || record.memoSource == record.id {
                if groupShown.insert(group).inserted {
                    // This node is the first of its group: it shows the computation.
                    if record.cache == .memoized, group < byID.count, byID[group] >= 0 {
                        let source = all[byID[group]]
                        shown.cache = source.cache  // a miss, or the shared cache's answer
                        shown.unaided = source.unaided
                        shown.answer = source.answer
                        shown.error = source.error
                        shown.cost = source.cost
                        shown.retries = source.retries
                        shown.role = source.role
                        expandFrom = byID[group]
                    }
                } else {
                    shown.cache = .memoized
                    shown.cost = 0
                    shown.retries = 0
                    expandFrom = nil
                    if record.cache != .memoized {
                        shown.answer = record.answer
                    }
                }
            }
            let id = nodes.count
            nodes.append(
                TraceNode(
                    id: id,
                    parent: parentID,
                    children: [],
                    question: shown.question,
                    answer: shown.answer,
                    role: shown.role,
                    // A computation shown under another asker than its own may sit at another depth (the memo
                    // shares answers across levels at unlimited depth): the depth is the node's place here.
                    depth: parentID.map { nodes[$0].depth + 1 } ?? shown.depth,
                    remainingLevels: shown.remainingDepth,
                    start: shown.start,
                    end: shown.end,
                    cost: shown.cost,
                    cache: shown.cache,
                    retries: shown.retries,
                    error: shown.error,
                    verified: shown.verified,
                    unaided: shown.unaided,
                    // The calls of the computation shown here; none on a memoized duplicate.
                    modelCalls: expandFrom.map { modelCalls[all[$0].id] ?? [] } ?? []
                )
            )
            if let parentID { nodes[parentID].children.append(id) }
            if let expandFrom {
                for child in children[childStart[expandFrom]..<childStart[expandFrom + 1]].reversed() {
                    stack.append((child, id))
                }
            }
        }
        return Trace(nodes: nodes)
    }
}
