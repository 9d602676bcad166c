/// The result of decomposing a question: either it stands alone, or it splits into subquestions.
public enum Decomposition<Question: Sendable>: Sendable {
    /// The question cannot be split further.
    case atomic
    /// The question splits into these subquestions, which can be answered independently.
    case subquestions([Question])
}

extension Decomposition: Equatable where Question: Equatable {}
extension Decomposition: Hashable where Question: Hashable {}

/// A type that decides how a question splits into subquestions.
///
/// A decomposer is the planning half of a supervisor. Pair it with a synthesis step in
/// ``DecomposingSupervisor`` for the common case where a supervisor asks one round of independent
/// subquestions and combines their answers. Decomposers can be rule-based, backed by a model, or learned.
public protocol Decomposer<Question>: Sendable {
    /// The type of the questions the decomposer splits.
    associatedtype Question: Sendable

    /// Returns how a question splits.
    ///
    /// - Parameter question: The question to split.
    /// - Returns: ``Decomposition/atomic`` or the subquestions, in the order their answers should be combined.
    func decompose(_ question: Question) async throws -> Decomposition<Question>
}
