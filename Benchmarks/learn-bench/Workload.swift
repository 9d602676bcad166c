import AmplificationLearners
import IteratedAmplification

/// The training workload, the same as the PyTorch twin's (`Benchmarks/peers/learn_peers.py`): at world size n,
/// every example has n facts of 2 tokens and a question of 2 tokens, over a vocabulary of 4n tokens with 8
/// answer words, and its target is a pointer at a random position. The default model reads it.
enum Workload {
    static let factWidth = 2
    static let questionWidth = 2
    static let answerWords = 8

    static func shape(worldSize: Int) throws -> FactShape {
        try FactShape(
            tokenCount: 4 * worldSize, factWidth: factWidth, questionWidth: questionWidth,
            answerWordCount: answerWords
        )
    }

    /// `batches` batches of random examples, drawn before timing starts.
    static func batches(worldSize: Int, batchSize: Int, count: Int, seed: UInt64) -> [[FactExample]] {
        var generator = SeededRandomNumberGenerator(seed: seed)
        let tokens = 4 * worldSize
        return (0..<count).map { _ in
            (0..<batchSize).map { _ in
                let facts = (0..<worldSize).map { _ in
                    (0..<factWidth).map { _ in generator.nextInt(below: tokens) }
                }
                let question = (0..<questionWidth).map { _ in generator.nextInt(below: tokens) }
                let target = FactTarget.pointer(
                    fact: generator.nextInt(below: worldSize), slot: generator.nextInt(below: factWidth)
                )
                return FactExample(context: FactContext(facts: facts, question: question), target: target)
            }
        }
    }
}
