/// An assistant whose answers are kept in a ``HumanSession``: a question the session holds an answer to is
/// answered from it; any other goes to the assistant it wraps, and the answer is recorded before it is returned.
///
/// With a model as the assistant of a person acting as H, a resumed session then shows the person the subanswers
/// they saw before, so their recorded decisions still apply, and no model call is made twice.
public struct SessionAssistant<Base: Assistant>: Assistant where Base.Question == String, Base.Answer == String {
    /// Questions are text.
    public typealias Question = String
    /// Answers are text.
    public typealias Answer = String

    /// The assistant asked what the session does not hold.
    public let base: Base
    /// Where the answers are kept.
    public let session: HumanSession

    /// Creates an assistant that keeps its answers in a session.
    ///
    /// - Parameters:
    ///   - base: The assistant asked what the session does not hold.
    ///   - session: Where the answers are kept.
    public init(_ base: Base, session: HumanSession) {
        self.base = base
        self.session = session
    }

    /// The session's answer to the question, or the wrapped assistant's, recorded.
    ///
    /// - Throws: The wrapped assistant's error, or ``HumanSessionError`` when the answer cannot be recorded.
    public func answer(_ question: String) async throws -> String {
        if let answer = session.assistantAnswer(to: question) { return answer }
        let answer = try await base.answer(question)
        try session.recordAssistantAnswer(answer, to: question)
        return answer
    }
}
