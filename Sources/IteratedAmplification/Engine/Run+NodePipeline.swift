public import Synchronization

// The node pipeline: cycle check, memo, cache, budgets, the call, recording. One pipeline for every run: the fast
// path is its specialization without the optional steps (see `PipelineSteps`).
extension Run {
    //
    // A waiting task keeps the async frames of every function on its path, and each frame holds every value
    // that any path through its function keeps across a suspension. So the functions that stay on a waiting
    // task's path (solve, compute, callSupervisor, callAssistant) hold only the state of a computed node, and
    // every rarer step (memo, cache, metering, timeouts, verification, error mapping, recording) lives in a
    // function of its own, `@inline(never)`, whose frame exists only while it runs. Each optional step is also
    // behind `Steps.includesOptionalSteps`, so that the fast path's specialization holds none of it.

    /// Answers one node through the pipeline, in a frame of its own: checks cycles, memo and cache, budgets, then
    /// asks the supervisor or the assistant.
    ///
    /// - Parameters:
    ///   - role: `.assistant` when the supervisor handed the question to the assistant; `nil` to decide by depth.
    ///   - verify: The asking supervisor's check of the answer, if it checks; run before the node is recorded,
    ///     so the trace says whether the answer passed. An optional step: on the fast path, which records nothing,
    ///     the asker checks the answer after the node instead (`ask(_:from:maximumAttempts:verify:)`).
    ///   - bypassCache: Whether to skip memo and cache (a re-ask).
    @inlinable
    @inline(never)
    func solve(
        _ question: Question,
        parent: NodeContext<Question>?,
        ordinal: Int,
        role requestedRole: NodeRole?,
        verify: (@Sendable (Answer) async throws -> Verdict)?,
        bypassCache: Bool
    ) async throws -> Answer {
        try await pipeline(
            question, parent: parent, ordinal: ordinal, role: requestedRole, verify: verify, bypassCache: bypassCache)
    }

    /// ``solve(_:parent:ordinal:role:verify:bypassCache:)`` for a question asked without a check. (No default
    /// arguments there: in generic code each is a call of its own, whose result the caller's frame keeps.)
    @inlinable
    @inline(__always)
    func solve(
        _ question: Question,
        parent: NodeContext<Question>?,
        ordinal: Int,
        role requestedRole: NodeRole?
    ) async throws -> Answer {
        try await solve(
            question, parent: parent, ordinal: ordinal, role: requestedRole, verify: nil, bypassCache: false)
    }

    /// Answers one node as ``solve(_:parent:ordinal:role:verify:bypassCache:)`` does, where it is the first frame
    /// of its task or of its consultation's closure: the fast path's pipeline, whose frame is small, is inlined
    /// there, so that the node adds no frame to the task's path; with every step it runs in a frame of its own.
    ///
    /// The choice is made at compile time, per specialization.
    @inlinable
    @inline(__always)
    func solveInFirstFrame(
        _ question: Question,
        parent: NodeContext<Question>?,
        ordinal: Int,
        role requestedRole: NodeRole?
    ) async throws -> Answer {
        guard Steps.includesOptionalSteps else {
            return try await pipeline(
                question, parent: parent, ordinal: ordinal, role: requestedRole, verify: nil, bypassCache: false)
        }
        return try await solve(question, parent: parent, ordinal: ordinal, role: requestedRole)
    }

