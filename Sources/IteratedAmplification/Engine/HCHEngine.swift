/// The engine that runs HCH: pure HCH_n, Amp(H, X), and every depth between.
///
/// An engine pairs a supervisor H with an optional assistant X. Each run starts H at the root with the
/// configured depth n; H's subquestions go to copies of HCH_(n-1), and at remaining depth 0 the assistant
/// answers (or, without one, H answers alone). Parallel subquestions run as child tasks; budgets, caps,
/// memoization, cycle detection, retries, timeouts and tracing are set in ``HCHConfiguration``.
///
/// ```swift
/// let supervisor = ClosureSupervisor<Range<Int>, Int> { range, consultation in
///     if range.count <= 1 { return try await consultation.askAssistant(range) }
///     let middle = range.lowerBound + range.count / 2
///     return try await consultation.askAll([range.lowerBound..<middle, middle..<range.upperBound]).reduce(0, +)
/// }
/// let assistant = ClosureAssistant<Range<Int>, Int> { $0.first ?? 0 }
/// let engine = HCHEngine(supervisor: supervisor, assistant: assistant)
/// let sum = try await engine.answer(0..<100)  // 4950
/// ```
public struct HCHEngine<S: Supervisor, X: Assistant>: Sendable
where X.Question == S.Question, X.Answer == S.Answer {
    /// The question type of the supervisor and the assistant.
    public typealias Question = S.Question
    /// The answer type of the supervisor and the assistant.
    public typealias Answer = S.Answer

    /// The supervisor H.
    public var supervisor: S
    /// The assistant X, or `nil` for pure HCH.
    public var assistant: X?
    /// How runs are carried out.
    public var configuration: HCHConfiguration
    /// A cache shared across runs, consulted before a node is computed.
    public var cache: (any AnswerCache<Question, Answer>)?

    /// Creates an engine for Amp(H, X) and HCH with an assistant at the bottom.
    ///
    /// - Parameters:
    ///   - supervisor: The supervisor H.
    ///   - assistant: The assistant X.
    ///   - configuration: How runs are carried out.
    ///   - cache: A cache shared across runs.
    public init(
        supervisor: S,
        assistant: X,
        configuration: HCHConfiguration = HCHConfiguration(),
        cache: (any AnswerCache<Question, Answer>)? = nil
    ) {
        self.supervisor = supervisor
        self.assistant = assistant
        self.configuration = configuration
        self.cache = cache
    }

    /// Runs the engine on a question and returns the answer with the trace and statistics.
    ///
    /// The run executes off the caller's actor. It does not throw: a failure lands in
    /// ``RunOutcome/result``, next to the partial trace.
    ///
    /// - Parameters:
    ///   - question: The root question.
    ///   - events: A continuation that receives live events while the run goes on. It stays the caller's: the
    ///     engine never finishes it, so one stream can follow several runs; finish it when you are done.
    /// - Returns: The outcome of the run.
    @inlinable
    @concurrent
    public func run(
        _ question: Question,
        events: AsyncStream<EngineEvent<Question, Answer>>.Continuation? = nil
    ) async -> RunOutcome<Question, Answer> {
        let problems = configuration.validationErrors()
        guard problems.isEmpty else {
            let error = EngineError(
                code: .invalidConfiguration,
                message: problems.joined(separator: "; "),
                path: [question]
            )
            return RunOutcome(result: .failure(error), trace: nil, statistics: RunStatistics(), duration: .zero)
        }
        if takesFastPath(withEvents: events != nil) {
            return await run(question, events: events, steps: EssentialSteps.self)
        }
        return await run(question, events: events, steps: AllSteps.self)
    }

    /// Whether a run takes the fast path: the one node pipeline compiled with only its essential steps, because
    /// the run uses no optional one (a shared cache and an event stream are optional steps too).
    @inlinable
    func takesFastPath(withEvents: Bool) -> Bool {
        configuration.allowsFastPath && !withEvents && cache == nil
    }

    @inlinable
    func run<Steps: PipelineSteps>(
        _ question: Question,
        events: AsyncStream<EngineEvent<Question, Answer>>.Continuation?,
        steps: Steps.Type
    ) async -> RunOutcome<Question, Answer> {
        let run = Run<S, X, Steps>(
            supervisor: supervisor,
            assistant: assistant,
            configuration: configuration,
            cache: cache,
            events: events
        )
        let result: Result<Answer, any Error>
        do {
            result = .success(try await answerWithinDeadline(question, run: run))
        } catch {
            result = .failure(error)
        }
        return RunOutcome(
            result: result,
            trace: run.trace(),
            statistics: run.statistics,
            duration: run.clock.now - run.startInstant
        )
    }

    /// Returns the answer to a question.
    ///
    /// - Parameter question: The root question.
    /// - Returns: The answer.
    /// - Throws: ``EngineError`` with the path of the failing node, or `CancellationError`.
    @inlinable
    @concurrent
    public func answer(_ question: Question) async throws -> Answer {
        try await run(question).result.get()
    }

    @inlinable
    func answerWithinDeadline<Steps>(_ question: Question, run: Run<S, X, Steps>) async throws -> Answer {
        guard let deadline = run.ledger.deadline, configuration.exhaustionPolicy == .fail else {
            return try await run.answerRoot(question)
        }
        // Under the failing policy the deadline also stops calls already in flight.
        return try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask { try await run.answerRoot(question) }
            group.addTask {
                try await Task.sleep(until: deadline, clock: run.clock)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else {
                throw EngineError(
                    code: .deadlineExceeded,
                    message: "the run's deadline of \(configuration.budget.deadline ?? .zero) passed",
                    path: [question]
                )
            }
            return answer
        }
    }
}

