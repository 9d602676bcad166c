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
    enum Claim {
        /// The caller computes the answer and must call ``fulfil(_:with:)`` or ``abandon(_:)``.
        case compute
        /// The answer is known; `source` is the record of the node that computed it, `degraded` whether help was
        /// refused somewhere in its computation.
        case answered(Answer, source: Int, degraded: Bool)
        /// The computation failed for every asker.
        case failed(EngineError, source: Int)
    }

    private enum Entry {
        case computing(source: Int, waiters: [UInt64: UnsafeContinuation<Outcome, any Error>])
        case answered(Answer, source: Int, degraded: Bool)
        case failed(EngineError, source: Int)
    }

    private enum Outcome: Sendable {
        case answered(Answer, source: Int, degraded: Bool)
        case failed(EngineError, source: Int)
        case retry
    }

    private enum Immediate { case claim(Claim), wait(UInt64) }

    private struct State {
        var entries: [MemoKey<Question>: Entry] = [:]
        var nextWaiterID: UInt64 = 0
    }

    private let state = Mutex(State())

    @usableFromInline
    init() {}

    /// Claims a key: the first caller computes, later callers wait for the answer.
    ///
    /// - Parameters:
    ///   - key: The node's key.
    ///   - source: The record number of the caller's node.
    @usableFromInline
    func claim(_ key: MemoKey<Question>, source: Int) async throws -> Claim {
        while true {
            let immediate = state.withLock { state -> Immediate in
                switch state.entries[key] {
                case nil:
                    state.entries[key] = .computing(source: source, waiters: [:])
                    return .claim(.compute)
                case .answered(let answer, let source, let degraded)?:
                    return .claim(.answered(answer, source: source, degraded: degraded))
                case .failed(let error, let source)?:
                    return .claim(.failed(error, source: source))
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
                case .answered(let answer, let source, let degraded):
                    return .answered(answer, source: source, degraded: degraded)
                case .failed(let error, let source): return .failed(error, source: source)
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
                    case .answered(let answer, let source, let degraded)?:
                        return .success(.answered(answer, source: source, degraded: degraded))
                    case .failed(let error, let source)?:
                        return .success(.failed(error, source: source))
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

    /// Records the answer of a key this caller claimed and wakes everyone waiting for it.
    @usableFromInline
    func fulfil(_ key: MemoKey<Question>, with answer: Answer, degraded: Bool = false) {
        finish(key) { source in
            (.answered(answer, source: source, degraded: degraded), .answered(answer, source: source, degraded: degraded))
        }
    }

    /// Records that the computation of a key failed, for this caller and everyone waiting for it.
    @usableFromInline
    func fail(_ key: MemoKey<Question>, with error: EngineError) {
        finish(key) { source in (.failed(error, source: source), .failed(error, source: source)) }
    }

    /// Gives up a claim without an answer (the claimant was cancelled); a waiter takes over the computation.
    @usableFromInline
    func abandon(_ key: MemoKey<Question>) {
        let waiters = state.withLock { state -> [UnsafeContinuation<Outcome, any Error>] in
            guard case .computing(_, let waiters)? = state.entries.removeValue(forKey: key) else { return [] }
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: .retry) }
    }

    private func finish(_ key: MemoKey<Question>, _ make: (Int) -> (Entry, Outcome)) {
        let (waiters, outcome) = state.withLock { state -> ([UnsafeContinuation<Outcome, any Error>], Outcome?) in
            guard case .computing(let source, let waiters)? = state.entries[key] else { return ([], nil) }
            let (entry, outcome) = make(source)
            state.entries[key] = entry
            return (Array(waiters.values), outcome)
        }
        guard let outcome else { return }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }
}
