/// A question together with the facts of its world, as tokens: what a learner that reads the facts sees.
///
/// The facts are a set: a learner must not depend on their order. Every fact has the same number of tokens
/// (the encoding's ``FactEncoding/factWidth``), and so does every question (``FactEncoding/questionWidth``).
/// Tokens lie in `0..<tokenCount`. A token means nothing by itself across worlds: when every world draws its
/// symbol names afresh, the only way to answer is to read the facts.
public struct FactContext: Hashable, Sendable, Codable {
    /// The world's facts, each a tuple of tokens.
    public var facts: [[Int]]
    /// The question's tokens.
    public var question: [Int]

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - facts: The world's facts, each a tuple of tokens.
    ///   - question: The question's tokens.
    public init(facts: [[Int]], question: [Int]) {
        self.facts = facts
        self.question = question
    }
}

/// What a learner that reads the facts answers: a word of a small answer vocabulary, a token it points at in the
/// facts, or that it does not know.
public enum FactTarget: Hashable, Sendable, Codable {
    /// The learner does not know (or the answer is "unknown").
    case unknown
    /// A word of the encoding's small answer vocabulary, in `0..<answerWordCount` (small numbers, yes or no).
    case word(Int)
    /// The token at `facts[fact][slot]`. Every position holding the same token gives the same answer, so a
    /// learner may point at any of them.
    case pointer(fact: Int, slot: Int)
}

/// A type that presents a task's questions with the facts of their worlds to a learner that reads the facts, and
/// its answers as words of a small vocabulary or pointers into the facts.
///
/// Use it instead of ``TaskEncoding`` when the answer to a question depends on a world that changes from one
/// question to the next: the question type then carries its world (or enough to rebuild it), and
/// ``context(of:)`` lays out the world's facts. A learner that reads the facts can answer questions about
/// worlds it never saw; a learner that reads only a ``TaskEncoding``'s features learns one world's table.
///
/// ```swift
/// struct LookupEncoding: FactEncoding {
///     // A question: pairs (key, value) and a key; the answer: the key's value.
///     var tokenCount: Int { 32 }
///     var factWidth: Int { 2 }
///     var questionWidth: Int { 1 }
///     var answerWordCount: Int { 0 }
///     func context(of question: LookupQuestion) throws -> FactContext {
///         FactContext(facts: question.pairs.map { [$0.key, $0.value] }, question: [question.key])
///     }
///     func target(of answer: Int?, to question: LookupQuestion, in context: FactContext) -> FactTarget? {
///         guard let answer else { return .unknown }
///         return context.facts.firstIndex { $0[1] == answer }.map { .pointer(fact: $0, slot: 1) }
///     }
///     func answer(of target: FactTarget, to question: LookupQuestion, in context: FactContext) -> Int? {
///         if case .pointer(let fact, let slot) = target { return context.facts[fact][slot] }
///         return nil
///     }
/// }
/// ```
public protocol FactEncoding<Question, Answer>: Sendable {
    /// The task's question type; it carries its world.
    associatedtype Question: Sendable
    /// The task's answer type.
    associatedtype Answer: Sendable

    /// How many distinct tokens facts and questions use; every token lies in `0..<tokenCount`.
    var tokenCount: Int { get }

    /// How many tokens each fact has.
    var factWidth: Int { get }

    /// How many tokens each question has.
    var questionWidth: Int { get }

    /// How many words the small answer vocabulary has (besides "unknown", which every learner can answer).
    var answerWordCount: Int { get }

    /// Returns a question's facts and tokens.
    ///
    /// - Parameter question: The question to present.
    /// - Throws: Whatever the encoding throws for a question it cannot present.
    func context(of question: Question) throws -> FactContext

    /// Returns what a learner should output for an answer, or `nil` when the answer cannot be expressed (it is
    /// then left out of training).
    ///
    /// - Parameters:
    ///   - answer: The answer to encode.
    ///   - question: The question it answers (which carries its world, and so the world's naming of symbols).
    ///   - context: The question's context, as ``context(of:)`` returned it.
    func target(of answer: Answer, to question: Question, in context: FactContext) -> FactTarget?

    /// Returns the answer a learner's output stands for.
    ///
    /// - Parameters:
    ///   - target: The learner's output.
    ///   - question: The question it answers.
    ///   - context: The question's context, as ``context(of:)`` returned it.
    func answer(of target: FactTarget, to question: Question, in context: FactContext) -> Answer
}
