import IteratedAmplification

@testable import AmplificationLearners

/// A question about a small world of facts `(symbol, successor)`: what is the successor of the successor …
/// (`hops` times) of a symbol? Every world draws its symbols' names afresh from the vocabulary, so nothing but
/// the rule carries over from one world to the next.
struct LookupQuestion: Hashable, Sendable {
    /// The world's facts, `[symbol, successor]`, in a random order.
    var facts: [[Int]]
    /// The symbol asked about.
    var symbol: Int
}

/// Draws lookup worlds and questions, and answers them exactly.
struct LookupWorlds {
    /// The number of distinct tokens names are drawn from.
    var tokenCount = 24
    /// Facts (symbols) per world.
    var symbols = 6
    /// How many times the successor is followed.
    var hops = 1

    /// Draws a world and a question about it.
    func question(using generator: inout SeededRandomNumberGenerator) -> LookupQuestion {
        var names = Array(0..<tokenCount)
        generator.shuffle(&names)
        let symbolNames = Array(names.prefix(symbols))
        var facts = symbolNames.map { [$0, symbolNames[generator.nextInt(below: symbols)]] }
        generator.shuffle(&facts)
        return LookupQuestion(facts: facts, symbol: symbolNames[generator.nextInt(below: symbols)])
    }

    /// The exact answer.
    func answer(to question: LookupQuestion) -> Int {
        var symbol = question.symbol
        for _ in 0..<hops {
            symbol = question.facts.first { $0[0] == symbol }![1]
        }
        return symbol
    }

    /// Draws `count` questions with their exact answers as demonstrations.
    func demonstrations(count: Int, seed: UInt64) -> [Demonstration<LookupQuestion, Int?>] {
        var generator = SeededRandomNumberGenerator(seed: seed)
        return (0..<count).map { _ in
            let question = question(using: &generator)
            return Demonstration(question: question, answer: answer(to: question))
        }
    }

    /// The accuracy of answering with a symbol of another world picked at random: the true answer is among that
    /// world's symbols with probability `symbols / tokenCount`, and then picked with probability `1 / symbols`.
    var chance: Double { 1 / Double(tokenCount) }

    var encoding: LookupEncoding { LookupEncoding(tokenCount: tokenCount) }
}

/// Presents a lookup question as its facts and one question token; the answer is a pointer to a successor.
struct LookupEncoding: FactEncoding {
    var tokenCount: Int
    var factWidth: Int { 2 }
    var questionWidth: Int { 1 }
    var answerWordCount: Int { 0 }

    func context(of question: LookupQuestion) -> FactContext {
        FactContext(facts: question.facts, question: [question.symbol])
    }

    func target(of answer: Int?, to question: LookupQuestion, in context: FactContext) -> FactTarget? {
        guard let answer else { return .unknown }
        return context.facts.firstIndex { $0[1] == answer }.map { .pointer(fact: $0, slot: 1) }
    }

    func answer(of target: FactTarget, to question: LookupQuestion, in context: FactContext) -> Int? {
        guard case .pointer(let fact, let slot) = target else { return nil }
        return context.facts[fact][slot]
    }
}
