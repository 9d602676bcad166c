public import Synchronization

/// Collects node records while a run goes on and assembles them into a ``Trace`` at the end.
@usableFromInline
final class TraceRecorder<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    /// A finished node as the engine recorded it: the trace's own node type, numbered by the run (its `id` is the
    /// record id, its `parent` the asker's record id, `nil` at the root, its children empty), with what assembling
    /// the tree needs besides.
    @usableFromInline
    struct Record: Sendable {
        @usableFromInline var node: TraceNode<Question, Answer>
        /// The position among the asker's subquestions, in the order they were asked.
        @usableFromInline var ordinal: Int
        /// For a memoized node, the record of the node that computed the answer; its own id when it computed one
        /// that others shared.
        @usableFromInline var memoSource: Int

        @inlinable
        init(node: TraceNode<Question, Answer>, ordinal: Int, memoSource: Int) {
            self.node = node
            self.ordinal = ordinal
            self.memoSource = memoSource
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
        var byID = [Int](repeating: -1, count: max(recordCount, (all.map(\.node.id).max() ?? 0) + 1))
        for (index, record) in all.enumerated() { byID[record.node.id] = index }

        // Children of every record in one array, each record's run from childStart[i] to childStart[i + 1], sorted
        // by ordinal (ties, from concurrent asks, by order of arrival): one allocation, not one per record.
        var roots: [Int] = []
        var childStart = [Int](repeating: 0, count: all.count + 1)
        for (index, record) in all.enumerated() {
            if let parent = record.node.parent {
                if parent < byID.count, byID[parent] >= 0 { childStart[byID[parent] + 1] += 1 }
            } else {
                roots.append(index)
            }
        }
        for index in 0..<all.count { childStart[index + 1] += childStart[index] }
        var children = [Int](repeating: 0, count: childStart[all.count])
        var filled = childStart
        for (index, record) in all.enumerated() {
            guard let recordParent = record.node.parent, recordParent < byID.count, byID[recordParent] >= 0 else {
                continue
            }
            let parent = byID[recordParent]
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
            let group = record.node.cache == .memoized ? record.memoSource : record.node.id
            var shown = record.node
            var expandFrom: Int? = index
            if record.node.cache == .memoized || record.memoSource == record.node.id {
                if groupShown.insert(group).inserted {
                    // This node is the first of its group: it shows the computation.
                    if record.node.cache == .memoized, group < byID.count, byID[group] >= 0 {
                        let source = all[byID[group]].node
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
                    if record.node.cache != .memoized {
                        shown.answer = record.node.answer
                    }
                }
            }
            let id = nodes.count
            shown.id = id
            shown.parent = parentID
            // A computation shown under another asker than its own may sit at another depth (the memo shares
            // answers across levels at unlimited depth): the depth is the node's place here.
            shown.depth = parentID.map { nodes[$0].depth + 1 } ?? shown.depth
            // The calls of the computation shown here; none on a memoized duplicate.
            shown.modelCalls = expandFrom.map { modelCalls[all[$0].node.id] ?? [] } ?? []
            nodes.append(shown)
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