    /// The node pipeline: every step a node takes, in order (see ``solve(_:parent:ordinal:role:verify:bypassCache:)``).
    @inlinable
    @inline(__always)
    func pipeline(
        _ question: Question,
        parent: NodeContext<Question>?,
        ordinal: Int,
        role requestedRole: NodeRole?,
        verify: (@Sendable (Answer) async throws -> Verdict)?,
        bypassCache: Bool
    ) async throws -> Answer {
        // Checking the answer before the node is recorded is an optional step: without recording, the asker checks
        // it after the node (see `ask(_:from:maximumAttempts:verify:)`), so the node's frames need not hold the check.
        let verify = Steps.includesOptionalSteps ? verify : nil
        // A node handed to the assistant checks for cancellation as its call starts, after any wait for the cap.
        if requestedRole != .assistant { try Task.checkCancellation() }
        let node = try startNode(question, parent: parent, ordinal: ordinal, role: requestedRole)
        var memoized = Steps.includesOptionalSteps && memo != nil && !bypassCache
        if memoized {
            switch try await claimMemo(question, parent: parent, node: node) {
            case .compute: break
            case .computeAlone: memoized = false
            case .reuse(let hit):
                return try await finish(hit.answer, verify, node, parent, question, hit.outcome, hit.source)
            }
        }
        let subtree =
            Steps.includesOptionalSteps && tracksSubtrees && node.role == .supervisor
            ? SubtreeQuestions<Question>() : nil
        var outcome = NodeOutcome()
        outcome.recordID = node.recordID
        let answer: Answer
        do {
            answer = try await compute(
                question, parent: parent, node: node, handedOver: requestedRole == .assistant, subtree: subtree,
                bypassCache: bypassCache, outcome: &outcome
            )
        } catch {
            // Without the optional steps a failure has nothing to settle, share or record.
            guard Steps.includesOptionalSteps else { throw error }
            throw nodeFailed(
                error, question, parent: parent, node: node, subtree: subtree, outcome: outcome, memoized: memoized
            )
        }
        let independent = settle(subtree, question, parent: parent, node: node)
        if memoized, let memo {
            let key = memo.key(question, depth: node.depth, role: node.role)
            if independent {
                memo.fulfil(key, with: answer, depth: node.depth, degraded: outcome.degraded, subtree: subtree)
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
            // Cycle checks read a supervisor node's hash, the memo every node's: a leaf handed to the assistant on
            // the fast path hashes nothing.
            hash: (role == .supervisor ? hashesQuestions : memo != nil) ? question.hashValue : 0,
            recordID: Steps.includesOptionalSteps && recordsNodes
                ? nextRecordID.wrappingAdd(1, ordering: .relaxed).oldValue : -1,
            start: Steps.includesOptionalSteps && recorder != nil ? elapsed() : .zero
        )
        if Steps.includesOptionalSteps && emitsEvents { emitNodeStarted(node, parent, question) }
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
        // Three words: every node's frames hold the outcome, so it is kept small (a node retries far fewer than
        // 2^31 times).
        @usableFromInline var cost: Double = 0
        /// The node's record, for what its calls leave beside it (the model calls a trace keeps).
        @usableFromInline var recordID = -1
        @usableFromInline var retries: Int32 = 0
        @usableFromInline var cache: CacheOutcome = .miss
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
        handedOver: Bool,
        subtree: SubtreeQuestions<Question>?,
        bypassCache: Bool,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        let cached = Steps.includesOptionalSteps && cache != nil && !bypassCache
        if cached, let answer = try await lookUpCache(question, parent: parent, node: node) {
            outcome.cache = .sharedCache
            return answer
        }
        try reserveNode(question, parent: parent)
        let answer: Answer
        if node.role == .assistant {
            // Where a supervisor hands its question over on the fast path, the call runs in the consultation's
            // frame; elsewhere in a frame of its own, so that it does not enlarge supervisor nodes' frames.
            if !Steps.includesOptionalSteps && handedOver {
                answer = try await callAssistant(question, parent: parent, outcome: &outcome)
            } else {
                answer = try await callAssistantInFrameOfItsOwn(question, parent: parent, outcome: &outcome)
            }
        } else {
            answer = try await callSupervisor(
                question, parent: parent, node: node, subtree: subtree, outcome: &outcome
            )
        }
        if Steps.includesOptionalSteps && outcome.degraded {
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
        if answer != nil { ledger.countCachedAnswer() }
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
}
