public import IteratedAmplification

/// Presents questions about fresh worlds of a ``FactPresentingTask`` to a learner that reads the facts.
///
/// Every world names its symbols afresh: the names are drawn, without repetition, from a pool of ``namePool``
/// tokens by a generator seeded with the world's seed, and the world's facts are shuffled by another stream of
/// the same seed. So the same world always looks the same, and nothing about a symbol's name carries over from
/// one world to the next: a learner can only answer by reading the facts. Tokens are the task's fixed tokens
/// first, then the names.
///
/// An answer that is a symbol becomes a pointer to a position of the facts holding its name; an answer that is a
/// word stays a word. A symbol that appears in no fact cannot be pointed at, and its demonstration is left out.
public struct FreshWorldEncoding<Task: FactPresentingTask>: FactEncoding {
    /// The question type: a question with its world.
    public typealias Question = WorldQuestion<Task.Question>
    /// The answer type of the task.
    public typealias Answer = TaskAnswer

    /// The size of every world this encoding presents.
    public let size: Int
    /// How many names the symbols of a world are drawn from.
    public let namePool: Int

    /// The generator streams of a world's seed that name its symbols and order its facts (the task itself uses
    /// the seed's first stream to build the world).
    static var namingStream: UInt64 { 0x6e61_6d65 }
    static var factOrderStream: UInt64 { 0x6f72_6465 }

    /// Creates an encoding for worlds of a size.
    ///
    /// - Parameters:
    ///   - size: The size of every world.
    ///   - namePool: How many names the symbols are drawn from; at least `size`. 64 by default, as in the 2018
    ///     code, where names are two letters of eight.
    /// - Throws: `TaskError` with code `sizeOutOfRange` or `invalidArgument`.
    public init(size: Int, namePool: Int = 64) throws {
        try Task.validate(size: size)
        guard namePool >= size else {
            throw TaskError(
                code: .invalidArgument,
                task: Task.name,
                message: "a pool of \(namePool) names cannot name the \(size) symbols of a world"
            )
        }
        self.size = size
        self.namePool = namePool
    }

    /// The fixed tokens, then the names.
    public var tokenCount: Int { Task.fixedTokenCount(size: size) + namePool }
    /// The task's fact width at this size.
    public var factWidth: Int { Task.factWidth(size: size) }
    /// The task's question width at this size.
    public var questionWidth: Int { Task.questionWidth(size: size) }
    /// The task's answer words at this size.
    public var answerWordCount: Int { Task.answerWordCount(size: size) }

    /// Rebuilds a question's world.
    ///
    /// - Throws: `TaskError` when the question's world has another size, or the task cannot build it.
    public func world(of question: Question) throws -> Task {
        guard question.size == size else {
            throw TaskError(
                code: .sizeOutOfRange,
                task: Task.name,
                message: "the question's world has size \(question.size); this encoding presents size \(size)"
            )
        }
        return try Task(size: size, seed: question.worldSeed)
    }

    /// The name token of each of a world's symbols: `size` names drawn at random from the pool, in a random
    /// order, or in the symbols' order when the task's answers depend on it
    /// (``FactPresentingTask/answersDependOnSymbolOrder``).
    public func names(worldSeed: UInt64) -> [Int] {
        var generator = SeededRandomNumberGenerator(seed: worldSeed, stream: Self.namingStream)
        var pool = Array(0..<namePool)
        generator.shuffle(&pool)
        let first = Task.fixedTokenCount(size: size)
        let drawn = pool.prefix(size).map { first + $0 }
        return Task.answersDependOnSymbolOrder ? drawn.sorted() : drawn
    }

    /// Returns the question's facts, named and shuffled, and its tokens.
    ///
    /// - Throws: `TaskError` when the world cannot be built or the question is not valid in it.
    public func context(of question: Question) throws -> FactContext {
        let world = try world(of: question)
        guard world.difficulty(of: question.question) != nil else {
            throw TaskError(
                code: .invalidArgument,
                task: Task.name,
                message: "\(question.question) is not a question about world \(question.worldSeed) of size \(size)"
            )
        }
        let names = names(worldSeed: question.worldSeed)
        return FactContext(
            facts: namedFacts(of: world, names: names, worldSeed: question.worldSeed),
            question: world.tokens(of: question.question).map { Self.token($0, names: names) }
        )
    }

    /// A world's facts, its symbols named and the facts shuffled, as every question about it presents them.
    func namedFacts(of world: Task, names: [Int], worldSeed: UInt64) -> [[Int]] {
        var facts = world.facts.map { $0.map { Self.token($0, names: names) } }
        var generator = SeededRandomNumberGenerator(seed: worldSeed, stream: Self.factOrderStream)
        generator.shuffle(&facts)
        return facts
    }

    /// A token as a world with these names presents it.
    static func token(_ token: WorldToken, names: [Int]) -> Int {
        switch token {
        case .symbol(let symbol): names[symbol]
        case .fixed(let fixed): fixed
        }
    }

    /// Returns the output that stands for an answer: "unknown", a word, or a pointer to the first position of the
    /// facts that holds the answer's name; `nil` when the answer's symbol is in no fact or its world cannot be
    /// built.
    public func target(of answer: TaskAnswer, to question: Question, in context: FactContext) -> FactTarget? {
        guard let value = answer.value else { return .unknown }
        guard let world = try? world(of: question),
            let worldAnswer = world.worldAnswer(of: value, to: question.question)
        else {
            return nil
        }
        switch worldAnswer {
        case .word(let word):
            return (0..<answerWordCount).contains(word) ? .word(word) : nil
        case .symbol(let symbol):
            guard (0..<size).contains(symbol) else { return nil }
            let name = names(worldSeed: question.worldSeed)[symbol]
            for (factIndex, fact) in context.facts.enumerated() {
                if let slot = fact.firstIndex(of: name) { return .pointer(fact: factIndex, slot: slot) }
            }
            return nil
        }
    }

    /// Returns the answer an output stands for; "unknown" for an output that stands for no value (a pointer at a
    /// fixed token, or outside the facts).
    public func answer(of target: FactTarget, to question: Question, in context: FactContext) -> TaskAnswer {
        guard let world = try? world(of: question) else { return .unknown }
        switch target {
        case .unknown:
            return .unknown
        case .word(let word):
            return world.value(of: .word(word), to: question.question).map(TaskAnswer.value) ?? .unknown
        case .pointer(let fact, let slot):
            guard context.facts.indices.contains(fact), context.facts[fact].indices.contains(slot),
                let symbol = names(worldSeed: question.worldSeed).firstIndex(of: context.facts[fact][slot])
            else { return .unknown }
            return world.value(of: .symbol(symbol), to: question.question).map(TaskAnswer.value) ?? .unknown
        }
    }
}

extension FactContext {
    /// A fingerprint of the facts that does not depend on their order (64-bit FNV-1a of the sorted facts): two
    /// worlds that present the same facts have the same fingerprint, so training and evaluation worlds can be
    /// checked for overlap.
    public var factsFingerprint: UInt64 {
        var hash = FNV1aHash()
        for fact in facts.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            for token in fact + [-1] { hash.combine(Int64(token)) }
        }
        return hash.value
    }
}
