/// The handle through which a supervisor asks for help at one node of an HCH tree.
///
/// The engine creates one consultation per supervisor call. Through it the supervisor can:
/// - ask one subquestion and wait for its answer (``ask(_:)->Answer``), so the next question can depend on it;
/// - ask many subquestions in parallel and receive the answers in question order (``ask(_:)->[Answer]``),
///   failing as soon as one fails, or seeing each outcome (``askEach(_:)``);
/// - ask and check the answer, re-asking or rejecting it (``ask(_:maximumAttempts:verifyingWith:)``);
/// - hand a question straight to the assistant (``askAssistant(_:)``);
/// - read its depth, remaining depth and budget before deciding.
///
/// Subquestions go to a copy of HCH one level shallower: at remaining depth 1 with an assistant configured,
/// that copy is the assistant itself (Amp(H, X)). At remaining depth 0 ``canConsult`` is `false` and every
/// ask throws ``EngineError/Code/depthExhausted``.
public struct Consultation<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    @usableFromInline let backend: any ConsultationBackend<Question, Answer>
    @usableFromInline let node: NodeContext<Question>
    @usableFromInline let paths: ConsultationPaths<Question, Answer>

    @inlinable
    init(
        backend: any ConsultationBackend<Question, Answer>,
        node: NodeContext<Question>,
        paths: ConsultationPaths<Question, Answer>
    ) {
        self.backend = backend
        self.node = node
        self.paths = paths
    }

    /// The question this node answers.
    @inlinable
    public var question: Question { node.question }

    /// The depth of this node in the tree; the root is at depth 0.
    @inlinable
    public var depth: Int { node.depth }

    /// How many more levels of help lie below this node; `Int.max` when depth is unlimited.
    @inlinable
    public var remainingDepth: Int { node.remainingDepth }

    /// Whether this node may ask subquestions.
    ///
    /// `false` at remaining depth 0 (HCH_0), and when the engine refused help because a budget ran out or a
    /// cycle was found and the policy lets the supervisor answer without help.
    @inlinable
    public var canConsult: Bool { node.canConsult }

    /// Whether an assistant is configured, so that ``askAssistant(_:)`` can succeed.
    @inlinable
    public var hasAssistant: Bool { backend.hasAssistant }

    /// The questions from the root to this node, the root first and this node's question last.
    @inlinable
    public var path: [Question] { node.path }

    /// What remains of the run's budget at this moment.
    @inlinable
    public var budget: BudgetStatus { backend.budgetStatus() }

    /// Asks one subquestion and returns its answer.
    ///
    /// - Parameter question: The subquestion.
    /// - Returns: The answer of a copy of HCH one level shallower (or of the assistant at the bottom).
    /// - Throws: ``EngineError`` carrying the path to the failing node, or `CancellationError`.
    @inlinable
    public func ask(_ question: Question) async throws -> Answer {
        try await paths.askOne(backend, question, node)
    }

    /// Asks subquestions in parallel and returns their answers in question order.
    ///
    /// If one subquestion fails, the others are cancelled and the error is thrown.
    ///
    /// - Parameter questions: The subquestions.
    /// - Returns: The answers, in the order of `questions`.
    /// - Throws: The first ``EngineError`` that a subquestion threw, or `CancellationError`.
    @inlinable
    public func ask(_ questions: [Question]) async throws -> [Answer] {
        try await paths.askMany(backend, questions, node)
    }

    /// Asks subquestions in parallel and returns each outcome, so the supervisor sees which ones failed.
    ///
    /// A failure of one subquestion does not cancel the others.
    ///
    /// - Parameter questions: The subquestions.
    /// - Returns: One result per question, in the order of `questions`.
    /// - Throws: `CancellationError` when the run is cancelled.
    @inlinable
    public func askEach(_ questions: [Question]) async throws -> [Result<Answer, EngineError>] {
        try await backend.askEach(questions, from: node)
    }

    /// Asks a subquestion and checks the answer, asking again or rejecting it as the check decides.
    ///
    /// A re-ask bypasses memoization and the shared cache, so a model with sampling can answer differently.
    ///
    /// - Parameters:
    ///   - question: The subquestion.
    ///   - maximumAttempts: How many answers to obtain at most before giving up.
    ///   - verify: The supervisor's check of an answer.
    /// - Returns: The first answer the check accepted.
    /// - Throws: ``EngineError/Code/answerRejected`` when the check rejects an answer or attempts run out.
    @inlinable
    public func ask(
        _ question: Question,
        maximumAttempts: Int = 3,
        verifyingWith verify: @escaping @Sendable (Answer) async throws -> Verdict
    ) async throws -> Answer {
        try await backend.ask(question, from: node, maximumAttempts: maximumAttempts, verify: verify)
    }

    /// Hands a question straight to the assistant, as a leaf, whatever the remaining depth.
    ///
    /// - Parameter question: The question for the assistant.
    /// - Returns: The assistant's answer.
    /// - Throws: ``EngineError/Code/noAssistant`` when the engine has no assistant, or the assistant's failure.
    @inlinable
    public func askAssistant(_ question: Question) async throws -> Answer {
        try await paths.askAssistant(backend, question, node)
    }
}

