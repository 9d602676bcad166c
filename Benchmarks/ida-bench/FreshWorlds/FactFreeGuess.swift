import AmplificationTasks
import IteratedAmplification

// The chance level of the question-only control: the best that answering from the question alone can score. A
// learner without the facts cannot name a symbol that is not in the question (names change from world to world),
// but it can give a word, "unknown", or one of the question's own symbols, and which is most often right depends
// on the kind of question: σᵏ(x) is x whenever the cycle through x has a length dividing k, a union find question
// about one element is often answered by that element. A single most common answer misses all of that.

/// The answer to a question as a learner without the facts could give it.
private enum FactFreeAnswer: Hashable {
    case word(Int)
    case unknown
    /// The question's n-th distinct symbol.
    case questionSymbol(Int)
    /// A symbol that is not in the question: it cannot be named without the facts.
    case unnameable
}

/// A question with its names taken out: its fixed tokens, and for a symbol, which of the question's distinct
/// symbols it is. Questions of one shape look alike to a learner without the facts.
private func shape(of tokens: [WorldToken]) -> [Int] {
    var symbols: [Int] = []
    return tokens.map { token in
        switch token {
        case .fixed(let fixed): return fixed
        case .symbol(let symbol):
            if let index = symbols.firstIndex(of: symbol) { return -1 - index }
            symbols.append(symbol)
            return -symbols.count
        }
    }
}

private func factFreeAnswer<Task: FactPresentingTask>(to question: Task.Question, in world: Task) -> FactFreeAnswer {
    guard let value = world.correctAnswer(to: question).value else { return .unknown }
    switch world.worldAnswer(of: value, to: question) {
    case .word(let word): return .word(word)
    case .symbol(let symbol):
        var symbols: [Int] = []
        for case .symbol(let own) in world.tokens(of: question) where !symbols.contains(own) { symbols.append(own) }
        return symbols.firstIndex(of: symbol).map(FactFreeAnswer.questionSymbol) ?? .unnameable
    case nil: return .unnameable
    }
}

/// What the best guess from the question alone scores on the held-out questions: for each shape of question, the
/// most common fact-free answer among `sampleQuestions` questions of fresh worlds (a stream of the seed of their
/// own, no held-out world among them), drawn as the held-out questions are.
func factFreeGuess<Task: FactPresentingTask>(
    _ type: Task.Type,
    settings: FreshWorldSettings,
    heldOut: [HeldOutQuestion<Task.Question>],
    sampleQuestions: Int = 20_000
) throws -> Double {
    var generator = SeededRandomNumberGenerator(seed: settings.seed, stream: 5)
    let heldOutWorlds = Set(heldOut.map(\.question.worldSeed))
    var counts: [[Int]: [FactFreeAnswer: Int]] = [:]
    var sampled = 0
    while sampled < sampleQuestions {
        let worldSeed = generator.next()
        guard !heldOutWorlds.contains(worldSeed) else { continue }
        let world = try Task(size: settings.size, seed: worldSeed)
        for _ in 0..<settings.questionsPerWorld {
            let question = try world.sampleQuestion(difficultyIn: world.difficulties, using: &generator)
            counts[shape(of: world.tokens(of: question)), default: [:]][
                factFreeAnswer(to: question, in: world), default: 0] += 1
            sampled += 1
        }
    }
    func best(_ answers: [FactFreeAnswer: Int]) -> FactFreeAnswer? {
        answers.filter { $0.key != .unnameable }.max { ($0.value, "\($0.key)") < ($1.value, "\($1.key)") }?.key
    }
    var overall: [FactFreeAnswer: Int] = [:]
    for answers in counts.values { overall.merge(answers, uniquingKeysWith: +) }
    let fallback = best(overall)
    var right = 0
    for item in heldOut {
        let world = try Task(size: settings.size, seed: item.question.worldSeed)
        let question = item.question.question
        let guess = counts[shape(of: world.tokens(of: question))].flatMap(best) ?? fallback
        if let guess, guess == factFreeAnswer(to: question, in: world) { right += 1 }
    }
    return Double(right) / Double(max(heldOut.count, 1))
}
