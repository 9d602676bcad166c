public import Synchronization

// Calls to the assistant and the supervisor: retries, timeouts, caps, metering and failure mapping.
extension Run {
    /// ``callAssistant(_:parent:outcome:)`` in a frame of its own: inlined into a node that may be a supervisor's,
    /// the assistant's call would add what it keeps across its suspension to every supervisor node's frame.
    @inlinable
    @inline(never)
    func callAssistantInFrameOfItsOwn(
        _ question: Question,
        parent: NodeContext<Question>?,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        try await callAssistant(question, parent: parent, outcome: &outcome)
    }

    /// Calls the assistant, with its cap, budget, meter, timeout and retries where the run has them.
    @inlinable
    @inline(__always)
    func callAssistant(
        _ question: Question,
        parent: NodeContext<Question>?,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
        guard assistant != nil else { throw noAssistant(question, below: NodeContext.path(below: parent)) }
        var attempt = 1
        while true {
            if Steps.includesOptionalSteps, let limiter = assistantLimiter { try await limiter.acquire() }
            do {
                // No assistant call starts once the run is cancelled. The budget is charged only now, as the call
                // starts: a call cancelled while it waited for the cap counts for nothing, and the cost spent by
                // the calls that held the cap is known.
                try Task.checkCancellation()
                try reserveAssistantCall(question, parent: parent)
                let answer: Answer
                if !Steps.includesOptionalSteps || (!metersCost && configuration.assistantTimeout == nil),
                    let assistant
                {
                    // The common case calls the assistant directly: no meter, no timeout race, no closures.
                    answer = try await assistant.answer(question)
                } else {
                    answer = try await callAssistantMetered(question, parent: parent, outcome: &outcome)
                }
                if Steps.includesOptionalSteps { assistantLimiter?.release() }
                return answer
            } catch {
                guard Steps.includesOptionalSteps else {
                    throw assistantFailure(error, attempts: 1, question) { NodeContext.path(below: parent) }
                }
                assistantLimiter?.release()
                let delay = try assistantRetryDelay(after: error, attempt: attempt, question, parent: parent)
                try await backOff(delay)
                attempt += 1
                outcome.retries += 1
                ledger.countRetry()
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
        guard let delay = retryDelay(after: error, attempt: attempt, policy: configuration.assistantRetries) else {
            throw assistantFailure(error, attempts: attempt, question) { NodeContext.path(below: parent) }
        }
        return delay
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
            // The node is made now where a step needs it (a slot, a record, a refusal, the questions asked below
            // it). On the fast path nothing outlives an ask, so the consultation makes it when its supervisor asks a
            // subquestion: a leaf's, which only hands its question to the assistant, never is.
            let consultation =
                Steps.includesOptionalSteps
                ? Consultation(
                    backend: self,
                    node: NodeContext(
                        question: question,
                        questionHash: start.hash,
                        depth: start.depth,
                        remainingDepth: start.remainingDepth,
                        parent: parent,
                        recordID: start.recordID,
                        unaided: unaided,
                        firstOrdinal: firstOrdinal,
                        subtree: subtree
                    ))
                : Consultation(backend: self, deferredBelow: parent, question: question)
            // Where the steps need the node, the consultation holds it.
            let node = Steps.includesOptionalSteps ? consultation.anchor : nil
            if Steps.includesOptionalSteps, let limiter = supervisorLimiter, let node {
                try await limiter.acquire()
                node.slot.withLock { $0.holding = true }
                // A slot can be handed over as the run is cancelled: no supervisor call starts after that.
                if Task.isCancelled {
                    releaseSlot(of: node)
                    throw CancellationError()
                }
            }
            ledger.countSupervisorCall()
            do {
                let answer: Answer
                if !Steps.includesOptionalSteps || (!metersCost && configuration.supervisorTimeout == nil) {
                    answer = try await supervisor.respond(to: question, consulting: consultation)
                } else {
                    answer = try await callSupervisorMetered(
                        question, parent: parent, consultation: consultation, outcome: &outcome)
                }
                guard let node else { return answer }
                releaseSlot(of: node)
                outcome.unaided = unaided
                outcome.degraded = unaided || node.helpRefusedBelow.load(ordering: .relaxed)
                return answer
            } catch {
                guard let node else {
                    throw supervisorFailure(error, attempts: 1) { NodeContext.path(of: question, below: parent) }
                }
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
                ledger.countRetry()
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
        consultation: Consultation<Question, Answer>,
        outcome: inout NodeOutcome
    ) async throws -> Answer {
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
        guard let delay = retryDelay(after: error, attempt: attempt, policy: configuration.supervisorRetries) else {
            throw supervisorFailure(error, attempts: attempt) { node.path }
        }
        return delay
    }

    /// The delay before retrying a call that failed, or `nil` when it is not to be retried: the run was cancelled,
    /// the error is a subquestion's (an ``EngineError``, a subquestion's timeout included), the attempts are spent,
    /// or the policy does not retry that error. The one retry rule of both roles.
    @inlinable
    func retryDelay(after error: any Error, attempt: Int, policy: RetryPolicy) -> Duration? {
        guard !(error is CancellationError), !Task.isCancelled, !(error is EngineError),
            attempt < policy.maximumAttempts, policy.isRetryable((error as? CallTimedOut)?.error ?? error)
        else { return nil }
        return policy.backoff(beforeRetry: attempt, random: Double.random(in: 0..<1))
    }

    /// ``callFailure(_:attempts:role:path:)`` for an assistant, given the asker's path. The two roles' entries are
    /// not inlined and the mapping is inlined into them: their callers' frames hold no path closure of the mapping.
    @inlinable
    @inline(never)
    func assistantFailure(
        _ error: any Error,
        attempts: Int,
        _ question: Question,
        parentPath: () -> [Question]
    ) -> any Error {
        callFailure(error, attempts: attempts, role: .assistant) { parentPath() + [question] }
    }

    /// ``callFailure(_:attempts:role:path:)`` for a supervisor.
    @inlinable
    @inline(never)
    func supervisorFailure(_ error: any Error, attempts: Int, path: () -> [Question]) -> any Error {
        callFailure(error, attempts: attempts, role: .supervisor, path: path)
    }

    /// The error a node fails with when its call failed and is not retried; the one failure mapping of both roles.
    ///
    /// - Parameters:
    ///   - role: The role whose call failed: its error code and the message name it.
    ///   - path: The node's path, for the error; computed only when the error needs it.
    @inlinable
    @inline(__always)
    func callFailure(_ error: any Error, attempts: Int, role: NodeRole, path: () -> [Question]) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if var engineError = error as? EngineError {
            // A subquestion's error keeps its own path; an assistant has no subquestions, so its errors get its.
            if role == .assistant { engineError.path = path() }
            return engineError
        }
        let error = (error as? CallTimedOut)?.error ?? error
        if let engineError = error as? EngineError { return engineError }
        let name = role == .assistant ? "assistant" : "supervisor"
        return EngineError(
            code: role == .assistant ? .assistantFailed : .supervisorFailed,
            message: attempts > 1 ? "the \(name) failed \(attempts) times" : "the \(name) failed",
            path: path(),
            underlyingError: error
        )
    }

    /// Runs a call with a meter open and charges what it reported, whether it answered or threw: a call that
    /// failed may have spent as much as one that answered. The model calls made inside go to the recorder, for
    /// the node's record, when the configuration keeps them.
    @inlinable
    func metered(_ outcome: inout NodeOutcome, _ work: () async throws -> Answer) async throws -> Answer {
        guard metersCost else { return try await work() }
        let meter = CostMeter(keepingModelCalls: keepsModelCalls)
        defer {
            let cost = meter.reportedCost
            ledger.charge(cost)
            outcome.cost += cost
            if keepsModelCalls { keepModelCalls(meter, forRecord: outcome.recordID) }
        }
        return try await meter.measure(work)
    }

    /// Hands a meter's model calls to the recorder, for a node's record; apart, so the call paths' frames hold
    /// none of it.
    @usableFromInline
    @inline(never)
    func keepModelCalls(_ meter: CostMeter, forRecord recordID: Int) {
        recorder?.keep(meter.modelCalls, forRecord: recordID)
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
