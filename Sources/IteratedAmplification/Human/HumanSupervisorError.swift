/// A ``HumanInterface`` returned a response the workspace does not allow.
public struct HumanSupervisorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The question of the workspace.
    public var question: String
    /// What was wrong with the response.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - question: The question of the workspace.
    ///   - message: What was wrong with the response.
    public init(question: String, message: String) {
        self.question = question
        self.message = message
    }

    /// The error as one line.
    public var description: String { "\(message) (at the question '\(question)')" }
}
