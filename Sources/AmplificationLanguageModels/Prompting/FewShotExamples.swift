/// A question with the answer a model should learn to give: one worked example in a prompt.
public struct WorkedExample: Hashable, Codable, Sendable {
    /// The question.
    public var question: String
    /// The answer.
    public var answer: String

    /// Creates a worked example.
    public init(question: String, answer: String) {
        self.question = question
        self.answer = answer
    }
}

/// A pool of worked examples, and the rule that picks the ones a prompt shows for a question.
///
/// For each question the selection ranks the pool by similarity to the question (the cosine of their word
/// counts, see ``similarity(_:_:)``), then takes examples from the most similar down while they fit in
/// ``tokenBudget`` and ``maximumCount``; an example too large for what is left is skipped. Ties keep pool
/// order. The prompt lists the chosen examples from the least to the most similar, so the closest one sits
/// next to the question.
///
/// Token counts are estimates (``estimatedTokens(_:)``: one token per four characters, rounded up, plus
/// four per message), which is close for English with the tokenizers of current models and needs no
/// tokenizer.
public struct FewShotExamples: Hashable, Sendable {
    /// The examples to choose from.
    public var pool: [WorkedExample]
    /// The most estimated tokens the chosen examples may take, questions and answers together.
    public var tokenBudget: Int
    /// The most examples a prompt shows.
    public var maximumCount: Int

    /// No examples.
    public static let none = FewShotExamples(pool: [])

    /// Creates a pool.
    ///
    /// - Parameters:
    ///   - pool: The examples to choose from.
    ///   - tokenBudget: The most estimated tokens the chosen examples may take.
    ///   - maximumCount: The most examples per prompt.
    public init(pool: [WorkedExample], tokenBudget: Int = 1_024, maximumCount: Int = 8) {
        self.pool = pool
        self.tokenBudget = tokenBudget
        self.maximumCount = maximumCount
    }

    /// Returns the examples to show for a question, the most similar last.
    ///
    /// - Parameter question: The question the prompt will ask.
    public func select(for question: String) -> [WorkedExample] {
        guard !pool.isEmpty, maximumCount > 0, tokenBudget > 0 else { return [] }
        let target = Self.wordCounts(question)
        let ranked = pool.enumerated()
            .map {
                (
                    index: $0.offset, example: $0.element,
                    score: Self.similarity(target, Self.wordCounts($0.element.question))
                )
            }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        var chosen: [WorkedExample] = []
        var remaining = tokenBudget
        for candidate in ranked {
            guard chosen.count < maximumCount else { break }
            let cost = Self.estimatedTokens(candidate.example.question) + Self.estimatedTokens(candidate.example.answer)
            guard cost <= remaining else { continue }
            remaining -= cost
            chosen.append(candidate.example)
        }
        return chosen.reversed()
    }

    /// Returns the estimated tokens of one message: a token per four characters, rounded up, plus four.
    public static func estimatedTokens(_ text: String) -> Int {
        (text.utf8.count + 3) / 4 + 4
    }

    /// Returns the similarity of two texts, from 0 (no word in common) to 1 (the same words as often).
    ///
    /// Words are runs of letters and digits, compared without case; every other visible character (`+`, `?`)
    /// counts as a word of its own, so `3 + 4` and `3 * 4` differ.
    public static func similarity(_ first: String, _ second: String) -> Double {
        similarity(wordCounts(first), wordCounts(second))
    }

    static func similarity(_ first: [String: Int], _ second: [String: Int]) -> Double {
        guard !first.isEmpty, !second.isEmpty else { return 0 }
        var dot = 0.0
        for (word, count) in first { dot += Double(count * (second[word] ?? 0)) }
        let norm = { (counts: [String: Int]) in counts.values.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot() }
        return min(1, dot / (norm(first) * norm(second)))
    }

    static func wordCounts(_ text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var word = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
                continue
            }
            if !word.isEmpty {
                counts[word, default: 0] += 1
                word = ""
            }
            if !character.isWhitespace { counts[String(character), default: 0] += 1 }
        }
        if !word.isEmpty { counts[word, default: 0] += 1 }
        return counts
    }
}
