/// A type that answers questions quickly: the assistant X of Iterated Amplification.
///
/// An assistant is the fast policy that a supervisor consults. In Amp(H, X) the supervisor H hands
/// subquestions to the assistant; distillation then trains a new assistant to imitate what the
/// amplified system answered.
///
/// Conformers implement one method. An assistant that knows what a call cost (tokens, money)
/// reports it with ``CostMeter/report(_:)`` from inside ``answer(_:)``; the engine charges it to the
/// run's cost budget and records it in the trace.
///
/// ```swift
/// struct Doubler: Assistant {
///     func answer(_ question: Int) async throws -> Int { question * 2 }
/// }
/// ```
public protocol Assistant<Question, Answer>: Sendable {
    /// The type of the questions the assistant answers.
    associatedtype Question: Sendable
    /// The type of the answers the assistant gives.
    associatedtype Answer: Sendable

    /// Returns the assistant's answer to a question.
    ///
    /// - Parameter question: The question to answer.
    /// - Returns: The answer.
    /// - Throws: Any error; the engine wraps it in an ``EngineError`` that names the question path.
    func answer(_ question: Question) async throws -> Answer
}