/// A supervisor's judgement of a subanswer.
public enum Verdict: Hashable, Sendable {
    /// The answer is accepted.
    case accept
    /// The answer is not good enough: ask the question again.
    case reask
    /// The answer is wrong and asking again will not help.
    case reject(reason: String)
}

/// What remains of a run's budget.
public struct BudgetStatus: Hashable, Sendable {
    /// Nodes that may still be created, or `nil` when nodes are unlimited.
    public var remainingNodes: Int?
    /// Assistant calls that may still be made, or `nil` when unlimited.
    public var remainingAssistantCalls: Int?
    /// Cost units that may still be spent, or `nil` when unlimited.
    public var remainingCost: Double?
    /// Time left before the deadline, or `nil` when there is none.
    public var remainingTime: Duration?

    /// Creates a budget status.
    public init(
        remainingNodes: Int? = nil,
        remainingAssistantCalls: Int? = nil,
        remainingCost: Double? = nil,
        remainingTime: Duration? = nil
    ) {
        self.remainingNodes = remainingNodes
        self.remainingAssistantCalls = remainingAssistantCalls
        self.remainingCost = remainingCost
        self.remainingTime = remainingTime
    }
}

/// The engine's hot entry points for one run, as closures compiled for the run's concrete types.
///
/// A call through the ``ConsultationBackend`` existential reaches the engine's unspecialized generic code. These
/// closures capture nothing and are formed inside the engine's inlinable code, which the caller's module
/// specializes for its supervisor and assistant, so every node below the root runs specialized code too.
@usableFromInline
struct ConsultationPaths<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    @usableFromInline typealias Ask = @Sendable (AnyObject, Question, NodeContext<Question>) async throws -> Answer
    @usableFromInline typealias AskMany = @Sendable (AnyObject, [Question], NodeContext<Question>) async throws -> [Answer]

    @usableFromInline let askOne: Ask
    @usableFromInline let askMany: AskMany
    @usableFromInline let askAssistant: Ask

    @inlinable
    init(askOne: @escaping Ask, askMany: @escaping AskMany, askAssistant: @escaping Ask) {
        self.askOne = askOne
        self.askMany = askMany
        self.askAssistant = askAssistant
    }
}

/// The engine's side of a consultation.
@usableFromInline
protocol ConsultationBackend<Question, Answer>: AnyObject, Sendable {
    associatedtype Question: Hashable & Sendable
    associatedtype Answer: Sendable

    var hasAssistant: Bool { get }
    func budgetStatus() -> BudgetStatus
    func ask(_ question: Question, from node: NodeContext<Question>) async throws -> Answer
    func ask(_ questions: [Question], from node: NodeContext<Question>) async throws -> [Answer]
    func askEach(_ questions: [Question], from node: NodeContext<Question>) async throws -> [Result<Answer, EngineError>]
    func ask(
        _ question: Question,
        from node: NodeContext<Question>,
        maximumAttempts: Int,
        verify: @escaping @Sendable (Answer) async throws -> Verdict
    ) async throws -> Answer
    func askAssistant(_ question: Question, from node: NodeContext<Question>) async throws -> Answer
}