extension HCHEngine where X == NoAssistant<S.Question, S.Answer> {
    /// Creates an engine for pure HCH: the supervisor at every node, alone at remaining depth 0.
    ///
    /// - Parameters:
    ///   - supervisor: The supervisor H.
    ///   - configuration: How runs are carried out.
    ///   - cache: A cache shared across runs.
    public init(
        supervisor: S,
        configuration: HCHConfiguration = HCHConfiguration(),
        cache: (any AnswerCache<Question, Answer>)? = nil
    ) {
        self.supervisor = supervisor
        self.assistant = nil
        self.configuration = configuration
        self.cache = cache
    }
}

/// The assistant type of an engine that has none; it is never called.
public struct NoAssistant<Question: Sendable, Answer: Sendable>: Assistant {
    /// Creates the placeholder.
    public init() {}

    /// Throws ``EngineError/Code/noAssistant``: the engine never calls it.
    public func answer(_ question: Question) async throws -> Answer {
        throw EngineError(code: .noAssistant, message: "no assistant is configured", path: [question])
    }
}

/// The outcome of one run: the answer or the error, the trace, and what the run spent.
public struct RunOutcome<Question: Sendable, Answer: Sendable>: Sendable {
    /// The root's answer, or the error the run failed with.
    public var result: Result<Answer, any Error>
    /// The whole tree, when ``HCHConfiguration/tracing`` is on; partial when the run failed.
    public var trace: Trace<Question, Answer>?
    /// What the run spent.
    public var statistics: RunStatistics
    /// The run's wall-clock time.
    public var duration: Duration

    /// The root's answer, or `nil` when the run failed.
    public var answer: Answer? { try? result.get() }

    @usableFromInline
    init(
        result: Result<Answer, any Error>,
        trace: Trace<Question, Answer>?,
        statistics: RunStatistics,
        duration: Duration
    ) {
        self.result = result
        self.trace = trace
        self.statistics = statistics
        self.duration = duration
    }
}

/// Counts of what one run did.
public struct RunStatistics: Hashable, Codable, Sendable {
    /// Nodes computed (memoized and cached answers excluded).
    public var nodes = 0
    /// Supervisor calls made, retries and unaided re-asks included.
    public var supervisorCalls = 0
    /// Assistant calls made, retries included.
    public var assistantCalls = 0
    /// Nodes answered by another node of the same run.
    public var memoizedAnswers = 0
    /// Nodes answered by the shared cache.
    public var cachedAnswers = 0
    /// Retries of failed calls.
    public var retries = 0
    /// Cost units reported by metered calls.
    public var cost = 0.0

    /// Creates statistics.
    public init(
        nodes: Int = 0,
        supervisorCalls: Int = 0,
        assistantCalls: Int = 0,
        memoizedAnswers: Int = 0,
        cachedAnswers: Int = 0,
        retries: Int = 0,
        cost: Double = 0
    ) {
        self.nodes = nodes
        self.supervisorCalls = supervisorCalls
        self.assistantCalls = assistantCalls
        self.memoizedAnswers = memoizedAnswers
        self.cachedAnswers = cachedAnswers
        self.retries = retries
        self.cost = cost
    }
}
