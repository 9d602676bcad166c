// The budget ledger's refusals as the errors a node fails with: the ledger decides, the run names the question.
extension Run {
    @inlinable
    @inline(never)
    func reserveNode(_ question: Question, parent: NodeContext<Question>?) throws {
        do {
            try ledger.reserveNode()
        } catch {
            throw exhaustion(error, question, parent)
        }
    }

    @inlinable
    @inline(never)
    func reserveAssistantCall(_ question: Question, parent: NodeContext<Question>?) throws {
        do {
            try ledger.reserveAssistantCall()
        } catch {
            throw exhaustion(error, question, parent)
        }
    }

    @inlinable
    @inline(never)
    func checkCostBeforeSupervisorCall(_ question: Question, parent: NodeContext<Question>?) throws {
        do {
            try ledger.checkCost()
        } catch {
            throw exhaustion(error, question, parent)
        }
    }

    /// The error of a refusal: its code and message, the question's path, and, under the lenient policy, the
    /// node whose supervisor is to answer without the help it was refused.
    @inlinable
    @inline(never)
    func exhaustion(_ refusal: BudgetLedger.Refusal, _ question: Question, _ parent: NodeContext<Question>?)
        -> EngineError
    {
        var error = EngineError(
            code: refusal.code, message: refusal.message, path: NodeContext.path(of: question, below: parent))
        if configuration.exhaustionPolicy == .answerWithoutHelp, let parent {
            error.refusedNode = ObjectIdentifier(parent)
        }
        return error
    }
}
