extension ShortestPathTask: FactPresentingTask {
    /// The two kinds of question.
    public static func fixedTokenCount(size: Int) -> Int { Question.Kind.allCases.count }

    /// A fact is an edge `[u, v]`, from u to v.
    public static func factWidth(size: Int) -> Int { 2 }

    /// A question is `[kind, from, to]`.
    public static func questionWidth(size: Int) -> Int { 3 }

    /// Distances are numbers below the size.
    public static func answerWordCount(size: Int) -> Int { size }

    /// `true`: of two out-neighbours on shortest paths, the next vertex is the lower-numbered one, so a fresh
    /// world's names follow the vertices' order (as 2018's next vertex is the lowest name in letter order).
    public static var answersDependOnSymbolOrder: Bool { true }

    /// Every edge, `[u, v]`.
    public var facts: [[WorldToken]] {
        (0..<size).flatMap { vertex in successors[vertex].map { [.symbol(vertex), .symbol($0)] } }
    }

    /// `[kind, from, to]`.
    public func tokens(of question: Question) -> [WorldToken] {
        [
            .fixed(Question.Kind.allCases.firstIndex(of: question.kind) ?? 0), .symbol(question.from),
            .symbol(question.to),
        ]
    }

    /// `[kind, from, to]` back to the question, when it is one about this graph.
    public func question(from tokens: [WorldToken]) -> Question? {
        guard tokens.count == 3, case .fixed(let kind) = tokens[0], Question.Kind.allCases.indices.contains(kind),
            case .symbol(let from) = tokens[1], case .symbol(let to) = tokens[2]
        else { return nil }
        let question = Question(Question.Kind.allCases[kind], from: from, to: to)
        return difficulty(of: question) == nil ? nil : question
    }

    /// A next vertex is a symbol; a distance is a word.
    public func worldAnswer(of value: Int, to question: Question) -> WorldAnswer? {
        guard (0..<size).contains(value) else { return nil }
        return question.kind == .nextVertex ? .symbol(value) : .word(value)
    }

    /// A symbol answers a next-vertex question; a word answers a distance question.
    public func value(of answer: WorldAnswer, to question: Question) -> Int? {
        switch (answer, question.kind) {
        case (.symbol(let vertex), .nextVertex) where (0..<size).contains(vertex): vertex
        case (.word(let distance), .distance) where (0..<size).contains(distance): distance
        default: nil
        }
    }
}
