/// One decision of a person acting as H: the workspace they saw and what they did.
///
/// A session's steps are H's decompositions, the training data for a model that learns to act as H: see
/// ``HumanSession/steps``.
public struct HumanStep: Hashable, Codable, Sendable {
    /// What the person saw.
    public var workspace: HumanWorkspace
    /// What the person did.
    public var response: HumanResponse

    /// Creates a step.
    ///
    /// - Parameters:
    ///   - workspace: What the person saw.
    ///   - response: What the person did.
    public init(workspace: HumanWorkspace, response: HumanResponse) {
        self.workspace = workspace
        self.response = response
    }
}
