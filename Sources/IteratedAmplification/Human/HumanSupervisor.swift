/// A person acting as H: at each node they see the question and the answers to the subquestions they asked so
/// far, and ask more subquestions, answer, or say they do not know.
///
/// Subquestions go wherever the engine sends them: to the assistant (Amp(H, X)), or to further copies of H, which
/// is HCH with a person at every level. Parallel subquestions run in parallel, but the person sees one workspace
/// at a time: the others wait their turn, in the order they arrived. A subquestion that fails (a budget, a cycle,
/// a model error) reaches the person as a failed outcome with the reason, not as the end of the run.
///
/// Every decision goes to the ``HumanSession`` first: a workspace the session has seen is answered from it, and
/// so is a question answered before, wherever it recurs. With a session in a directory, a run killed at any
/// point and started again replays what was decided and asks only what was not.
///
/// ```swift
/// let supervisor = HumanSupervisor(interface: terminal, session: try HumanSession(directory: sessionDirectory))
/// let outcome = try await HCHEngine(supervisor: supervisor, configuration: .init(memoization: true))
///     .run("How many primes are there below 100?")
/// ```
public struct HumanSupervisor<Interface: HumanInterface>: Supervisor {
    /// Questions are text.
    public typealias Question = String
    /// Answers are text.
    public typealias Answer = String

    /// How the person is reached.
    public let interface: Interface
    /// Where the person's decisions are kept.
    public let session: HumanSession
    /// The answer a node gives when the person responds ``HumanResponse/unknown``.
    public var unknownAnswer: String

    /// The person's attention: one workspace at a time.
    private let turn = AsyncSemaphore(permits: 1)

    /// Creates a supervisor.
    ///
    /// - Parameters:
    ///   - interface: How the person is reached.
    ///   - session: Where the person's decisions are kept; a new session in memory by default.
    ///   - unknownAnswer: The answer a node gives when the person does not know; `"unknown"` by default.
    public init(interface: Interface, session: HumanSession = HumanSession(), unknownAnswer: String = "unknown") {
        self.interface = interface
        self.session = session
        self.unknownAnswer = unknownAnswer
    }

    /// Shows the person the question, runs the subquestions they ask, and returns their answer.
    ///
    /// - Throws: ``HumanSupervisorError`` when the interface returns a response the workspace does not allow,
    ///   ``HumanSessionError`` when a decision cannot be recorded, the interface's own errors, or
    ///   `CancellationError`.
    public func respond(to question: String, consulting consultation: Consultation<String, String>) async throws
        -> String
    {
        var workspace = HumanWorkspace(question: question, canAsk: consultation.canConsult)
        while true {
            switch try await decision(at: workspace) {
            case .answer(let answer):
                return answer
            case .unknown:
                return unknownAnswer
            case .ask(let questions):
                let outcomes = try await consultation.askEach(questions)
                for (subquestion, outcome) in zip(questions, outcomes) {
                    switch outcome {
                    case .success(let answer):
                        workspace.exchanges.append(.init(question: subquestion, outcome: .answered(answer)))
                    case .failure(let error):
                        workspace.exchanges.append(.init(question: subquestion, outcome: .failed(error.message)))
                    }
                }
            }
        }
    }

    /// The decision at a workspace: from the session when it has one, otherwise from the person, recorded.
    private func decision(at workspace: HumanWorkspace) async throws -> HumanResponse {
        if let decided = decided(at: workspace) { return decided }
        try await turn.acquire()
        do {
            // Another node may have settled this workspace or question while this one waited its turn.
            if let decided = decided(at: workspace) {
                turn.release()
                return decided
            }
            let response = try await interface.respond(to: workspace)
            try validate(response, at: workspace)
            try session.record(response, to: workspace)
            turn.release()
            return response
        } catch {
            turn.release()
            throw error
        }
    }

    private func decided(at workspace: HumanWorkspace) -> HumanResponse? {
        if let response = session.response(to: workspace) { return response }
        // A question answered before is answered again the same way, before the person sees it.
        if workspace.exchanges.isEmpty { return session.settledResponse(to: workspace.question) }
        return nil
    }

    private func validate(_ response: HumanResponse, at workspace: HumanWorkspace) throws(HumanSupervisorError) {
        guard case .ask(let questions) = response else { return }
        guard workspace.canAsk else {
            throw HumanSupervisorError(
                question: workspace.question, message: "the interface asked subquestions where none may be asked")
        }
        guard !questions.isEmpty else {
            throw HumanSupervisorError(question: workspace.question, message: "the interface asked no subquestion")
        }
    }
}
