import Synchronization

/// An answer cache kept in memory, shared by every run that holds it.
public final class InMemoryAnswerCache<Question: Hashable & Sendable, Answer: Sendable>: AnswerCache {
    private struct Key: Hashable {
        let question: Question
        let source: AnswerSource
    }

    private let storage = Mutex<[Key: Answer]>([:])

    /// Creates an empty cache.
    public init() {}

    /// The number of answers kept.
    public var count: Int { storage.withLock { $0.count } }

    /// Returns the kept answer, if any.
    public func answer(for question: Question, from source: AnswerSource) async throws -> Answer? {
        storage.withLock { $0[Key(question: question, source: source)] }
    }

    /// Keeps an answer.
    public func store(_ answer: Answer, for question: Question, from source: AnswerSource) async throws {
        storage.withLock { $0[Key(question: question, source: source)] = answer }
    }

    /// Forgets every answer.
    public func removeAll() {
        storage.withLock { $0.removeAll() }
    }
}
