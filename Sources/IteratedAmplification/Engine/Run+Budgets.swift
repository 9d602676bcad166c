public import Synchronization

// The budget ledger: every reserve, charge and exhaustion decision of a run.
extension Run {
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
}
