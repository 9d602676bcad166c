extension UnionFindTask: FactPresentingTask {
    /// The three kinds of question, then one number token per possible label.
    public static func fixedTokenCount(size: Int) -> Int { Question.Kind.allCases.count + size }

    /// A fact is an edge `[u, v]` or a root's label `[root, label]`.
    public static func factWidth(size: Int) -> Int { 2 }

    /// A question is `[kind, vertex]`.
    public static func questionWidth(size: Int) -> Int { 2 }

    /// Labels and distances are numbers below the size.
    public static func answerWordCount(size: Int) -> Int { size }

    /// Every edge once, `[u, v]` with the lower symbol first (symbols are numbered at random in every world,
    /// so the order says nothing about which end is the parent), and every root's label.
    public var facts: [[WorldToken]] {
        var facts: [[WorldToken]] = []
        for vertex in 0..<size {
            for neighbour in neighbours[vertex] where vertex < neighbour {
                facts.append([.symbol(vertex), .symbol(neighbour)])
            }
            if let label = labels[vertex] {
                facts.append([.symbol(vertex), .fixed(Question.Kind.allCases.count + label)])
            }
        }
        return facts
    }

    /// `[kind, vertex]`.
    public func tokens(of question: Question) -> [WorldToken] {
        [.fixed(Question.Kind.allCases.firstIndex(of: question.kind) ?? 0), .symbol(question.vertex)]
    }

    /// `[kind, vertex]` back to the question, when the vertex is one of this graph's.
    public func question(from tokens: [WorldToken]) -> Question? {
        guard tokens.count == 2, case .fixed(let kind) = tokens[0], Question.Kind.allCases.indices.contains(kind),
            case .symbol(let vertex) = tokens[1]
        else { return nil }
        let question = Question(Question.Kind.allCases[kind], vertex: vertex)
        return difficulty(of: question) == nil ? nil : question
    }

    /// A parent is a symbol; a label or a distance is a word.
    public func worldAnswer(of value: Int, to question: Question) -> WorldAnswer? {
        guard (0..<size).contains(value) else { return nil }
        return question.kind == .parent ? .symbol(value) : .word(value)
    }

    /// A symbol answers a parent question; a word answers a label or distance question.
    public func value(of answer: WorldAnswer, to question: Question) -> Int? {
        switch (answer, question.kind) {
        case (.symbol(let vertex), .parent) where (0..<size).contains(vertex): vertex
        case (.word(let number), .label), (.word(let number), .distance): (0..<size).contains(number) ? number : nil
        default: nil
        }
    }
}
