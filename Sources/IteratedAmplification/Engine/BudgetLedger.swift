public import Synchronization

/// What a run has spent and counted, and every budget decision: reserving a node or an assistant call, checking
/// the cost before a supervisor call, charging cost, the budget's status and the deadline.
///
/// The ledger decides; the run turns a refusal into an ``EngineError`` carrying the question's path
/// (`Run+Budgets`). It also holds the counts the run's statistics report (supervisor calls, memoized and cached
/// answers, retries), so that every counter a node writes is here, on cache lines of its own: next to the run's
/// read-only fields, every read of one would wait for the line to come back from the core that last counted.
@usableFromInline
struct BudgetLedger: ~Copyable, Sendable {
    /// A budget's refusal: which limit, and why, for the error the run builds from it.
    @usableFromInline
    struct Refusal: Error {
        @usableFromInline let code: EngineError.Code
        @usableFromInline let message: String

        @usableFromInline init(_ code: EngineError.Code, _ message: String) {
            self.code = code
            self.message = message
        }
    }

    @usableFromInline let budget: Budget
    @usableFromInline let deadline: ContinuousClock.Instant?
    /// Whether there is a deadline. The clock's types are resilient: a hot async function that touches one gets
    /// frame room of unknown size allocated at its entry, so the hot path reads this flag.
    @usableFromInline let hasDeadline: Bool

    @usableFromInline let leadingPadding = CacheLinePadding()
    @usableFromInline let nodes = Atomic<Int>(0)
    @usableFromInline let assistantCalls = Atomic<Int>(0)
    @usableFromInline let supervisorCalls = Atomic<Int>(0)
    @usableFromInline let memoizedAnswers = Atomic<Int>(0)
    @usableFromInline let cachedAnswers = Atomic<Int>(0)
    @usableFromInline let retries = Atomic<Int>(0)
    @usableFromInline let cost = Mutex<Double>(0)
    @usableFromInline let trailingPadding = CacheLinePadding()

    @usableFromInline
    init(budget: Budget, start: ContinuousClock.Instant) {
        self.budget = budget
        deadline = budget.deadline.map { start + $0 }
        hasDeadline = budget.deadline != nil
    }

    // MARK: Decisions

    /// Counts a node as it is computed, or refuses it: the deadline passed or the node budget is spent.
    @inlinable
    func reserveNode() throws(Refusal) {
        if hasDeadline, deadlinePassed() { throw Refusal(.deadlineExceeded, "the run's deadline passed") }
        try Self.take(nodes, limit: budget.maximumNodes) {
            .init(.nodeBudgetExhausted, "the node budget of \($0) is spent")
        }
    }

    /// Counts an assistant call as it starts, or refuses it: the cost or the assistant-call budget is spent.
    @inlinable
    func reserveAssistantCall() throws(Refusal) {
        try checkCost()
        try Self.take(assistantCalls, limit: budget.maximumAssistantCalls) {
            .init(.assistantCallBudgetExhausted, "the assistant-call budget of \($0) is spent")
        }
    }

    /// Counts one unit, or, with a limit, takes one exactly under concurrency and refuses once it is reached.
    @inlinable
    static func take(
        _ counter: borrowing Atomic<Int>,
        limit: Int?,
        refusal: (Int) -> Refusal
    ) throws(Refusal) {
        guard let limit else {
            counter.wrappingAdd(1, ordering: .relaxed)
            return
        }
        guard reserve(counter, limit: limit) else { throw refusal(limit) }
    }

    /// Refuses a call once the cost spent has reached the budget; cost is known only after calls return.
    @inlinable
    func checkCost() throws(Refusal) {
        if let limit = budget.maximumCost, cost.withLock({ $0 }) >= limit {
            throw Refusal(.costBudgetExhausted, "the cost budget of \(limit) is spent")
        }
    }

    /// Adds what a call reported to the cost spent.
    @inlinable
    func charge(_ units: Double) {
        guard units > 0 else { return }
        cost.withLock { $0 += units }
    }

    /// Whether the deadline has passed.
    @usableFromInline
    func deadlinePassed() -> Bool {
        guard let deadline else { return false }
        return ContinuousClock.now >= deadline
    }

    // MARK: Counts without a limit

    @inlinable func countSupervisorCall() { supervisorCalls.wrappingAdd(1, ordering: .relaxed) }
    @inlinable func countMemoizedAnswer() { memoizedAnswers.wrappingAdd(1, ordering: .relaxed) }
    @inlinable func countCachedAnswer() { cachedAnswers.wrappingAdd(1, ordering: .relaxed) }
    @inlinable func countRetry() { retries.wrappingAdd(1, ordering: .relaxed) }

    // MARK: Reports

    /// What remains of the budget now.
    @inlinable
    var status: BudgetStatus {
        BudgetStatus(
            remainingNodes: budget.maximumNodes.map { max(0, $0 - nodes.load(ordering: .relaxed)) },
            remainingAssistantCalls: budget.maximumAssistantCalls.map {
                max(0, $0 - assistantCalls.load(ordering: .relaxed))
            },
            remainingCost: budget.maximumCost.map { limit in max(0, limit - cost.withLock { $0 }) },
            remainingTime: deadline.map { max(.zero, $0 - ContinuousClock.now) }
        )
    }

    /// The counts so far, as the run's statistics.
    @usableFromInline
    var statistics: RunStatistics {
        RunStatistics(
            nodes: nodes.load(ordering: .relaxed),
            supervisorCalls: supervisorCalls.load(ordering: .relaxed),
            assistantCalls: assistantCalls.load(ordering: .relaxed),
            memoizedAnswers: memoizedAnswers.load(ordering: .relaxed),
            cachedAnswers: cachedAnswers.load(ordering: .relaxed),
            retries: retries.load(ordering: .relaxed),
            cost: cost.withLock { $0 }
        )
    }

    /// Takes one unit of a limited count, exactly under concurrency: `false` once the count is at the limit.
    @inlinable
    static func reserve(_ counter: borrowing Atomic<Int>, limit: Int) -> Bool {
        var current = counter.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = counter.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }
}
