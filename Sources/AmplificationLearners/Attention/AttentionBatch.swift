import IteratedAmplification

/// A minibatch laid out for the model: every world's facts in one run of rows, without padding.
///
/// Consecutive examples with the same facts share them: a world's facts are laid out, and encoded, once for all
/// of its questions, which is what makes several questions per world cheap. World `w` owns fact rows
/// `factStarts[w]..<factStarts[w + 1]` and examples `exampleStarts[w]..<exampleStarts[w + 1]`; example `i`'s
/// question is row `i` of the questions.
struct AttentionBatch {
    /// The number of examples.
    let count: Int
    /// Where each world's facts start among all facts; one more entry than there are worlds.
    let factStarts: [Int]
    /// Where each world's examples start; one more entry than there are worlds.
    let exampleStarts: [Int]
    /// The world of each example.
    let worldOfExample: [Int]
    /// Every fact's tokens, `factWidth` per fact, worlds in order.
    let factTokens: [Int]
    /// Every question's tokens, `questionWidth` per question.
    let questionTokens: [Int]
    /// What each example should output, or `nil` for a batch that is only evaluated.
    let targets: [FactTarget]?

    /// The number of distinct runs of facts.
    var worldCount: Int { factStarts.count - 1 }
    /// The total number of facts.
    var factRows: Int { factStarts[worldCount] }

    /// The fact rows of an example's world.
    func factRange(ofExample example: Int) -> Range<Int> {
        let world = worldOfExample[example]
        return factStarts[world]..<factStarts[world + 1]
    }

    /// Lays out contexts (already validated) and, for training, their targets.
    init(contexts: some Collection<FactContext>, targets: [FactTarget]?) {
        var factStarts = [0]
        var exampleStarts = [0]
        var worldOfExample: [Int] = []
        var factTokens: [Int] = []
        var questionTokens: [Int] = []
        worldOfExample.reserveCapacity(contexts.count)
        var previousFacts: [[Int]]?
        for (index, context) in contexts.enumerated() {
            if context.facts != previousFacts {
                if index > 0 { exampleStarts.append(index) }
                for fact in context.facts { factTokens.append(contentsOf: fact) }
                factStarts.append(factStarts[factStarts.count - 1] + context.facts.count)
                previousFacts = context.facts
            }
            worldOfExample.append(factStarts.count - 2)
            questionTokens.append(contentsOf: context.question)
        }
        exampleStarts.append(contexts.count)
        if contexts.isEmpty { exampleStarts = [0] }
        self.count = contexts.count
        self.factStarts = factStarts
        self.exampleStarts = exampleStarts
        self.worldOfExample = worldOfExample
        self.factTokens = factTokens
        self.questionTokens = questionTokens
        self.targets = targets
    }

    /// Lays out training examples (already validated) with their targets.
    init(examples: [FactExample]) {
        self.init(contexts: examples.map(\.context), targets: examples.map(\.target))
    }
}
