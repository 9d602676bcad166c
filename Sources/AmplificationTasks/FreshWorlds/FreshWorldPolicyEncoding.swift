public import IteratedAmplification

/// Presents the expert H's decisions about one fresh world to a learner that imitates H: the encoding of a learned
/// model of H (the 2018 experiments' "human model") for a ``FactPresentingTask``.
///
/// The learner reads the world's facts as ``FreshWorldEncoding`` presents them (names drawn per world, facts
/// shuffled) and a tuple laid out as
///
///     question | subquestion 1, answer 1 | … | subquestion m, answer m | action so far
///
/// where m is ``maximumExchanges``, unused places hold a blank token, and "action so far" holds the tokens of the
/// current action already emitted. It emits an action one token at a time: `ask` then the subquestion's tokens
/// (each a fixed token as a word, or a symbol as a pointer into the facts), or `answer` then the answer (a word, a
/// pointer, or "unknown"). So the learner can only name symbols that appear in the facts, as the answer learner
/// can only answer with them.
///
/// One encoding presents one world: H's questions carry no world, so each world has its encoding.
public struct FreshWorldPolicyEncoding<Task: FactPresentingTask>: SupervisorPolicyEncoding {
    /// The question type: the task's question, about this encoding's world.
    public typealias Question = Task.Question
    /// The answer type of the task.
    public typealias Answer = TaskAnswer

    /// The world.
    public let world: Task
    /// The world's seed, which names its symbols and orders its facts.
    public let worldSeed: UInt64
    /// The most subquestions a state holds.
    public let maximumExchanges: Int
    /// The encoding of answers that this one extends.
    public let base: FreshWorldEncoding<Task>

    let names: [Int]
    let facts: [[Int]]

    /// Creates the encoding of one world's states.
    ///
    /// - Parameters:
    ///   - base: The encoding of the world's questions, whose names and facts this one presents.
    ///   - worldSeed: The world's seed.
    ///   - maximumExchanges: The most subquestions a state may hold (2 for permutation powering, sequential
    ///     assignments and wildcard search, whose H asks two).
    /// - Throws: `TaskError` when the world cannot be built or `maximumExchanges` is negative.
    public init(base: FreshWorldEncoding<Task>, worldSeed: UInt64, maximumExchanges: Int) throws {
        guard maximumExchanges >= 0 else {
            throw TaskError(
                code: .invalidArgument, task: Task.name,
                message: "a state holds at least 0 subquestions, not \(maximumExchanges)")
        }
        let world = try Task(size: base.size, seed: worldSeed)
        self.world = world
        self.worldSeed = worldSeed
        self.maximumExchanges = maximumExchanges
        self.base = base
        names = base.names(worldSeed: worldSeed)
        facts = base.namedFacts(of: world, names: names, worldSeed: worldSeed)
    }

    // Tokens: the base encoding's (fixed tokens, then names), then the answer words, then four of this encoding.
    var answerWordToken: Int { base.tokenCount }
    var unknownToken: Int { base.tokenCount + base.answerWordCount }
    var blankToken: Int { unknownToken + 1 }
    var askToken: Int { unknownToken + 2 }
    var answerToken: Int { unknownToken + 3 }
    var fixedTokenCount: Int { Task.fixedTokenCount(size: base.size) }

    // Output words: `ask`, `answer`, then the fixed tokens, then the answer words.
    static var askWord: Int { 0 }
    static var answerWord: Int { 1 }
    var firstFixedWord: Int { 2 }
    var firstAnswerWord: Int { 2 + fixedTokenCount }

    /// The base encoding's tokens, the answer words, "unknown", a blank, `ask` and `answer`.
    public var tokenCount: Int { base.tokenCount + base.answerWordCount + 4 }
    /// The task's fact width.
    public var factWidth: Int { base.factWidth }
    /// The question, ``maximumExchanges`` subquestions with their answers, and the longest action.
    public var contextWidth: Int {
        base.questionWidth * (maximumExchanges + 1) + maximumExchanges + maximumActionLength
    }
    /// `ask`, `answer`, the fixed tokens and the answer words.
    public var outputWordCount: Int { 2 + fixedTokenCount + base.answerWordCount }
    /// `ask` and a question's tokens.
    public var maximumActionLength: Int { 1 + base.questionWidth }

    /// The facts, and the state and the action so far laid out in one tuple.
    ///
    /// - Throws: `TaskError` when the state holds more than ``maximumExchanges`` subquestions, or a subquestion
    ///   or emitted token that this world cannot present.
    public func context(of state: SupervisorState<Question, Answer>, emitted: [FactTarget]) throws -> FactContext {
        guard state.exchanges.count <= maximumExchanges else {
            throw TaskError(
                code: .invalidArgument, task: Task.name,
                message: "a state holds at most \(maximumExchanges) subquestions, not \(state.exchanges.count)")
        }
        guard emitted.count < maximumActionLength else {
            throw TaskError(
                code: .invalidArgument, task: Task.name,
                message: "an action has at most \(maximumActionLength) tokens; \(emitted.count) were emitted")
        }
        var tuple = try questionTokens(state.question)
        for exchange in state.exchanges {
            tuple += try questionTokens(exchange.question)
            tuple.append(token(of: exchange.answer, to: exchange.question))
        }
        tuple += Array(
            repeating: blankToken, count: (maximumExchanges - state.exchanges.count) * (base.questionWidth + 1))
        tuple += emitted.map(token(of:))
        tuple += Array(repeating: blankToken, count: maximumActionLength - emitted.count)
        return FactContext(facts: facts, question: tuple)
    }

