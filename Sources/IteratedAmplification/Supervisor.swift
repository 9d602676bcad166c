/// A type that answers one question the way the human supervisor H would, with help.
///
/// The supervisor is H at one node of an HCH tree. It receives a ``Consultation`` through which it may ask
/// subquestions (one at a time, each depending on earlier answers, or many in parallel), hand a question
/// straight to the assistant, verify subanswers, and read how much depth and budget remain. It then
/// synthesizes an answer.
///
/// ```swift
/// struct SumSupervisor: Supervisor {
///     func respond(to range: Range<Int>, consulting consultation: Consultation<Range<Int>, Int>) async throws -> Int {
///         if range.count <= 1 { return range.first ?? 0 }
///         let middle = range.lowerBound + range.count / 2
///         let halves = try await consultation.askAll([range.lowerBound..<middle, middle..<range.upperBound])
///         return halves.reduce(0, +)
///     }
/// }
/// ```
///
/// A supervisor at remaining depth zero (HCH_0) cannot consult: ``Consultation/canConsult`` is `false`
/// there and it must answer alone.
public protocol Supervisor<Question, Answer>: Sendable {
    /// The type of the questions the supervisor answers.
    associatedtype Question: Hashable & Sendable
    /// The type of the answers the supervisor gives.
    associatedtype Answer: Sendable

    /// Returns the supervisor's answer to a question, consulting helpers as it sees fit.
    ///
    /// - Parameters:
    ///   - question: The question at this node.
    ///   - consultation: The handle through which the supervisor asks subquestions.
    /// - Returns: The answer.
    /// - Throws: Any error. Errors from subquestions arrive as ``EngineError`` and can be caught and handled.
    func respond(to question: Question, consulting consultation: Consultation<Question, Answer>) async throws -> Answer
}
