// A supervisor's consultation, as the run answers it: one subquestion, many in parallel, the assistant.
extension Run {
    @inlinable
    func ask(_ question: Question, from consultation: Consultation<Question, Answer>) async throws -> Answer {
        try checkConsultation(consultation)
        let node = consultation.askingNode()
        let ordinal = node.reserveOrdinals(1)
        // Without a supervisor cap there is no slot to release: skip the wrapper's frame and closure.
        guard supervisorLimiter != nil else {
            return try await solve(question, parent: node, ordinal: ordinal, role: nil)
        }
        return try await withSlotReleased(node) {
            try await solve(question, parent: node, ordinal: ordinal, role: nil)
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
                    guard Steps.includesOptionalSteps else {
                        // Nothing is recorded, so the check may follow the node.
                        let answer = try await solve(question, parent: node, ordinal: ordinal, role: nil)
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

    /// Inlined into the consultation's closure: on the fast path the assistant's node runs there, in the first frame
    /// of the leaf's way to the assistant.
    @inlinable
    @inline(__always)
    func askAssistant(_ question: Question, from consultation: Consultation<Question, Answer>) async throws -> Answer {
        guard Steps.includesOptionalSteps else {
            return try await askAssistantFromDeferredNode(question, from: consultation)
        }
        let node = consultation.askingNode()
        let ordinal = try reserveAssistantAsk(question, from: node)
        // Without a supervisor cap there is no slot to release: skip the wrapper's frame and closure.
        guard supervisorLimiter != nil else {
            return try await solveInFirstFrame(question, parent: node, ordinal: ordinal, role: .assistant)
        }
        return try await askAssistantReleasingSlot(question, from: node, ordinal: ordinal)
    }

    /// Hands a question to the assistant from a node that was not made (the fast path's leaves), and makes none.
    ///
    /// The assistant's node goes through the pipeline with no parent: on the fast path an assistant node reads its
    /// parent only for an error's path (nothing is recorded, memoized or budgeted, and only supervisor nodes are
    /// checked for cycles), so the asker's path is put before the error's here. Making the node instead costs an
    /// allocation per leaf, 8 to 12 % of the wall time of a 10,000-leaf tree under latency (see *Engine
    /// performance*).
    @inlinable
    @inline(__always)
    func askAssistantFromDeferredNode(
        _ question: Question,
        from consultation: Consultation<Question, Answer>
    ) async throws -> Answer {
        guard assistant != nil else { throw noAssistant(question, below: consultation.path) }
        do {
            return try await solveInFirstFrame(question, parent: nil, ordinal: 0, role: .assistant)
        } catch let error as EngineError {
            throw withAskerPath(error, consultation)
        }
    }

    /// An error of the assistant's node asked by a node that was not made, with the asker's path before its own.
    @inlinable
    @inline(never)
    func withAskerPath(_ error: EngineError, _ consultation: Consultation<Question, Answer>) -> EngineError {
        var error = error
        error.path = consultation.path.map { $0 as any Sendable } + error.path
        return error
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
            try await solve(question, parent: node, ordinal: ordinal, role: .assistant)
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
}