    /// `ask` and the subquestion's tokens, or `answer` and the answer's; `nil` when a symbol is in no fact or an
    /// answer has no word.
    public func targets(
        of action: SupervisorAction<Question, Answer>,
        in state: SupervisorState<Question, Answer>
    ) -> [FactTarget]? {
        switch action {
        case .ask(let question):
            guard world.difficulty(of: question) != nil else { return nil }
            var targets: [FactTarget] = [.word(Self.askWord)]
            for token in world.tokens(of: question) {
                switch token {
                case .fixed(let fixed): targets.append(.word(firstFixedWord + fixed))
                case .symbol(let symbol):
                    guard let pointer = pointer(to: names[symbol]) else { return nil }
                    targets.append(pointer)
                }
            }
            return targets
        case .answer(let answer):
            guard let value = answer.value else { return [.word(Self.answerWord), .unknown] }
            switch world.worldAnswer(of: value, to: state.question) {
            case .word(let word)?: return [.word(Self.answerWord), .word(firstAnswerWord + word)]
            case .symbol(let symbol)?:
                return pointer(to: names[symbol]).map { [.word(Self.answerWord), $0] }
            case nil: return nil
            }
        }
    }

    /// The action the tokens complete, `.incomplete` while they do not yet, or why they stand for none.
    public func decode(_ emitted: [FactTarget], in state: SupervisorState<Question, Answer>) -> PolicyDecoding<
        Question, Answer
    > {
        guard let first = emitted.first else { return .incomplete }
        switch first {
        case .word(Self.askWord):
            guard state.exchanges.count < maximumExchanges else {
                return .invalid("a state holds at most \(maximumExchanges) subquestions; another was asked")
            }
            guard emitted.count > base.questionWidth else { return .incomplete }
            var tokens: [WorldToken] = []
            for target in emitted.dropFirst() {
                guard let token = worldToken(target) else {
                    return .invalid("\(target) is not a token of a question")
                }
                tokens.append(token)
            }
            guard let question = world.question(from: tokens) else {
                return .invalid("\(tokens) is not a question about this world")
            }
            return .action(.ask(question))
        case .word(Self.answerWord):
            guard emitted.count > 1 else { return .incomplete }
            switch emitted[1] {
            case .unknown: return .action(.answer(.unknown))
            case .word(let word):
                guard word >= firstAnswerWord,
                    let value = world.value(of: .word(word - firstAnswerWord), to: state.question)
                else { return .invalid("word \(word) is not an answer to \(state.question)") }
                return .action(.answer(.value(value)))
            case .pointer:
                guard case .symbol(let symbol)? = worldToken(emitted[1]),
                    let value = world.value(of: .symbol(symbol), to: state.question)
                else { return .invalid("\(emitted[1]) points at no answer to \(state.question)") }
                return .action(.answer(.value(value)))
            }
        default:
            return .invalid("an action begins with ask or answer, not \(first)")
        }
    }

    private func questionTokens(_ question: Question) throws -> [Int] {
        guard world.difficulty(of: question) != nil else {
            throw TaskError(
                code: .invalidArgument, task: Task.name, message: "\(question) is not a question about this world")
        }
        return world.tokens(of: question).map { FreshWorldEncoding<Task>.token($0, names: names) }
    }

    private func token(of answer: Answer, to question: Question) -> Int {
        guard let value = answer.value else { return unknownToken }
        switch world.worldAnswer(of: value, to: question) {
        case .word(let word)?: return answerWordToken + word
        case .symbol(let symbol)?: return names[symbol]
        case nil: return unknownToken
        }
    }

    /// The token an emitted output stands for, as the context shows it.
    private func token(of target: FactTarget) -> Int {
        switch target {
        case .unknown: return unknownToken
        case .word(Self.askWord): return askToken
        case .word(Self.answerWord): return answerToken
        case .word(let word) where word < firstAnswerWord: return word - firstFixedWord
        case .word(let word): return min(answerWordToken + word - firstAnswerWord, unknownToken)
        case .pointer(let fact, let slot):
            guard facts.indices.contains(fact), facts[fact].indices.contains(slot) else { return unknownToken }
            return facts[fact][slot]
        }
    }

    /// The world token of an emitted subquestion token: a fixed token emitted as a word or pointed at, or a symbol
    /// pointed at.
    private func worldToken(_ target: FactTarget) -> WorldToken? {
        switch target {
        case .word(let word) where word >= firstFixedWord && word < firstAnswerWord:
            return .fixed(word - firstFixedWord)
        case .pointer(let fact, let slot):
            guard facts.indices.contains(fact), facts[fact].indices.contains(slot) else { return nil }
            let token = facts[fact][slot]
            if let symbol = names.firstIndex(of: token) { return .symbol(symbol) }
            return token < fixedTokenCount ? .fixed(token) : nil
        default:
            return nil
        }
    }

    private func pointer(to name: Int) -> FactTarget? {
        for (index, fact) in facts.enumerated() {
            if let slot = fact.firstIndex(of: name) { return .pointer(fact: index, slot: slot) }
        }
        return nil
    }
}
