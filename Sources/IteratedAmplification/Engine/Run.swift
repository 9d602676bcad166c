public import Synchronization

/// The state of one engine run: limits, budgets, memo, recorder, and the recursion itself.
@usableFromInline
final class Run<S: Supervisor, X: Assistant>: ConsultationBackend<S.Question, S.Answer>, @unchecked Sendable
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
    @usableFromInline let startInstant: ContinuousClock.Instant
    @usableFromInline let deadline: ContinuousClock.Instant?
    /// Whether the run has a deadline. The clock's types are resilient: a hot async function that touches one
    /// gets frame room of unknown size allocated at its entry, so the hot path reads this flag and keeps times
    /// as `Duration`s since the start, and only non-inlined helpers use the clock.
    @usableFromInline let hasDeadline: Bool
    /// Whether nodes are numbered and recorded when they finish: for the trace or the event stream.
    @usableFromInline let recordsNodes: Bool
    /// Whether calls are metered: for the trace or a cost budget.
    @usableFromInline let metersCost: Bool
    @usableFromInline let hashesQuestions: Bool
    /// Whether nodes are reported to the event stream. A plain flag: the stream's continuation is a resilient
    /// type, and touching it on the hot path would cost every node's frame room for a copy of unknown size.
    @usableFromInline let emitsEvents: Bool
    /// Whether supervisor nodes record the questions asked below them: when the memo shares answers and cycle
    /// checks make an answer depend on its ancestors (see `SubtreeQuestions`).
    @usableFromInline let tracksSubtrees: Bool

    // The counters, which every node writes from whichever thread runs it, on cache lines of their own: next to the
    // fields above, every read of a field would wait for the line to come back from the other core.
    @usableFromInline let countersPadding = CacheLinePadding()
    @usableFromInline let liveTaskAllowance: Atomic<Int>
    @usableFromInline let nodesComputed = Atomic<Int>(0)
    @usableFromInline let assistantCallsMade = Atomic<Int>(0)
    @usableFromInline let supervisorCallsMade = Atomic<Int>(0)
    @usableFromInline let nextRecordID = Atomic<Int>(0)
    @usableFromInline let memoHits = Atomic<Int>(0)
    @usableFromInline let cacheHits = Atomic<Int>(0)
    @usableFromInline let retriesMade = Atomic<Int>(0)
    @usableFromInline let costSpent = Mutex<Double>(0)
    @usableFromInline let trailingPadding = CacheLinePadding()

    @inlinable
    init(
        supervisor: S,
        assistant: X?,
        configuration: HCHConfiguration,
        cache: (any AnswerCache<Question, Answer>)?,
        events: AsyncStream<EngineEvent<Question, Answer>>.Continuation?
    ) {
        let takesFastPath =
            !configuration.tracing && events == nil && configuration.budget == .unlimited
            && !configuration.memoization && cache == nil
            && configuration.maximumConcurrentAssistantCalls == nil
            && configuration.maximumConcurrentSupervisorCalls == nil
            && configuration.assistantTimeout == nil && configuration.supervisorTimeout == nil
            && configuration.assistantRetries.maximumAttempts == 1
            && configuration.supervisorRetries.maximumAttempts == 1
            && configuration.cyclePolicy != .answerWithoutHelp
        // A closure's frame holds what any path through it needs: the fast path's leaf, inlined into the closure,
        // would enlarge the full path's frames, so each path has a closure of its own.
        let askAssistant: ConsultationPaths<Question, Answer>.Ask
        if takesFastPath {
            askAssistant = { consultation, question in
                try await unsafeDowncast(consultation.backend, to: Run.self).askAssistantOnFastPath(
                    question, from: consultation
                )
            }
        } else {
            askAssistant = { consultation, question in
                try await unsafeDowncast(consultation.backend, to: Run.self).askAssistant(question, from: consultation)
            }
        }
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
            askAssistant: askAssistant,
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
        deadline = configuration.budget.deadline.map { now + $0 }
        hasDeadline = configuration.budget.deadline != nil
        recordsNodes = configuration.tracing || events != nil
        metersCost = configuration.tracing || configuration.budget.maximumCost != nil
        // A plain flag: comparing the policy is a call per node.
        let checksCycles = configuration.cyclePolicy != .ignore
        hashesQuestions = configuration.memoization || checksCycles
        tracksSubtrees = configuration.memoization && checksCycles
        emitsEvents = events != nil
        liveTaskAllowance = Atomic(configuration.effectiveMaximumLiveTasks)
        super.init(
            paths: paths,
            hasAssistant: assistant != nil,
            takesFastPath: takesFastPath,
            checksCycles: checksCycles,
            rootRemainingDepth: configuration.depth.engineLevels
        )
    }

    @usableFromInline var statistics: RunStatistics {
        RunStatistics(
            nodes: nodesComputed.load(ordering: .relaxed),
            supervisorCalls: supervisorCallsMade.load(ordering: .relaxed),
            assistantCalls: assistantCallsMade.load(ordering: .relaxed),
            memoizedAnswers: memoHits.load(ordering: .relaxed),
            cachedAnswers: cacheHits.load(ordering: .relaxed),
            retries: retriesMade.load(ordering: .relaxed),
            cost: costSpent.withLock { $0 }
        )
    }

    @inlinable
    func budgetStatus() -> BudgetStatus {
        let budget = configuration.budget
        return BudgetStatus(
            remainingNodes: budget.maximumNodes.map { max(0, $0 - nodesComputed.load(ordering: .relaxed)) },
            remainingAssistantCalls: budget.maximumAssistantCalls.map {
                max(0, $0 - assistantCallsMade.load(ordering: .relaxed))
            },
            remainingCost: budget.maximumCost.map { limit in max(0, limit - costSpent.withLock { $0 }) },
            remainingTime: deadline.map { max(.zero, $0 - clock.now) }
        )
    }

    /// The time since the run started.
    @usableFromInline
    func elapsed() -> Duration {
        clock.now - startInstant
    }

    /// Whether the run's deadline has passed.
    @usableFromInline
    func deadlinePassed() -> Bool {
        guard let deadline else { return false }
        return clock.now >= deadline
    }

    /// Waits before a retry; apart, so that the retry loops' frames hold no clock.
    @usableFromInline
    func backOff(_ delay: Duration) async throws {
        try await Task.sleep(for: delay)
    }

    // MARK: Entry

    @inlinable
    func answerRoot(_ question: Question) async throws -> Answer {
        try await solveNode(question, parent: nil, ordinal: 0, role: nil)
    }

    // MARK: Consultation

    @inlinable
    func ask(_ question: Question, from consultation: Consultation<Question, Answer>) async throws -> Answer {
        try checkConsultation(consultation)
        let node = consultation.askingNode()
        let ordinal = node.reserveOrdinals(1)
        // Without a supervisor cap there is no slot to release: skip the wrapper's frame and closure.
        guard supervisorLimiter != nil else {
            return try await solveNode(question, parent: node, ordinal: ordinal, role: nil)
        }
        return try await withSlotReleased(node) {
            try await solveNode(question, parent: node, ordinal: ordinal, role: nil)
        }
    }

    @inlinable
    @inline(__always)
    func askAll(_ questions: [Question], from consultation: Consultation<Question, Answer>) async throws -> [Answer] {
        try checkConsultation(consultation)
        if questions.isEmpty { return [] }
        let node = consultation.askingNode()
        let first = node.reserveOrdinals(questions.count)
        guard supervisorLimiter != nil else {
            return try await solveInParallel(questions, parent: node, firstOrdinal: first)
        }
        return try await withSlotReleased(node) {
            try await solveInParallel(questions, parent: node, firstOrdinal: first)
        }
    }

    @inlinable
    func askEach(
        _ questions: [Question],
        from consultation: Consultation<Question, Answer>
    ) async throws -> [Result<Answer, EngineError>] {
        try checkConsultation(consultation)
        if questions.isEmpty { return [] }
        let node = consultation.askingNode()
        let first = node.reserveOrdinals(questions.count)
        return try await withSlotReleased(node) {
            try await solveEachInParallel(questions, parent: node, firstOrdinal: first)
        }
    }

    @inlinable
    func ask(
        _ question: Question,
        from consultation: Consultation<Question, Answer>,
        maximumAttempts: Int,
        verify: @escaping @Sendable (Answer) async throws -> Verdict
    ) async throws -> Answer {
        try checkConsultation(consultation)
        let node = consultation.askingNode()
        let attempts = max(1, maximumAttempts)
        for attempt in 1...attempts {
            let ordinal = node.reserveOrdinals(1)
            do {
                return try await withSlotReleased(node) {
                    // The fast path records nothing, so the check follows the answer; the full path checks it
                    // before recording the node, so that the trace says whether it passed.
                    guard !takesFastPath else {
                        let answer = try await solveNode(question, parent: node, ordinal: ordinal, role: nil)
                        return try accepted(answer, verdict: try await verify(answer), question, parent: node)
                    }
                    return try await solve(
                        question, parent: node, ordinal: ordinal, role: nil, verify: verify, bypassCache: attempt > 1
                    )
                }
            } catch is ReaskRequested {
                continue
            }
        }
        throw EngineError(
            code: .answerRejected,
            message: "no answer to a subquestion passed the supervisor's check in \(attempts) attempts",
            path: node.path + [question]
        )
    }

    @inlinable
    func askAssistant(_ question: Question, from consultation: Consultation<Question, Answer>) async throws -> Answer {
        let node = consultation.askingNode()
        let ordinal = try reserveAssistantAsk(question, from: node)
        // Without a supervisor cap there is no slot to release: skip the wrapper's frame and closure.
        guard supervisorLimiter != nil else {
            return try await solveNode(question, parent: node, ordinal: ordinal, role: .assistant)
        }
        return try await askAssistantReleasingSlot(question, from: node, ordinal: ordinal)
    }

    /// ``askAssistant(_:from:)`` on the fast path, inlined into the consultation's closure: the leaf's one frame on
    /// its way to the assistant.
    @inlinable
    @inline(__always)
    func askAssistantOnFastPath(
        _ question: Question,
        from consultation: Consultation<Question, Answer>
    ) async throws -> Answer {
        // No ordinal: ordinals number recorded nodes, and the fast path records none. No node either: the asking
        // node's path, which an error needs, is its parent's and its question.
        guard assistant != nil else { throw noAssistant(question, below: consultation.path) }
        let parent = consultation.parent
        let asking = consultation.question
        return try await assistantNodeOnFastPath(question) { NodeContext.path(of: asking, below: parent) }
    }

    /// Checks that there is an assistant to hand a question to, and returns the question's ordinal.
    @inlinable
    @inline(never)
    func reserveAssistantAsk(_ question: Question, from node: NodeContext<Question>) throws -> Int {
        guard assistant != nil else { throw noAssistant(question, below: node.path) }
        return node.reserveOrdinals(1)
    }

    /// The error of a question that goes to the assistant of an engine that has none, asked by the node at `path`:
    /// handed over by its supervisor, or at the bottom of the tree.
    @inlinable
    @inline(never)
    func noAssistant(_ question: Question, below path: [Question]) -> EngineError {
        EngineError(
            code: .noAssistant,
            message: "the question went to the assistant, but the engine has none",
            path: path + [question]
        )
    }

    @inlinable
    @inline(never)
    func askAssistantReleasingSlot(
        _ question: Question,
        from node: NodeContext<Question>,
        ordinal: Int
    ) async throws -> Answer {
        try await withSlotReleased(node) {
            try await solveNode(question, parent: node, ordinal: ordinal, role: .assistant)
        }
    }

    @inlinable
    func checkConsultation(_ consultation: Consultation<Question, Answer>) throws {
        guard consultation.canConsult else {
            var error = EngineError(
                code: .depthExhausted,
                message: consultation.unaided
                    ? "the engine refused this node help, so its supervisor must answer alone"
                    : "a supervisor at remaining depth 0 must answer alone",
                path: consultation.path
            )
            error.refusedNode = nil
            throw error
        }
    }

    // MARK: Parallel dispatch

    /// Inlined into the consultation's closure, so that a parallel ask is one frame on the asking task's path.
    @inlinable
    @inline(__always)
    func solveInParallel(
        _ questions: [Question],
        parent: NodeContext<Question>,
        firstOrdinal: Int
    ) async throws -> [Answer] {
        if questions.count == 1 {
            return [
                try await solveNode(
                    questions[0], parent: parent, ordinal: firstOrdinal, role: nil
                )
            ]
        }
        var answers: [Answer] = []
        try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
            let spawned = spawnChildTasks(for: questions, parent: parent, firstOrdinal: firstOrdinal, in: &group)
            let inline = spawned..<questions.count
            for index in inline {
                let answer = try await solveNode(
                    questions[index], parent: parent, ordinal: firstOrdinal + index, role: nil
                )
                Self.place(answer, at: index, of: questions.count, in: &answers)
            }
            while let (index, answer) = try await group.next() {
                Self.place(answer, at: index, of: questions.count, in: &answers)
            }
        }
        return answers
    }

    /// Puts an answer in its place among `count` answers arriving in any order.
    ///
    /// The first answer to arrive fills every place, to be overwritten by the others as they arrive: one array, of
    /// the final type, instead of an array of optionals and its unwrapped copy.
    @inlinable
    static func place<Element>(_ element: Element, at index: Int, of count: Int, in elements: inout [Element]) {
        if elements.isEmpty {
            elements = Array(repeating: element, count: count)
        } else {
            elements[index] = element
        }
    }

    /// Starts a child task for each of the first questions that the live-task allowance covers, and returns how
    /// many it started; the caller answers the rest inline.
    ///
    /// Every question gets a child task while the allowance lasts, the last one too: a failing sibling can cancel
    /// a child task, but not work running inline in the asking task. Apart from its caller, and synchronous, so
    /// that what starting a task needs stays off the asking node's async frame.
    @inlinable
    @inline(never)
    func spawnChildTasks(
        for questions: [Question],
        parent: NodeContext<Question>,
        firstOrdinal: Int,
        in group: inout ThrowingTaskGroup<(Int, Answer), any Error>
    ) -> Int {
        let spawned = takeLiveTasks(upTo: questions.count)
        for index in 0..<spawned {
            let question = questions[index]
            // A closure per path: the fast path's node, inlined into its closure, would enlarge the full path's.
            if takesFastPath {
                group.addTask {
                    defer { self.returnLiveTask() }
                    let answer = try await self.solveSpawnedOnFastPath(question, parent: parent)
                    return (index, answer)
                }
            } else {
                group.addTask {
                    defer { self.returnLiveTask() }
                    let answer = try await self.solve(
                        question, parent: parent, ordinal: firstOrdinal + index, role: nil, bypassCache: false
                    )
                    return (index, answer)
                }
            }
        }
        return spawned
    }

    @inlinable
    func solveEachInParallel(
        _ questions: [Question],
        parent: NodeContext<Question>,
        firstOrdinal: Int
    ) async throws -> [Result<Answer, EngineError>] {
        var results: [Result<Answer, EngineError>] = []
        try await withThrowingTaskGroup(of: (Int, Result<Answer, EngineError>).self) { group in
            // The last question is answered inline: a failure here cancels nothing.
            let spawned = takeLiveTasks(upTo: questions.count - 1)
            for index in 0..<spawned {
                let question = questions[index]
                group.addTask {
                    defer { self.returnLiveTask() }
                    let result = try await self.solveCapturingFailure(
                        question, parent: parent, ordinal: firstOrdinal + index
                    )
                    return (index, result)
                }
            }
            for index in spawned..<questions.count {
                let result = try await solveCapturingFailure(
                    questions[index], parent: parent, ordinal: firstOrdinal + index
                )
                Self.place(result, at: index, of: questions.count, in: &results)
            }
            while let (index, result) = try await group.next() {
                Self.place(result, at: index, of: questions.count, in: &results)
            }
        }
        return results
    }

    @inlinable
    func solveCapturingFailure(
        _ question: Question,
        parent: NodeContext<Question>,
        ordinal: Int
    ) async throws -> Result<Answer, EngineError> {
        do {
            return .success(
                try await solveNode(question, parent: parent, ordinal: ordinal, role: nil)
            )
        } catch let error as EngineError {
            return .failure(error)
        } catch {
            try Task.checkCancellation()
            return .failure(
                EngineError(
                    code: .supervisorFailed,
                    message: "a subquestion failed",
                    path: NodeContext.path(of: question, below: parent),
                    underlyingError: error
                )
            )
        }
    }

    /// Takes up to `count` live tasks from the allowance in one exchange, and returns how many it took.
    @inlinable
    func takeLiveTasks(upTo count: Int) -> Int {
        guard count > 0 else { return 0 }
        var current = liveTaskAllowance.load(ordering: .relaxed)
        while current > 0 {
            let taken = min(current, count)
            let (exchanged, original) = liveTaskAllowance.compareExchange(
                expected: current, desired: current - taken, ordering: .relaxed
            )
            if exchanged { return taken }
            current = original
        }
        return 0
    }

    @inlinable
    func returnLiveTask() {
        liveTaskAllowance.wrappingAdd(1, ordering: .relaxed)
    }

    // MARK: Supervisor slots

    /// Frees the node's supervisor slot while it waits for subanswers, and takes it back after.
    @inlinable
    func withSlotReleased<T>(_ node: NodeContext<Question>, _ work: () async throws -> T) async throws -> T {
        guard let limiter = supervisorLimiter else { return try await work() }
        let release = node.slot.withLock { slot -> Bool in
            slot.outstandingAsks += 1
            guard slot.holding else { return false }
            slot.holding = false
            return true
        }
        if release { limiter.release() }
        let result: Result<T, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        let reacquire = node.slot.withLock { slot -> Bool in
            slot.outstandingAsks -= 1
            return slot.outstandingAsks == 0 && !slot.holding
        }
        if reacquire {
            try await limiter.acquire()
            // Another ask of this node may have started while this one queued: the node then keeps no slot, or
            // it would hold the slot that ask's subtree needs (a deadlock under a cap of one). The last of its
            // asks to finish takes the slot back.
            let surplus = node.slot.withLock { slot -> Bool in
                if slot.holding || slot.outstandingAsks > 0 { return true }
                slot.holding = true
                return false
            }
            if surplus { limiter.release() }
        }
        return try result.get()
    }

    // MARK: The recursion
    //
    // A waiting task keeps the async frames of every function on its path, and each frame holds every value
    // that any path through its function keeps across a suspension. So the functions that stay on a waiting
    // task's path (solve, compute, callSupervisor, callAssistant) hold only the state of a computed node, and
    // every rarer step (memo, cache, metering, timeouts, verification, error mapping, recording) lives in a
    // function of its own, `@inline(never)`, whose frame exists only while it runs.

    /// Answers one node, on the fast path when the run takes it, otherwise by
    /// ``solve(_:parent:ordinal:role:verify:bypassCache:)``.
    ///
    /// Inlined into its callers, so that choosing a path adds no frame.
    @inlinable
    func solveNode(
        _ question: Question,
        parent: NodeContext<Question>?,
        ordinal: Int,
        role requestedRole: NodeRole?
    ) async throws -> Answer {
        guard takesFastPath else {
            return try await solve(question, parent: parent, ordinal: ordinal, role: requestedRole, bypassCache: false)
        }
        let remainingDepth = parent?.childRemainingDepth ?? configuration.depth.engineLevels
        if role(requested: requestedRole, parent: parent, remainingDepth: remainingDepth) == .assistant {
            return try await answerByAssistantOnFastPath(question, parent: parent)
        }
        return try await answerBySupervisorOnFastPath(question, parent: parent)
    }

    /// Answers a node in its own child task on the fast path, as ``solveNode(_:parent:ordinal:role:)`` would, with
    /// a supervisor node in the task's first frame.
    @inlinable
    @inline(__always)
    func solveSpawnedOnFastPath(_ question: Question, parent: NodeContext<Question>) async throws -> Answer {
        let remainingDepth = parent.childRemainingDepth
        if role(requested: nil, parent: parent, remainingDepth: remainingDepth) == .assistant {
            return try await answerByAssistantOnFastPath(question, parent: parent)
        }
        return try await supervisorNodeOnFastPath(question, parent: parent)
    }

    /// A supervisor node on the fast path, in a frame of its own.
    @inlinable
    @inline(never)
    func answerBySupervisorOnFastPath(_ question: Question, parent: NodeContext<Question>?) async throws -> Answer {
        try await supervisorNodeOnFastPath(question, parent: parent)
    }

    /// An assistant node on the fast path, in a frame of its own.
    @inlinable
    @inline(never)
    func answerByAssistantOnFastPath(_ question: Question, parent: NodeContext<Question>?) async throws -> Answer {
        try await assistantNodeOnFastPath(question) { NodeContext.path(below: parent) }
    }

    /// A supervisor node on the fast path: the same checks, counts and errors as the full path, and nothing else.
    ///
    /// Inlined where a node starts on a waiting task's path (a child task, a handed-over question), so that the
    /// node adds no frame of its own; elsewhere called through
    /// ``answerBySupervisorOnFastPath(_:parent:)``.
    @inlinable
    @inline(__always)
    func supervisorNodeOnFastPath(_ question: Question, parent: NodeContext<Question>?) async throws -> Answer {
        try Task.checkCancellation()
        let hash = checksCycles ? question.hashValue : 0
        if checksCycles, let parent, parent.pathContains(question, hash: hash) {
            throw cycleFound(question, parent: parent)
        }
        nodesComputed.wrappingAdd(1, ordering: .relaxed)
        supervisorCallsMade.wrappingAdd(1, ordering: .relaxed)
        // The node itself is made when the supervisor asks a subquestion: a leaf's, which only hands its question
        // to the assistant, never is.
        let consultation = Consultation(backend: self, deferredBelow: parent, question: question)
        do {
            return try await supervisor.respond(to: question, consulting: consultation)
        } catch {
            throw supervisorFailure(error, attempts: 1) { NodeContext.path(of: question, below: parent) }
        }
    }

    /// An assistant node on the fast path: the same checks, counts and errors as the full path, and nothing else.
    ///
    /// - Parameter parentPath: The path of the node that asked, for an error; computed only when one is thrown.
    @inlinable
    @inline(__always)
    func assistantNodeOnFastPath(_ question: Question, parentPath: () -> [Question]) async throws -> Answer {
        guard let assistant else { throw noAssistant(question, below: parentPath()) }
        nodesComputed.wrappingAdd(1, ordering: .relaxed)
        do {
            try Task.checkCancellation()
            assistantCallsMade.wrappingAdd(1, ordering: .relaxed)
            return try await assistant.answer(question)
        } catch {
            throw assistantFailure(error, attempts: 1, question, parentPath: parentPath)
        }
    }

    /// Answers one node: checks cycles, memo and cache, budgets, then asks the supervisor or the assistant.
    ///
    /// Only on a run that does not take the fast path: the consultations it makes hold their nodes, which a
    /// fast-path run's consultations do not (see `Consultation.anchor`).
    ///
    /// - Parameters:
    ///   - role: `.assistant` when the supervisor handed the question to the assistant; `nil` to decide by depth.
    ///   - verify: The asking supervisor's check of the answer, if it checks; run before the node is recorded,
    ///     so the trace says whether the answer passed.
    ///   - bypassCache: Whether to skip memo and cache (a re-ask).
    @inlinable
    @inline(never)
    func solve(
        _ question: Question,
        parent: NodeContext<Question>?,
        ordinal: Int,
        role requestedRole: NodeRole?,
        verify: (@Sendable (Answer) async throws -> Verdict)? = nil,
        bypassCache: Bool
    ) async throws -> Answer {
        // A node handed to the assistant checks for cancellation as its call starts, after any wait for the cap.
        if requestedRole != .assistant { try Task.checkCancellation() }
        let node = try startNode(question, parent: parent, ordinal: ordinal, role: requestedRole)
        var memoized = memo != nil && !bypassCache
        if memoized {
            switch try await claimMemo(question, parent: parent, node: node) {
            case .compute: break
            case .computeAlone: memoized = false
            case .reuse(let hit):
                return try await finish(hit.answer, verify, node, parent, question, hit.outcome, hit.source)
            }
        }
        let subtree = tracksSubtrees && node.role == .supervisor ? SubtreeQuestions<Question>() : nil
        var outcome = NodeOutcome()
        let answer: Answer
        do {
            answer = try await compute(
                question, parent: parent, node: node, subtree: subtree, bypassCache: bypassCache, outcome: &outcome
            )
        } catch {
            throw nodeFailed(
                error, question, parent: parent, node: node, subtree: subtree, outcome: outcome, memoized: memoized
            )
        }
        let independent = settle(subtree, question, parent: parent, node: node)
        if memoized, let memo {
            let key = memo.key(question, depth: node.depth, role: node.role)
            if independent {
                memo.fulfil(key, with: answer, degraded: outcome.degraded, subtree: subtree)
            } else {
                // Computed under cycles that closed on its ancestors: another path may give another answer.
                memo.abandon(key)
            }
        }
        let memoSource = memoized && independent ? node.recordID : -1
        guard verify == nil else {
            return try await finish(answer, verify, node, parent, question, outcome, memoSource)
        }
        record(node, parent, question, .success(answer), outcome, memoSource: memoSource, verified: false)
        return answer
    }

    /// Who answers a node asked below `parent`: the role asked for, or by depth, the assistant at the bottom.
    ///
    /// The root is always H: HCH_0 is H alone, with or without an assistant.
    @inlinable
    func role(requested: NodeRole?, parent: NodeContext<Question>?, remainingDepth: Int) -> NodeRole {
        requested ?? ((parent != nil && remainingDepth == 0 && assistant != nil) ? .assistant : .supervisor)
    }

    /// Opens a node: its place, role and record number, the `nodeStarted` event, and the cycle check.
    @inlinable
    func startNode(
        _ question: Question,
        parent: NodeContext<Question>?,
        ordinal: Int,
        role requestedRole: NodeRole?
    ) throws -> NodeStart {
        let remainingDepth = parent?.childRemainingDepth ?? configuration.depth.engineLevels
        let role = role(requested: requestedRole, parent: parent, remainingDepth: remainingDepth)
        let node = NodeStart(
            depth: parent.map { $0.depth + 1 } ?? 0,
            remainingDepth: remainingDepth,
            ordinal: ordinal,
            role: role,
            hash: hashesQuestions ? question.hashValue : 0,
            recordID: recordsNodes ? nextRecordID.wrappingAdd(1, ordering: .relaxed).oldValue : -1,
            start: recorder != nil ? elapsed() : .zero
        )
        if emitsEvents { emitNodeStarted(node, parent, question) }
        // Only supervisor nodes recurse; an assistant node answering its parent's own question is no cycle.
        if let parent, role == .supervisor, checksCycles,
            parent.pathContains(question, hash: node.hash)
        {
            throw cycleFound(question, parent: parent, node: node)
        }
        return node
    }

    @inlinable
    @inline(never)
    func emitNodeStarted(_ node: NodeStart, _ parent: NodeContext<Question>?, _ question: Question) {
        events?.yield(
            .nodeStarted(
                id: node.recordID, parent: parent?.recordID, question: question, role: node.role, depth: node.depth
            )
        )
    }

    @inlinable
    @inline(never)
    func cycleFound(_ question: Question, parent: NodeContext<Question>, node: NodeStart) -> EngineError {
        if let subtree = parent.subtree {
            subtree.addCycle(
                question, hash: node.hash, ancestorDepth: parent.depthOnPath(of: question, hash: node.hash) ?? 0
            )
        }
        let error = cycleFound(question, parent: parent)
        record(node, parent, question, .failure(error), NodeOutcome(), memoSource: -1, verified: false)
        return error
    }

    /// The error of a question that recurred on its own ancestor path.
    @inlinable
    @inline(never)
    func cycleFound(_ question: Question, parent: NodeContext<Question>) -> EngineError {
        var error = EngineError(
            code: .cycleDetected,
            message: "a question recurred on its own ancestor path",
            path: NodeContext.path(of: question, below: parent)
        )
        if configuration.cyclePolicy == .answerWithoutHelp { error.refusedNode = ObjectIdentifier(parent) }
        return error
    }

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
        guard let subtree else { return true }
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
            if let parent, subtree.meetsPath(of: parent, in: memo) { return .computeAlone }
            parent?.subtree?.add(question, hash: node.hash, below: subtree)
        }
        switch claim {
        case .compute:
            return .compute
        case .computeAlone:
            return .computeAlone
        case .answered(let memoized, let source, let degraded, _):
            memoHits.wrappingAdd(1, ordering: .relaxed)
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

    /// Runs the asking supervisor's check, if any, records the node, and returns the answer or the verdict.
    @inlinable
    @inline(never)
    func finish(
        _ answer: Answer,
        _ verify: (@Sendable (Answer) async throws -> Verdict)?,
        _ node: NodeStart,
        _ parent: NodeContext<Question>?,
        _ question: Question,
        _ outcome: NodeOutcome,
        _ memoSource: Int
    ) async throws -> Answer {
        var verdict: Verdict?
        do {
            verdict = try await verify?(answer)
        } catch {
            record(node, parent, question, .success(answer), outcome, memoSource: memoSource, verified: false)
            throw error
        }
        record(node, parent, question, .success(answer), outcome, memoSource: memoSource, verified: verdict == .accept)
        return try accepted(answer, verdict: verdict, question, parent: parent)
    }

    /// The answer, when the asking supervisor's verdict (or the absence of a check) accepts it; otherwise the
    /// request to ask again or the rejection, thrown.
    @inlinable
    func accepted(
        _ answer: Answer,
        verdict: Verdict?,
        _ question: Question,
        parent: NodeContext<Question>?
    ) throws -> Answer {
        switch verdict {
        case nil, .accept?:
            return answer
        case .reask?:
            throw ReaskRequested()
        case .reject(let reason)?:
            throw EngineError(
                code: .answerRejected,
                message: "the supervisor rejected the answer to a subquestion: \(reason)",
                path: NodeContext.path(of: question, below: parent)
            )
        }
    }

    @usableFromInline
    struct NodeOutcome {
        @usableFromInline var cache: CacheOutcome = .miss
        @usableFromInline var cost: Double = 0
        @usableFromInline var retries = 0
        @usableFromInline var unaided = false
        /// Whether this node or one below it answered without the help it asked for.
        @usableFromInline var degraded = false

        @inlinable init() {}
    }

    @inlinable
    func compute(
        _ question: Question,
        parent: NodeContext<Question>?,
        node: NodeStart,
        subtree: SubtreeQuestions<Question>?,
        bypassCache: Bool,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        let cached = cache != nil && !bypassCache
        if cached, let answer = try await lookUpCache(question, parent: parent, node: node) {
            outcome.cache = .sharedCache
            return answer
        }
        try reserveNode(question, parent: parent)
        let answer: Answer
        if node.role == .assistant {
            answer = try await callAssistant(question, parent: parent, outcome: &outcome)
        } else {
            answer = try await callSupervisor(
                question, parent: parent, node: node, subtree: subtree, outcome: &outcome
            )
        }
        if outcome.degraded {
            // An answer given without help, or built on one, is not what a run with the budget would give.
            parent?.helpRefusedBelow.store(true, ordering: .relaxed)
        } else if cached {
            try await storeInCache(answer, question, parent: parent, node: node)
        }
        return answer
    }

    @inlinable
    @inline(never)
    func lookUpCache(_ question: Question, parent: NodeContext<Question>?, node: NodeStart) async throws -> Answer? {
        guard let cache else { return nil }
        let answer: Answer?
        do {
            answer = try await cache.answer(for: question, from: node.cacheSource)
        } catch {
            throw EngineError(
                code: .supervisorFailed, message: "the answer cache failed to look up a question",
                path: NodeContext.path(of: question, below: parent), underlyingError: error
            )
        }
        if answer != nil { cacheHits.wrappingAdd(1, ordering: .relaxed) }
        return answer
    }

    @inlinable
    @inline(never)
    func storeInCache(
        _ answer: Answer,
        _ question: Question,
        parent: NodeContext<Question>?,
        node: NodeStart
    ) async throws {
        guard let cache else { return }
        do {
            try await cache.store(answer, for: question, from: node.cacheSource)
        } catch {
            throw EngineError(
                code: .supervisorFailed, message: "the answer cache failed to store an answer",
                path: NodeContext.path(of: question, below: parent), underlyingError: error
            )
        }
    }

    // MARK: Budgets

    @inlinable
    @inline(never)
    func reserveNode(_ question: Question, parent: NodeContext<Question>?) throws {
        if hasDeadline, deadlinePassed() {
            throw exhaustion(.deadlineExceeded, "the run's deadline passed", question, parent)
        }
        if let limit = configuration.budget.maximumNodes {
            guard reserve(nodesComputed, limit: limit) else {
                throw exhaustion(.nodeBudgetExhausted, "the node budget of \(limit) is spent", question, parent)
            }
        } else {
            nodesComputed.wrappingAdd(1, ordering: .relaxed)
        }
    }

    @inlinable
    @inline(never)
    func reserveAssistantCall(_ question: Question, parent: NodeContext<Question>?) throws {
        if let limit = configuration.budget.maximumCost, costSpent.withLock({ $0 }) >= limit {
            throw exhaustion(.costBudgetExhausted, "the cost budget of \(limit) is spent", question, parent)
        }
        if let limit = configuration.budget.maximumAssistantCalls {
            guard reserve(assistantCallsMade, limit: limit) else {
                throw exhaustion(
                    .assistantCallBudgetExhausted, "the assistant-call budget of \(limit) is spent", question, parent
                )
            }
        } else {
            assistantCallsMade.wrappingAdd(1, ordering: .relaxed)
        }
    }

    @inlinable
    @inline(never)
    func checkCostBeforeSupervisorCall(_ question: Question, parent: NodeContext<Question>?) throws {
        if let limit = configuration.budget.maximumCost, costSpent.withLock({ $0 }) >= limit {
            throw exhaustion(.costBudgetExhausted, "the cost budget of \(limit) is spent", question, parent)
        }
    }

    @inlinable
    func reserve(_ counter: borrowing Atomic<Int>, limit: Int) -> Bool {
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

    @inlinable
    @inline(never)
    func exhaustion(
        _ code: EngineError.Code,
        _ message: String,
        _ question: Question,
        _ parent: NodeContext<Question>?
    ) -> EngineError {
        var error = EngineError(code: code, message: message, path: NodeContext.path(of: question, below: parent))
        if configuration.exhaustionPolicy == .answerWithoutHelp, let parent {
            error.refusedNode = ObjectIdentifier(parent)
        }
        return error
    }

    @inlinable
    func charge(_ cost: Double) {
        guard cost > 0 else { return }
        costSpent.withLock { $0 += cost }
    }

    // MARK: Calls

    @inlinable
    func callAssistant(
        _ question: Question,
        parent: NodeContext<Question>?,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        guard assistant != nil else { throw noAssistant(question, below: NodeContext.path(below: parent)) }
        var attempt = 1
        while true {
            if let limiter = assistantLimiter { try await limiter.acquire() }
            do {
                // No assistant call starts once the run is cancelled. The budget is charged only now, as the call
                // starts: a call cancelled while it waited for the cap counts for nothing, and the cost spent by
                // the calls that held the cap is known.
                try Task.checkCancellation()
                try reserveAssistantCall(question, parent: parent)
                let answer: Answer
                if !metersCost && configuration.assistantTimeout == nil, let assistant {
                    // The common case calls the assistant directly: no meter, no timeout race, no closures.
                    answer = try await assistant.answer(question)
                } else {
                    answer = try await callAssistantMetered(question, parent: parent, outcome: &outcome)
                }
                assistantLimiter?.release()
                return answer
            } catch {
                assistantLimiter?.release()
                let delay = try assistantRetryDelay(after: error, attempt: attempt, question, parent: parent)
                try await backOff(delay)
                attempt += 1
                outcome.retries += 1
                retriesMade.wrappingAdd(1, ordering: .relaxed)
            }
        }
    }

    /// Calls the assistant with a meter open and under the configured timeout.
    @inlinable
    @inline(never)
    func callAssistantMetered(
        _ question: Question,
        parent: NodeContext<Question>?,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        guard let assistant else { throw noAssistant(question, below: NodeContext.path(below: parent)) }
        // The timeout's race needs an escaping closure, a heap allocation per call: only form it when timed.
        guard let timeout = configuration.assistantTimeout else {
            return try await metered(&outcome) { try await assistant.answer(question) }
        }
        return try await metered(&outcome) {
            try await self.withTimeout(timeout, question, parent) { try await assistant.answer(question) }
        }
    }

    /// Returns how long to wait before retrying a failed assistant call, or throws the error the node fails with.
    @inlinable
    @inline(never)
    func assistantRetryDelay(
        after error: any Error,
        attempt: Int,
        _ question: Question,
        parent: NodeContext<Question>?
    ) throws -> Duration {
        if error is CancellationError || Task.isCancelled || error is EngineError {
            throw assistantFailure(error, attempts: attempt, question) { NodeContext.path(below: parent) }
        }
        let policy = configuration.assistantRetries
        guard attempt < policy.maximumAttempts, policy.isRetryable((error as? CallTimedOut)?.error ?? error) else {
            throw assistantFailure(error, attempts: attempt, question) { NodeContext.path(below: parent) }
        }
        return policy.backoff(beforeRetry: attempt, random: Double.random(in: 0..<1))
    }

    /// The error a node fails with when its assistant call failed and is not retried.
    @inlinable
    @inline(never)
    func assistantFailure(
        _ error: any Error,
        attempts: Int,
        _ question: Question,
        parentPath: () -> [Question]
    ) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if var engineError = error as? EngineError {
            // An assistant has no subquestions: its own errors get the full path here.
            engineError.path = parentPath() + [question]
            return engineError
        }
        let error = (error as? CallTimedOut)?.error ?? error
        if let engineError = error as? EngineError { return engineError }
        return EngineError(
            code: .assistantFailed,
            message: attempts > 1 ? "the assistant failed \(attempts) times" : "the assistant failed",
            path: parentPath() + [question],
            underlyingError: error
        )
    }

    @inlinable
    func callSupervisor(
        _ question: Question,
        parent: NodeContext<Question>?,
        node start: NodeStart,
        subtree: SubtreeQuestions<Question>?,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        var attempt = 1
        var unaided = false
        // A call made again (a retry, or answering alone) numbers its subquestions after the earlier calls' ones,
        // so that the trace keeps them in the order they were asked.
        var firstOrdinal = 0
        while true {
            try checkCostBeforeSupervisorCall(question, parent: parent)
            let node = NodeContext(
                question: question,
                questionHash: start.hash,
                depth: start.depth,
                remainingDepth: start.remainingDepth,
                parent: parent,
                recordID: start.recordID,
                unaided: unaided,
                firstOrdinal: firstOrdinal,
                subtree: subtree
            )
            if let limiter = supervisorLimiter {
                try await limiter.acquire()
                node.slot.withLock { $0.holding = true }
                // A slot can be handed over as the run is cancelled: no supervisor call starts after that.
                if Task.isCancelled {
                    releaseSlot(of: node)
                    throw CancellationError()
                }
            }
            supervisorCallsMade.wrappingAdd(1, ordering: .relaxed)
            do {
                let answer: Answer
                if !metersCost && configuration.supervisorTimeout == nil {
                    answer = try await supervisor.respond(
                        to: question, consulting: Consultation(backend: self, node: node)
                    )
                } else {
                    answer = try await callSupervisorMetered(question, parent: parent, node: node, outcome: &outcome)
                }
                releaseSlot(of: node)
                outcome.unaided = unaided
                outcome.degraded = unaided || node.helpRefusedBelow.load(ordering: .relaxed)
                return answer
            } catch {
                releaseSlot(of: node)
                firstOrdinal = node.askCounter.load(ordering: .relaxed)
                guard let delay = try supervisorRetryDelay(after: error, attempt: attempt, node: node, unaided: unaided)
                else {
                    // A consultation refused under a lenient policy: ask this node to answer alone.
                    unaided = true
                    continue
                }
                try await backOff(delay)
                attempt += 1
                outcome.retries += 1
                retriesMade.wrappingAdd(1, ordering: .relaxed)
            }
        }
    }

    @inlinable
    func releaseSlot(of node: NodeContext<Question>) {
        guard let limiter = supervisorLimiter else { return }
        let holding = node.slot.withLock { slot -> Bool in
            defer { slot.holding = false }
            return slot.holding
        }
        if holding { limiter.release() }
    }

    /// Calls the supervisor with a meter open and under the configured timeout.
    @inlinable
    @inline(never)
    func callSupervisorMetered(
        _ question: Question,
        parent: NodeContext<Question>?,
        node: NodeContext<Question>,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        let consultation = Consultation(backend: self, node: node)
        guard let timeout = configuration.supervisorTimeout else {
            return try await metered(&outcome) { try await supervisor.respond(to: question, consulting: consultation) }
        }
        return try await metered(&outcome) {
            try await self.withTimeout(timeout, question, parent) {
                try await self.supervisor.respond(to: question, consulting: consultation)
            }
        }
    }

    /// Decides what follows a failed supervisor call: the delay before a retry, `nil` to answer alone, or the
    /// error the node fails with, thrown.
    @inlinable
    @inline(never)
    func supervisorRetryDelay(
        after error: any Error,
        attempt: Int,
        node: NodeContext<Question>,
        unaided: Bool
    ) throws -> Duration? {
        let cancelled = error is CancellationError || Task.isCancelled
        if !cancelled, let engineError = error as? EngineError, engineError.refusedNode == ObjectIdentifier(node),
            !unaided
        {
            return nil
        }
        // A subquestion's error (an `EngineError`, a subquestion's timeout included) is not this call's to retry.
        let policy = configuration.supervisorRetries
        guard !cancelled, !(error is EngineError), attempt < policy.maximumAttempts,
            policy.isRetryable((error as? CallTimedOut)?.error ?? error)
        else {
            throw supervisorFailure(error, attempts: attempt) { node.path }
        }
        return policy.backoff(beforeRetry: attempt, random: Double.random(in: 0..<1))
    }

    /// The error a node fails with when its supervisor call failed and is not retried.
    @inlinable
    @inline(never)
    ///
    /// - Parameter path: The node's path, for the error; computed only when the error needs it.
    func supervisorFailure(_ error: any Error, attempts: Int, path: () -> [Question]) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        // A subquestion's error, a subquestion's timeout included: not this call's to retry.
        if let engineError = error as? EngineError { return engineError }
        let error = (error as? CallTimedOut)?.error ?? error
        if let engineError = error as? EngineError { return engineError }
        return EngineError(
            code: .supervisorFailed,
            message: attempts > 1 ? "the supervisor failed \(attempts) times" : "the supervisor failed",
            path: path(),
            underlyingError: error
        )
    }

    /// Runs a call with a meter open and charges what it reported, whether it answered or threw: a call that
    /// failed may have spent as much as one that answered.
    @inlinable
    func metered(_ outcome: inout NodeOutcome, _ work: () async throws -> Answer) async throws -> Answer {
        guard metersCost else { return try await work() }
        let meter = CostMeter()
        defer {
            let cost = meter.reportedCost
            charge(cost)
            outcome.cost += cost
        }
        return try await meter.measure(work)
    }

    @inlinable
    func withTimeout(
        _ timeout: Duration,
        _ question: Question,
        _ parent: NodeContext<Question>?,
        _ work: @escaping @Sendable () async throws -> Answer
    ) async throws -> Answer {
        try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else {
                throw CallTimedOut(
                    error: EngineError(
                        code: .timedOut,
                        message: "a call took longer than its timeout of \(timeout)",
                        path: NodeContext.path(of: question, below: parent)
                    )
                )
            }
            return answer
        }
    }

    // MARK: Recording

    /// Records a finished node for the event stream and the trace; a no-op unless either is on.
    @inlinable
    func record(
        _ node: NodeStart,
        _ parent: NodeContext<Question>?,
        _ question: Question,
        _ result: Result<Answer, EngineError>,
        _ outcome: NodeOutcome,
        memoSource: Int,
        verified: Bool
    ) {
        guard recordsNodes else { return }
        recordNode(node, parent, question, result, outcome, memoSource: memoSource, verified: verified)
    }

    @inlinable
    @inline(never)
    func recordNode(
        _ node: NodeStart,
        _ parent: NodeContext<Question>?,
        _ question: Question,
        _ result: Result<Answer, EngineError>,
        _ outcome: NodeOutcome,
        memoSource: Int,
        verified: Bool
    ) {
        events?.yield(.nodeFinished(id: node.recordID, result: result, cache: outcome.cache))
        guard let recorder else { return }
        let answer: Answer?
        let error: String?
        switch result {
        case .success(let value):
            answer = value
            error = nil
        case .failure(let failure):
            answer = nil
            error = failure.description
        }
        recorder.append(
            TraceRecorder.Record(
                id: node.recordID,
                parent: parent?.recordID ?? -1,
                ordinal: node.ordinal,
                question: question,
                answer: answer,
                role: node.role,
                depth: node.depth,
                remainingDepth: node.remainingDepth,
                start: node.start,
                end: elapsed(),
                cost: outcome.cost,
                cache: outcome.cache,
                memoSource: memoSource,
                retries: outcome.retries,
                error: error,
                verified: verified,
                unaided: outcome.unaided
            )
        )
    }

    @usableFromInline
    func trace() -> Trace<Question, Answer>? {
        recorder?.trace(recordCount: nextRecordID.load(ordering: .relaxed))
    }
}

/// Thrown inside the engine when a supervisor's check asks for a subquestion to be asked again.
@usableFromInline
struct ReaskRequested: Error {
    @usableFromInline init() {}
}

/// The timeout of the call that the engine is making ran out; the call's own retry loop handles it.
///
/// A distinct type, so that a supervisor's retry loop never mistakes a subquestion's timeout for its own.
@usableFromInline
struct CallTimedOut: Error {
    @usableFromInline let error: EngineError

    @usableFromInline init(error: EngineError) {
        self.error = error
    }
}
