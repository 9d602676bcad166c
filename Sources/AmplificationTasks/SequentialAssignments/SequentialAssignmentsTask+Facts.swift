extension SequentialAssignmentsTask: FactPresentingTask {
    /// The values a variable can hold, then a blank.
    public static func fixedTokenCount(size: Int) -> Int { valueCount(size: size) + 1 }

    /// A fact is a constant `[x, value, blank]`, an assignment `[x, y, z]` (x = y ∘ z), or an entry of the
    /// operation's table `[a, b, a ∘ b]`.
    public static func factWidth(size: Int) -> Int { 3 }

    /// A question is `[x]`.
    public static func questionWidth(size: Int) -> Int { 1 }

    /// An answer is a value.
    public static func answerWordCount(size: Int) -> Int { valueCount(size: size) }

    /// How many values variables hold in worlds of a size (as `init(size:seed:)` decides).
    static func valueCount(size: Int) -> Int { max(3, integerSquareRoot(size)) }

    /// Every variable's definition and every entry of the table.
    public var facts: [[WorldToken]] {
        let blank = WorldToken.fixed(valueCount)
        var facts: [[WorldToken]] = (0..<size).map { variable in
            switch definitions[variable] {
            case .constant(let value): [.symbol(variable), .fixed(value), blank]
            case .operation(let left, let right): [.symbol(variable), .symbol(left), .symbol(right)]
            }
        }
        for left in 0..<valueCount {
            for right in 0..<valueCount {
                facts.append([.fixed(left), .fixed(right), .fixed(table[left * valueCount + right])])
            }
        }
        return facts
    }

    /// `[x]`.
    public func tokens(of question: Question) -> [WorldToken] { [.symbol(question.variable)] }

    /// `[x]` back to the question, when x is a variable.
    public func question(from tokens: [WorldToken]) -> Question? {
        guard tokens.count == 1, case .symbol(let variable) = tokens[0] else { return nil }
        let question = Question(variable: variable)
        return difficulty(of: question) == nil ? nil : question
    }

    /// A value is a word.
    public func worldAnswer(of value: Int, to question: Question) -> WorldAnswer? {
        (0..<valueCount).contains(value) ? .word(value) : nil
    }

    /// A word is a value.
    public func value(of answer: WorldAnswer, to question: Question) -> Int? {
        if case .word(let value) = answer, (0..<valueCount).contains(value) { return value }
        return nil
    }
}
