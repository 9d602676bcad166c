import Synchronization

/// The key of a memoized node: the question, the depth it is asked at when its answer depends on it, and
/// whether the assistant answers it directly.
@usableFromInline
struct MemoKey<Question: Hashable & Sendable>: Hashable, Sendable {
    @usableFromInline let question: Question
    /// The node's depth, for a supervisor's question in a run of finite depth (there HCH_n's answer depends on
    /// the remaining depth, which the depth fixes); `nil` where the answer is the same at every level: the
    /// assistant's own answer, and every answer of a run of unlimited depth that checks cycles.
    @usableFromInline let depth: Int?
    @usableFromInline let byAssistant: Bool

    @inlinable
    init(question: Question, depth: Int?, byAssistant: Bool) {
        self.question = question
        self.depth = depth
        self.byAssistant = byAssistant
    }
}

/// Answers computed in one run, shared by every node that asks the same question (at the same depth, where the
/// depth matters), including while the first computation is still in flight.
///
/// Shared across levels, a wait could close a circle: a node waits for a question whose computation waits, further
/// down, for a question that one of the node's own ancestors is computing. Without memoization that circle is a
/// cycle of questions, which the engine's cycle check finds on the path. So before a node waits, the memo follows
/// the questions that the computation it would wait for is itself waiting for; if they lead back to one of the
/// node's ancestors, the node computes its answer alone, where the cycle check sees the cycle.
@usableFromInline
final class Memo<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    @usableFromInline
    enum Claim: Sendable {
        /// The caller computes the answer and must call ``fulfil(_:with:depth:degraded:subtree:)``,
        /// ``fail(_:with:depth:subtree:)`` or ``abandon(_:)``.
        case compute
        /// The answer is known; `source` is the record of the node that computed it, `degraded` whether help was
        /// refused somewhere in its computation, `subtree` the questions asked below it (when the run checks
        /// cycles).
        case answered(Answer, source: Int, depth: Int, degraded: Bool, subtree: SubtreeQuestions<Question>?)
        /// The computation failed, for every asker whose path meets none of `subtree`'s questions; `depth` is
        /// the depth of the node that failed, where the error's path passes through it.
        case failed(EngineError, source: Int, depth: Int, subtree: SubtreeQuestions<Question>?)
        /// Waiting for the computation in flight would close a circle of waits: the caller computes alone.
        case computeAlone

        /// The questions asked below the node that settled the claim, when the run keeps them.
        @usableFromInline
        var subtree: SubtreeQuestions<Question>? {
            switch self {
            case .compute, .computeAlone: nil
            case .answered(_, _, _, _, let subtree), .failed(_, _, _, let subtree): subtree
            }
        }

        /// The depth of the node that settled the claim.
        @usableFromInline
        var settledDepth: Int? {
            switch self {
            case .compute, .computeAlone: nil
            case .answered(_, _, let depth, _, _), .failed(_, _, let depth, _): depth
            }
        }
    }

    private enum Entry {
        case computing(source: Int, waiters: [UInt64: UnsafeContinuation<Outcome, any Error>])
        /// An answer or a failure.
        case settled(Claim)
    }

    private enum Outcome: Sendable {
        case settled(Claim)
        case retry
    }

    private enum Immediate {
        case claim(Claim)
        case wait(UInt64)
    }

    private struct State {
        var entries: [MemoKey<Question>: Entry] = [:]
        var nextWaiterID: UInt64 = 0
        /// Where each supervisor question was claimed: see `noteClaim`.
        var claims: [Question: ClaimHistory] = [:]
        /// When answers are shared across levels: for each key in flight, the keys that nodes below it wait for,
        /// with how many such waits there are.
        var waits: [MemoKey<Question>: [MemoKey<Question>: Int]] = [:]
    }

    /// Where a supervisor question was claimed: at one depth, or at several.
    private enum ClaimHistory {
        case once(depth: Int)
        case recurring
    }

    /// Whether answers are shared between nodes at different depths.
    @usableFromInline let sharesLevels: Bool
    private let state = Mutex(State())
    /// The hashes of the supervisor questions that recur: see `recurringQuestions`.
    private let recurringLow = Atomic<UInt64>(0)
    private let recurringHigh = Atomic<UInt64>(0)

    /// Creates an empty memo.
    ///
    /// - Parameter sharesLevels: Whether supervisors' answers are shared between nodes at different depths.
    @usableFromInline
    init(sharesLevels: Bool = false) {
        self.sharesLevels = sharesLevels
    }

    /// The key of a node's question.
    @inlinable
    func key(_ question: Question, depth: Int, role: NodeRole) -> MemoKey<Question> {
        let byAssistant = role == .assistant
        return MemoKey(question: question, depth: byAssistant || sharesLevels ? nil : depth, byAssistant: byAssistant)
    }

    /// Claims a key: the first caller computes, later callers wait for the answer.
    ///
    /// - Parameters:
    ///   - key: The node's key.
    ///   - source: The record number of the caller's node.
    ///   - depth: The depth of the caller's node.
    ///   - hash: The hash of the key's question, when the claim notes where the question was claimed for
    ///     ``recurringQuestions``: a supervisor's question in a run that checks cycles; `nil` otherwise.
    ///   - parent: The caller's parent, whose path a wait must not lead back to, when answers are shared across
    ///     levels.
    @usableFromInline
    func claim(
        _ key: MemoKey<Question>,
        source: Int,
        depth: Int,
        notingClaimOfQuestionWithHash hash: Int? = nil,
        parent: NodeContext<Question>? = nil
    ) async throws -> Claim {
        var noted = false
        while true {
            let immediate = state.withLock { state -> Immediate in
                if let hash, !noted {
                    noteClaim(of: key.question, depth: depth, hash: hash, in: &state)
                    noted = true
                }
                switch state.entries[key] {
                case nil:
                    state.entries[key] = .computing(source: source, waiters: [:])
                    return .claim(.compute)
                case .settled(let claim)?:
                    return .claim(claim)
                case .computing?:
                    if sharesLevels, !key.byAssistant {
                        let ancestors = ancestorKeys(of: parent)
                        if leadsBack(from: key, to: ancestors, in: state) { return .claim(.computeAlone) }
                        for ancestor in ancestors { state.waits[ancestor, default: [:]][key, default: 0] += 1 }
                    }
                    state.nextWaiterID += 1
                    return .wait(state.nextWaiterID)
                }
            }
            switch immediate {
            case .claim(let claim):
                return claim
            case .wait(let id):
                let outcome: Outcome
                do {
                    outcome = try await wait(for: key, id: id)
                } catch {
                    stopWaiting(for: key, parent: parent)
                    throw error
                }
                stopWaiting(for: key, parent: parent)
                switch outcome {
                case .settled(let claim): return claim
                case .retry: continue
                }
            }
        }
    }

    /// The keys of the supervisor nodes from the root to `node`.
    private func ancestorKeys(of node: NodeContext<Question>?) -> [MemoKey<Question>] {
        var keys: [MemoKey<Question>] = []
        var current = node
        while let ancestor = current {
            keys.append(MemoKey(question: ancestor.question, depth: nil, byAssistant: false))
            current = ancestor.parent
        }
        return keys
    }

    /// Whether the computation of `key`, through the keys that nodes below it wait for, waits for one of `targets`.
    private func leadsBack(from key: MemoKey<Question>, to targets: [MemoKey<Question>], in state: State) -> Bool {
        guard !targets.isEmpty else { return false }
        let targets = Set(targets)
        var seen: Set<MemoKey<Question>> = [key]
        var pending = [key]
        while let current = pending.popLast() {
            if targets.contains(current) { return true }
            for next in state.waits[current, default: [:]].keys where seen.insert(next).inserted {
                pending.append(next)
            }
        }
        return false
    }

    /// Forgets a finished wait of a node below `parent` for `key`.
    private func stopWaiting(for key: MemoKey<Question>, parent: NodeContext<Question>?) {
        guard sharesLevels, !key.byAssistant else { return }
        let ancestors = ancestorKeys(of: parent)
        state.withLock { state in
            for ancestor in ancestors {
                guard var waited = state.waits[ancestor], let count = waited[key] else { continue }
                waited[key] = count > 1 ? count - 1 : nil
                state.waits[ancestor] = waited.isEmpty ? nil : waited
            }
        }
    }

    private func wait(for key: MemoKey<Question>, id: UInt64) async throws -> Outcome {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Outcome, any Error>) in
                let immediate = state.withLock { state -> Result<Outcome, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    switch state.entries[key] {
                    case .computing(let source, var waiters)?:
                        waiters[id] = continuation
                        state.entries[key] = .computing(source: source, waiters: waiters)
                        return nil
                    case .settled(let claim)?:
                        return .success(.settled(claim))
                    case nil:
                        return .success(.retry)
                    }
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> UnsafeContinuation<Outcome, any Error>? in
                guard case .computing(let source, var waiters)? = state.entries[key],
                    let continuation = waiters.removeValue(forKey: id)
                else { return nil }
                state.entries[key] = .computing(source: source, waiters: waiters)
                return continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Notes a claim of a supervisor's question; the question recurs once it was claimed at two depths.
    private func noteClaim(of question: Question, depth: Int, hash: Int, in state: inout State) {
        switch state.claims[question] {
        case nil:
            state.claims[question] = .once(depth: depth)
            return
        case .once(let first)? where first != depth:
            state.claims[question] = .recurring
        case .once?, .recurring?:
            return
        }
        let filter = PathFilter().adding(hash)
        recurringLow.bitwiseOr(filter.low, ordering: .relaxed)
        recurringHigh.bitwiseOr(filter.high, ordering: .relaxed)
    }

    /// The questions among `candidates` that recur so far.
    @usableFromInline
    func recurring(among candidates: [(question: Question, hash: Int)]) -> [(question: Question, hash: Int)] {
        state.withLock { state in
            candidates.filter {
                if case .recurring? = state.claims[$0.question] { return true }
                return false
            }
        }
    }

    /// The hashes of the supervisor questions claimed at more than one depth so far.
    ///
    /// A question asked below a memoized node and on another asker's path was claimed before that asker's claim
    /// returned the node's answer, below the node, deeper than it, and on the path, shallower than the asker. When
    /// the node is no shallower than the asker, those are two depths, so only questions in this filter can make the
    /// shared answer wrong for that asker. (An asker deeper than the node that settled its answer, which only a memo
    /// shared across levels has, checks every ancestor instead.) Read after a claim, which took the lock that every
    /// noting claim held.
    @usableFromInline
    var recurringQuestions: PathFilter {
        var filter = PathFilter()
        filter.low = recurringLow.load(ordering: .relaxed)
        filter.high = recurringHigh.load(ordering: .relaxed)
        return filter
    }

    /// Records the answer of a key this caller claimed and wakes everyone waiting for it.
    ///
    /// - Parameter subtree: The questions asked below the node, when the run checks cycles: an asker whose path
    ///   meets one of them computes the node itself.
    @usableFromInline
    func fulfil(
        _ key: MemoKey<Question>,
        with answer: Answer,
        depth: Int,
        degraded: Bool = false,
        subtree: SubtreeQuestions<Question>? = nil
    ) {
        finish(key) { source in .answered(answer, source: source, depth: depth, degraded: degraded, subtree: subtree) }
    }

    /// Records that the computation of a key failed, for this caller and everyone waiting for it.
    @usableFromInline
    func fail(
        _ key: MemoKey<Question>,
        with error: EngineError,
        depth: Int,
        subtree: SubtreeQuestions<Question>? = nil
    ) {
        finish(key) { source in .failed(error, source: source, depth: depth, subtree: subtree) }
    }

    /// Gives up a claim without an answer (the claimant was cancelled, or its answer depends on its ancestors);
    /// a waiter takes over the computation.
    @usableFromInline
    func abandon(_ key: MemoKey<Question>) {
        let waiters = state.withLock { state -> [UnsafeContinuation<Outcome, any Error>] in
            guard case .computing(_, let waiters)? = state.entries.removeValue(forKey: key) else { return [] }
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: .retry) }
    }

    private func finish(_ key: MemoKey<Question>, _ make: (Int) -> Claim) {
        let (waiters, claim) = state.withLock { state -> ([UnsafeContinuation<Outcome, any Error>], Claim?) in
            guard case .computing(let source, let waiters)? = state.entries[key] else { return ([], nil) }
            let claim = make(source)
            state.entries[key] = .settled(claim)
            return (Array(waiters.values), claim)
        }
        guard let claim else { return }
        for waiter in waiters { waiter.resume(returning: .settled(claim)) }
    }
}
