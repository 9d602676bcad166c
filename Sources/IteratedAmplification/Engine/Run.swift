public import Synchronization

/// The state of one engine run: limits, budgets, memo and recorder.
///
/// `Steps` says which steps its node pipeline is compiled with: ``EssentialSteps`` for a run that uses no optional
/// step (the fast path), ``AllSteps`` otherwise (see ``PipelineSteps``).
///
/// What the run does is in extensions, one concept per file: the consultation a supervisor sees
/// (`Run+Consultation`), parallel dispatch and supervisor slots (`Run+Dispatch`), the one node pipeline
/// (`Run+NodePipeline`), memo coordination (`Run+Memo`), the budget ledger's refusals as errors
/// (`Run+Budgets`; the ledger itself, every count and budget decision, is ``BudgetLedger``), the calls to
/// the assistant and the supervisor with retries, timeouts and metering (`Run+Calls`), and recording
/// (`Run+Recording`).
@usableFromInline
final class Run<S: Supervisor, X: Assistant, Steps: PipelineSteps>: ConsultationBackend<S.Question, S.Answer>,
    @unchecked Sendable
where X.Question == S.Question, X.Answer == S.Answer {
    @usableFromInline typealias Question = S.Question
    @usableFromInline typealias Answer = S.Answer

    /// Keeps the fields below off the cache line of the object's reference count, which every retain writes.
    @usableFromInline let headerPadding = CacheLinePadding()
    @usableFromInline let supervisor: S
    @usableFromInline let assistant: X?
    @usableFromInline let configuration: HCHConfiguration
    @usableFromInline let cache: (any AnswerCache<Question, Answer>)?
    @usableFromInline let events: AsyncStream<EngineEvent<Question, Answer>>.Continuation?

    @usableFromInline let assistantLimiter: AsyncSemaphore?
    @usableFromInline let supervisorLimiter: AsyncSemaphore?
    @usableFromInline let memo: Memo<Question, Answer>?
    @usableFromInline let recorder: TraceRecorder<Question, Answer>?
    @usableFromInline let clock = ContinuousClock()
    /// The clock's types are resilient: a hot async function that touches one gets frame room of unknown size
    /// allocated at its entry, so the hot path keeps times as `Duration`s since the start, and only non-inlined
    /// helpers use the clock.
    @usableFromInline let startInstant: ContinuousClock.Instant
    /// Whether nodes are numbered and recorded when they finish: for the trace or the event stream.
    @usableFromInline let recordsNodes: Bool
    /// Whether calls are metered: for the trace or a cost budget.
    @usableFromInline let metersCost: Bool
    /// Whether metered calls keep the model calls made inside them, for the trace.
    @usableFromInline let keepsModelCalls: Bool
    @usableFromInline let hashesQuestions: Bool
    /// Whether nodes are reported to the event stream. A plain flag: the stream's continuation is a resilient
    /// type, and touching it on the hot path would cost every node's frame room for a copy of unknown size.
    @usableFromInline let emitsEvents: Bool
    /// Whether supervisor nodes record the questions asked below them: when the memo shares answers and cycle
    /// checks make an answer depend on its ancestors (see `SubtreeQuestions`).
    @usableFromInline let tracksSubtrees: Bool

    // What nodes write from whichever thread runs them, on cache lines of their own: next to the fields above,
    // every read of a field would wait for the line to come back from the other core.
    @usableFromInline let countersPadding = CacheLinePadding()
    @usableFromInline let liveTaskAllowance: Atomic<Int>
    @usableFromInline let nextRecordID = Atomic<Int>(0)
    /// What the run has spent and counted, and every budget decision.
    @usableFromInline let ledger: BudgetLedger

    @inlinable
    init(
        supervisor: S,
        assistant: X?,
        configuration: HCHConfiguration,
        cache: (any AnswerCache<Question, Answer>)?,
        events: AsyncStream<EngineEvent<Question, Answer>>.Continuation?
    ) {
        let paths = ConsultationPaths<Question, Answer>(
            askOne: { consultation, question in
                try await unsafeDowncast(consultation.backend, to: Run.self).ask(question, from: consultation)
            },
            askMany: { consultation, questions in
                try await unsafeDowncast(consultation.backend, to: Run.self).askAll(questions, from: consultation)
            },
            askEach: { consultation, questions in
                try await unsafeDowncast(consultation.backend, to: Run.self).askEach(questions, from: consultation)
            },
            askVerifying: { consultation, question, maximumAttempts, verify in
                try await unsafeDowncast(consultation.backend, to: Run.self).ask(
                    question, from: consultation, maximumAttempts: maximumAttempts, verify: verify
                )
            },
            askAssistant: { consultation, question in
                try await unsafeDowncast(consultation.backend, to: Run.self).askAssistant(question, from: consultation)
            },
            budgetStatus: { backend in unsafeDowncast(backend, to: Run.self).budgetStatus() }
        )
        self.supervisor = supervisor
        self.assistant = assistant
        self.configuration = configuration
        self.cache = cache
        self.events = events
        assistantLimiter = configuration.maximumConcurrentAssistantCalls.map(AsyncSemaphore.init(permits:))
        supervisorLimiter = configuration.maximumConcurrentSupervisorCalls.map(AsyncSemaphore.init(permits:))
        // At unlimited depth HCH's answer does not depend on the level a question is asked at; without cycle checks
        // a cycle would make a node wait for its own ancestor instead of recursing until a budget stops it.
        memo =
            configuration.memoization
            ? Memo(
                sharesLevels: configuration.depth == .unlimited
                    && configuration.cyclePolicy != .ignore) : nil
        recorder = configuration.tracing ? TraceRecorder() : nil
        let now = ContinuousClock.now
        startInstant = now
        ledger = BudgetLedger(budget: configuration.budget, start: now)
        recordsNodes = configuration.tracing || events != nil
        metersCost = configuration.tracing || configuration.budget.maximumCost != nil
        keepsModelCalls = configuration.tracing && configuration.recordsModelCalls
        // A plain flag: comparing the policy is a call per node.
        let checksCycles = configuration.cyclePolicy != .ignore
        hashesQuestions = configuration.memoization || checksCycles
        tracksSubtrees = configuration.memoization && checksCycles
        emitsEvents = events != nil
        liveTaskAllowance = Atomic(configuration.effectiveMaximumLiveTasks)
        super.init(
            paths: paths,
            hasAssistant: assistant != nil,
            defersNodes: !Steps.includesOptionalSteps,
            checksCycles: checksCycles,
            rootRemainingDepth: configuration.depth.engineLevels
        )
    }

    @usableFromInline var statistics: RunStatistics { ledger.statistics }

    @inlinable
    func budgetStatus() -> BudgetStatus { ledger.status }

    /// The time since the run started.
    @usableFromInline
    func elapsed() -> Duration {
        clock.now - startInstant
    }

    /// Waits before a retry; apart, so that the retry loops' frames hold no clock.
    @usableFromInline
    func backOff(_ delay: Duration) async throws {
        try await Task.sleep(for: delay)
    }

    // MARK: Entry

    @inlinable
    func answerRoot(_ question: Question) async throws -> Answer {
        try await solve(question, parent: nil, ordinal: 0, role: nil)
    }

}
