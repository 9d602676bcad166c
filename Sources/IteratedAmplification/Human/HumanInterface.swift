/// The way a person acting as H is reached: shown a workspace, they return a response.
///
/// `amplify human` implements one over a terminal; a web form, a chat channel or a test script can be another.
/// ``HumanSupervisor`` calls it for one workspace at a time, never for two at once, so an implementation needs no
/// queue of its own, and never for a workspace the ``HumanSession`` already holds a response to.
public protocol HumanInterface: Sendable {
    /// Shows a workspace to the person and returns what they decide.
    ///
    /// Return ``HumanResponse/ask(_:)`` only when ``HumanWorkspace/canAsk`` is `true`, and with at least one
    /// question; the supervisor refuses anything else with ``HumanSupervisorError``.
    ///
    /// - Parameter workspace: The question and the subquestions asked so far.
    /// - Returns: The person's response.
    /// - Throws: Any error, for example when the person leaves; the run stops, and the session keeps every
    ///   response given so far.
    func respond(to workspace: HumanWorkspace) async throws -> HumanResponse
}
