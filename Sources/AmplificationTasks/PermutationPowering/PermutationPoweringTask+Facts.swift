extension PermutationPoweringTask: FactPresentingTask {
    /// Two fixed tokens: the bits 0 and 1 of the exponent.
    public static func fixedTokenCount(size: Int) -> Int { 2 }

    /// A fact is `[x, σ(x)]`.
    public static func factWidth(size: Int) -> Int { 2 }

    /// A question is the element, then the exponent's bits, most significant first, as many as the world's
    /// largest exponent has.
    public static func questionWidth(size: Int) -> Int { 1 + bitLength(size - 1) }

    /// Every answer is an element, a symbol.
    public static func answerWordCount(size: Int) -> Int { 0 }

    /// One fact per element: `[x, σ(x)]`.
    public var facts: [[WorldToken]] { (0..<size).map { [.symbol($0), .symbol(permutation[$0])] } }

    /// `[x, bits of k]`.
    public func tokens(of question: Question) -> [WorldToken] {
        [.symbol(question.element)]
            + (0..<exponentBits).reversed().map { .fixed((question.exponent >> $0) & 1) }
    }

    /// `[x, bits of k]` back to the question, when x is an element and k a valid exponent.
    public func question(from tokens: [WorldToken]) -> Question? {
        guard tokens.count == 1 + exponentBits, case .symbol(let element) = tokens[0] else { return nil }
        var exponent = 0
        for token in tokens.dropFirst() {
            guard case .fixed(let bit) = token, bit == 0 || bit == 1 else { return nil }
            exponent = exponent << 1 | bit
        }
        let question = Question(element: element, exponent: exponent)
        return difficulty(of: question) == nil ? nil : question
    }

    /// An element is a symbol.
    public func worldAnswer(of value: Int, to question: Question) -> WorldAnswer? {
        (0..<size).contains(value) ? .symbol(value) : nil
    }

    /// A symbol is an element; there are no words.
    public func value(of answer: WorldAnswer, to question: Question) -> Int? {
        if case .symbol(let element) = answer, (0..<size).contains(element) { return element }
        return nil
    }
}
