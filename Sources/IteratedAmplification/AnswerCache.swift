/// A type that keeps answers across runs of the engine.
///
/// The engine memoizes within one run by itself (see ``HCHConfiguration/memoization``). A cache shares
/// answers between runs: the engine looks a question up before computing it and stores the answer after.
/// Answers are kept by ``AnswerSource``: HCH_n and HCH_m may answer the same question differently, and the
/// assistant's own answer is kept apart from H's.
///
/// ``InMemoryAnswerCache`` is the ready-made implementation; conform your own type to back the cache with
/// a file or a server.
public protocol AnswerCache<Question, Answer>: Sendable {
    /// The type of the questions the cache keys on.
    associatedtype Question: Hashable & Sendable
    /// The type of the answers the cache keeps.
    associatedtype Answer: Sendable

    /// Returns the cached answer to a question from a source, if there is one.
    ///
    /// - Parameters:
    ///   - question: The question.
    ///   - source: Who would answer it: the assistant alone, or HCH with the asking node's remaining depth.
    func answer(for question: Question, from source: AnswerSource) async throws -> Answer?

    /// Stores an answer.
    ///
    /// - Parameters:
    ///   - answer: The answer to keep.
    ///   - question: The question it answers.
    ///   - source: Who answered it: the assistant alone, or HCH with the computing node's remaining depth.
    func store(_ answer: Answer, for question: Question, from source: AnswerSource) async throws
}

/// Who gave an answer that an ``AnswerCache`` keeps: the part of the key besides the question.
public enum AnswerSource: Hashable, Sendable, CustomStringConvertible {
    /// The assistant's own answer, the same at every depth.
    case assistant
    /// HCH's answer with this many levels of help below the node (the supervisor and everything it consulted).
    case hch(remainingDepth: HCHDepth)

    /// `assistant`, or `HCH` with the remaining depth.
    public var description: String {
        switch self {
        case .assistant: "assistant"
        case .hch(let remainingDepth): "HCH, remaining depth \(remainingDepth)"
        }
    }
}
