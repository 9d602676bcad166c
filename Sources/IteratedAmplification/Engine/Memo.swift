import Synchronization

/// The key of a memoized node: the question, its depth, and whether the assistant answers it directly.
@usableFromInline
struct MemoKey<Question: Hashable & Sendable>: Hashable, Sendable {
    @usableFromInline let question: Question
    @usableFromInline let depth: Int
    @usableFromInline let byAssistant: Bool

    @inlinable
    init(question: Question, depth: Int, byAssistant: Bool) {
        self.question = question
        self.depth = depth
        self.byAssistant = byAssistant
    }
}

/// Answers computed in one run, shared by every node that asks the same question at the same depth,
/// including while the first computation is still in flight.
@usableFromInline
final class Memo<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    @usableFromInline
    enum Claim: Sendable {
        /// The caller computes the answer and must call ``fulfil(_:with:degraded:subtree:)``,
        /// ``fail(_:with:subtree:)`` or ``abandon(_:)``.
        case compute
        /// The answer is known; `source` is the record of the node that computed it, `degraded` whether help was
        /// refused somewhere in its computation, `subtree` the questions asked below it (when the run checks
        /// cycles).
        case answered(Answer, source: Int, degraded: Bool, subtree: SubtreeQuestions<Question>?)
        /// The computation failed, for every asker whose path meets none of `subtree`'s questions.
        case failed(EngineError, source: Int, subtree: SubtreeQuestions<Question>?)

        /// The questions asked below the node that settled the claim, when the run keeps them.
        @usableFromInline
        var subtree: SubtreeQuestions<Question>? {
            switch self {
            case .compute: nil
            case .answered(_, _, _, let subtree), .failed(_, _, let subtree): subtree
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
        /// The depth at which each supervisor question was claimed, or `askedAtSeveralDepths`.
        var depths: [Question: Int] = [:]
    }

    private static var askedAtSeveralDepths: Int { -1 }

    private let state = Mutex(State())
    /// The hashes of the supervisor questions claimed at more than one depth: see `recurringQuestions`.
    private let recurringLow = Atomic<UInt64>(0)
    private let recurringHigh = Atomic<UInt64>(0)

    @usableFromInline
    init() {}

    /// Claims a key: the first caller computes, later callers wait for the answer.
    ///
    /// - Parameters:
    ///   - key: The node's key.
    ///   - source: The record number of the caller's node.
    ///   - hash: The hash of the key's question, when the claim notes the question's depth for
    ///     ``recurringQuestions``: a supervisor's question in a run that checks cycles; `nil` otherwise.
    @usableFromInline
    func claim(_ key: MemoKey<Question>, source: Int, notingDepthOfQuestionWithHash hash: Int? = nil) async throws
        -> Claim
    {
        while true {
            let immediate = state.withLock { state -> Immediate in
                if let hash { noteDepth(of: key, hash: hash, in: &state) }
                switch state.entries[key] {
                case nil:
                    state.entries[key] = .computing(source: source, waiters: [:])
                    return .claim(.compute)
                case .settled(let claim)?:
                    return .claim(claim)
                case .computing?:
                    state.nextWaiterID += 1
                    return .wait(state.nextWaiterID)
                }
            }
            switch immediate {
            case .claim(let claim):
                return claim
            case .wait(let id):
                switch try await wait(for: key, id: id) {
                case .settled(let claim): return claim
                case .retry: continue
                }
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

    private func noteDepth(of key: MemoKey<Question>, hash: Int, in state: inout State) {
        let recurs = { (depth: inout Int) -> Bool in
            guard depth != key.depth, depth != Self.askedAtSeveralDepths else { return false }
            depth = Self.askedAtSeveralDepths
            return true
        }(&state.depths[key.question, default: key.depth])
        guard recurs else { return }
        let filter = PathFilter().adding(hash)
        recurringLow.bitwiseOr(filter.low, ordering: .relaxed)
        recurringHigh.bitwiseOr(filter.high, ordering: .relaxed)
    }

    /// The questions among `candidates` that were claimed at more than one depth so far.
    @usableFromInline
    func recurring(among candidates: [(question: Question, hash: Int)]) -> [(question: Question, hash: Int)] {
        state.withLock { state in candidates.filter { state.depths[$0.question] == Self.askedAtSeveralDepths } }
    }

    /// The hashes of the supervisor questions claimed at more than one depth so far.
    ///
    /// A question asked below a memoized node and on another asker's path was claimed at two depths before that
    /// asker's claim returned the node's answer: below the node, deeper than it, and on the path, shallower. So
    /// only questions in this filter can make a shared answer wrong for that asker. Read after a claim, which
    /// took the lock that every noting claim held.
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
        degraded: Bool = false,
        subtree: SubtreeQuestions<Question>? = nil
    ) {
        finish(key) { source in .answered(answer, source: source, degraded: degraded, subtree: subtree) }
    }

    /// Records that the computation of a key failed, for this caller and everyone waiting for it.
    @usableFromInline
    func fail(_ key: MemoKey<Question>, with error: EngineError, subtree: SubtreeQuestions<Question>? = nil) {
        finish(key) { source in .failed(error, source: source, subtree: subtree) }
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
