extension WildcardSearchTask: FactPresentingTask {
    /// The fixed tokens: 0, 1 and the wildcard (positions of strings and patterns), then +1 and −1 (values).
    public static func fixedTokenCount(size: Int) -> Int { 5 }

    /// A fact is a string with a nonzero value: its bits, position 0 first, then the value's sign.
    public static func factWidth(size: Int) -> Int { bitLength(size) + 1 }

    /// A question is a pattern, position 0 first.
    public static func questionWidth(size: Int) -> Int { bitLength(size) }

    /// A sum lies in `-size...size`: word `sum + size`.
    public static func answerWordCount(size: Int) -> Int { 2 * size + 1 }

    /// Every string with a nonzero value. The world has no symbols to rename: which strings have values, and
    /// which, is the world.
    public var facts: [[WorldToken]] {
        values.indices.compactMap { string -> [WorldToken]? in
            guard values[string] != 0 else { return nil }
            return (0..<length).map { .fixed((string >> $0) & 1) } + [.fixed(values[string] > 0 ? 3 : 4)]
        }
    }

    /// The pattern: 0, 1 or the wildcard at every position.
    public func tokens(of question: Question) -> [WorldToken] {
        question.pattern.map { symbol in
            switch symbol {
            case .zero: .fixed(0)
            case .one: .fixed(1)
            case .wildcard: .fixed(2)
            }
        }
    }

    /// The pattern back to the question, when it has this world's length.
    public func question(from tokens: [WorldToken]) -> Question? {
        guard tokens.count == length else { return nil }
        var pattern: [Symbol] = []
        for token in tokens {
            switch token {
            case .fixed(0): pattern.append(.zero)
            case .fixed(1): pattern.append(.one)
            case .fixed(2): pattern.append(.wildcard)
            default: return nil
            }
        }
        let question = Question(pattern: pattern)
        return difficulty(of: question) == nil ? nil : question
    }

    /// A sum is a word.
    public func worldAnswer(of value: Int, to question: Question) -> WorldAnswer? {
        (-size...size).contains(value) ? .word(value + size) : nil
    }

    /// A word is a sum.
    public func value(of answer: WorldAnswer, to question: Question) -> Int? {
        if case .word(let word) = answer, (0...(2 * size)).contains(word) { return word - size }
        return nil
    }
}
