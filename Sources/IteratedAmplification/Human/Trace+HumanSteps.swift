extension Trace where Question == String, Answer == String {
    /// The decisions of H at every supervisor node of a run, as a person's session records them: for a node that
    /// asked subquestions q1 … qn and answered a, the workspace with no answers yet and the response `ask q1`, then
    /// the workspace with q1's answer and `ask q2`, …, then the workspace with all n answers and `answer a`.
    ///
    /// Training data for a model that learns to act as H, from any run with text questions: a language model's
    /// (see `FineTuningData`), or a person's. The trace keeps the order in which subquestions were asked, not
    /// which were asked together, so each becomes a step of its own. Only supervisor nodes that computed an answer
    /// contribute (not assistants, failed nodes or memoized duplicates); a subquestion that failed appears as a
    /// failed outcome with its error.
    public var humanSteps: [HumanStep] {
        var steps: [HumanStep] = []
        for node in nodes where node.role == .supervisor && node.cache != .memoized {
            guard let answer = node.answer else { continue }
            var workspace = HumanWorkspace(question: node.question, canAsk: node.remainingDepth != .levels(0))
            for child in children(of: node) {
                steps.append(HumanStep(workspace: workspace, response: .ask([child.question])))
                let outcome: HumanWorkspace.Outcome =
                    child.answer.map { .answered($0) } ?? .failed(child.error ?? "no answer")
                workspace.exchanges.append(.init(question: child.question, outcome: outcome))
            }
            steps.append(HumanStep(workspace: workspace, response: .answer(answer)))
        }
        return steps
    }
}
