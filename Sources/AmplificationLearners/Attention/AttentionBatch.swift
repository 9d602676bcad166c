import IteratedAmplification

/// A minibatch laid out for the model: every example's facts in one run of rows, without padding.
///
/// Example `i` owns fact rows `factStarts[i]..<factStarts[i + 1]`; its question is row `i` of the questions.
struct AttentionBatch {
    /// The number of examples.
    let count: Int
    /// Where each example's facts start among all facts; `count + 1` entries.
    let factStarts: [Int]
    /// Every fact's tokens, `factWidth` per fact, examples in order.
    let factTokens: [Int]
    /// Every question's tokens, `questionWidth` per question.
    let questionTokens: [Int]
    /// What each example should output, or `nil` for a batch that is only evaluated.
    let targets: [FactTarget]?

    /// The total number of facts.
    var factRows: Int { factStarts[count] }

    /// Lays out contexts (already validated) and, for training, their targets.
    init(contexts: some Collection<FactContext>, targets: [FactTarget]?) {
        var factStarts = [0]
        var factTokens: [Int] = []
        var questionTokens: [Int] = []
        factStarts.reserveCapacity(contexts.count + 1)
        for context in contexts {
            for fact in context.facts { factTokens.append(contentsOf: fact) }
            factStarts.append(factStarts[factStarts.count - 1] + context.facts.count)
            questionTokens.append(contentsOf: context.question)
        }
        self.count = contexts.count
        self.factStarts = factStarts
        self.factTokens = factTokens
        self.questionTokens = questionTokens
        self.targets = targets
    }

    /// Lays out training examples (already validated) with their targets.
    init(examples: [FactExample]) {
        self.init(contexts: examples.map(\.context), targets: examples.map(\.target))
    }
}
