/// A type that keeps answers across runs of the engine.
///
/// The engine memoizes within one run by itself (see ``HCHConfiguration/memoization``). A cache shares
/// answers between runs: the engine looks a question up before computing it and stores the answer after.
/// Keys include the remaining depth, because HCH_n and HCH_m may answer the same question differently; the
/// assistant's own answers are kept under ``HCHConfiguration/assistantCacheDepth`` (-1), apart from the
/// supervisor's.
///
/// ``InMemoryAnswerCache`` is the ready-made implementation; conform your own type to back the cache with
/// a file or a server.
public protocol AnswerCache<Question, Answer>: Sendable {
    /// The type of the questions the cache keys on.
    associatedtype Question: Hashable & Sendable
    /// The type of the answers the cache keeps.
    associatedtype Answer: Sendable

    /// Returns the cached answer to a question at a remaining depth, if there is one.
    ///
    /// - Parameters:
    ///   - question: The question.
    ///   - remainingDepth: The remaining depth of the node asking; `Int.max` stands for unlimited depth, -1 for
    ///     the assistant's own answer.
    func answer(for question: Question, remainingDepth: Int) async throws -> Answer?

    /// Stores an answer.
    ///
    /// - Parameters:
    ///   - answer: The answer to keep.
    ///   - question: The question it answers.
    ///   - remainingDepth: The remaining depth of the node that computed it, or -1 for the assistant's own answer.
    func store(_ answer: Answer, for question: Question, remainingDepth: Int) async throws
}
