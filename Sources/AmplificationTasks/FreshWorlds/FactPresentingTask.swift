/// A token of a world's facts or questions before the world names its symbols.
public enum WorldToken: Hashable, Sendable {
    /// A symbol of the world (an element, a variable, a vertex), numbered `0..<size`: every world gives its
    /// symbols names of its own.
    case symbol(Int)
    /// A token with the same meaning in every world (a bit, a kind of question, a small number), numbered
    /// `0..<fixedTokenCount(size:)`.
    case fixed(Int)
}

/// What an answer's value is, for a learner that reads the facts: a symbol of the world (which the learner
/// points at in the facts) or a word of a small vocabulary (a number, a label).
public enum WorldAnswer: Hashable, Sendable {
    /// A symbol of the world, numbered `0..<size`.
    case symbol(Int)
    /// A word, numbered `0..<answerWordCount(size:)`.
    case word(Int)
}

/// A task whose worlds can present their facts, so that a learner can read them (see ``FreshWorldEncoding``).
///
/// A conforming task lays out its world's facts and its questions as ``WorldToken``s, with the world's symbols in
/// its own numbering; ``FreshWorldEncoding`` renames the symbols per world, shuffles the facts, and turns the
/// tokens into a `FactContext`. The widths and vocabularies depend only on the size, so every world of a size
/// shares one encoding.
public protocol FactPresentingTask: AlgorithmicTask where Answer == TaskAnswer {
    /// How many fixed tokens facts and questions of worlds of a size use.
    static func fixedTokenCount(size: Int) -> Int
    /// How many tokens every fact of a world of a size has.
    static func factWidth(size: Int) -> Int
    /// How many tokens every question about a world of a size has.
    static func questionWidth(size: Int) -> Int
    /// How many words answers about a world of a size may be (0 when every answer is a symbol).
    static func answerWordCount(size: Int) -> Int
    /// Whether some answers depend on the order of the world's symbols (a tie broken by the lowest-numbered
    /// symbol). A fresh world then names its symbols in their order, the lowest symbol with the lowest name
    /// token, so that a learner can break the tie as the oracle does. `false` by default.
    static var answersDependOnSymbolOrder: Bool { get }

    /// The world's facts, each ``factWidth(size:)`` tokens, symbols in the world's own numbering.
    var facts: [[WorldToken]] { get }

    /// Returns a valid question's tokens, ``questionWidth(size:)`` of them.
    ///
    /// - Parameter question: A question whose difficulty is defined in this world.
    func tokens(of question: Question) -> [WorldToken]

    /// Returns the question that tokens stand for, the inverse of ``tokens(of:)``, or `nil` when they stand for no
    /// valid question of this world (a learned supervisor's subquestion is decoded with it).
    ///
    /// - Parameter tokens: Tokens as ``tokens(of:)`` lays them out, symbols in the world's own numbering.
    func question(from tokens: [WorldToken]) -> Question?

    /// Returns what an answer's value is, or `nil` when no learner output can express it.
    ///
    /// - Parameters:
    ///   - value: The value of a known answer.
    ///   - question: The question it answers (a value may be a symbol for one kind of question and a number for
    ///     another).
    func worldAnswer(of value: Int, to question: Question) -> WorldAnswer?

    /// Returns the value a symbol or word stands for as an answer to a question, or `nil` when it stands for none.
    ///
    /// - Parameters:
    ///   - answer: A symbol or a word.
    ///   - question: The question it answers.
    func value(of answer: WorldAnswer, to question: Question) -> Int?
}

extension FactPresentingTask {
    /// `false`: by default no answer depends on the order of the world's symbols.
    public static var answersDependOnSymbolOrder: Bool { false }
}
