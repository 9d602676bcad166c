/// The handle through which a supervisor asks for help at one node of an HCH tree.
///
/// The engine creates one consultation per supervisor call. Through it the supervisor can:
/// - ask one subquestion and wait for its answer (``ask(_:)``), so the next question can depend on it;
/// - ask many subquestions in parallel and receive the answers in question order (``askAll(_:)``),
///   failing as soon as one fails, or seeing each outcome (``askEach(_:)``);
/// - ask and check the answer, re-asking or rejecting it (``ask(_:maximumAttempts:verifyingWith:)``);
/// - hand a question straight to the assistant (``askAssistant(_:)``);
/// - read its depth, remaining depth and budget before deciding.
///
/// Subquestions go to a copy of HCH one level shallower: at remaining depth 1 with an assistant configured,
/// that copy is the assistant itself (Amp(H, X)). At remaining depth 0 ``canConsult`` is `false` and every
/// ask throws ``EngineError/Code/depthExhausted``.
public struct Consultation<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    @usableFromInline let backend: ConsultationBackend<Question, Answer>
    /// The node itself; or, on the fast path, where a node is made only when its supervisor asks a subquestion of
    /// its own (so that a supervisor that only hands its question to the assistant, every leaf's, allocates none),
    /// the node's parent, `nil` at the root.
    @usableFromInline let anchor: NodeContext<Question>?

    /// The question this node answers.
    public let question: Question

    /// A consultation of a node the engine has made: on a run with every step of the pipeline, and only there.
    @inlinable
    init(backend: ConsultationBackend<Question, Answer>, node: NodeContext<Question>) {
        self.backend = backend
        anchor = node
        question = node.question
    }

    /// A consultation whose node is made when its supervisor asks a subquestion: on the fast path, and only there.
    @inlinable
    init(
        backend: ConsultationBackend<Question, Answer>,
        deferredBelow parent: NodeContext<Question>?,
        question: Question
    ) {
        self.backend = backend
        anchor = parent
        self.question = question
    }

    /// A consultation with the same node (or deferred node) and question as another, through another backend: a
    /// wrapper's view of the engine's consultation (see `RecordingSupervisor`).
    init(backend: ConsultationBackend<Question, Answer>, anchor: NodeContext<Question>?, question: Question) {
        self.backend = backend
        self.anchor = anchor
        self.question = question
    }

    /// The node, or `nil` while it is deferred.
    @inlinable
    var node: NodeContext<Question>? { backend.defersNodes ? nil : anchor }

    /// The node's parent; `nil` at the root.
    @inlinable
    var parent: NodeContext<Question>? { backend.defersNodes ? anchor : anchor?.parent }

    /// The node to ask subquestions from: this consultation's node, or a new one when it was deferred.
    ///
    /// A deferred node has no state that outlives an ask (nothing is recorded, capped or refused on the fast path),
    /// so each ask may make its own: the asked nodes see the same path, depth and question either way.
    @inlinable
    func askingNode() -> NodeContext<Question> {
        if let node { return node }
        // The hash is computed again rather than kept: a fifth word would take the consultation out of registers,
        // and only a node that asks (an inner node) pays for it.
        return NodeContext(
            question: question,
            questionHash: backend.checksCycles ? question.hashValue : 0,
            depth: depth,
            remainingDepth: remainingLevels,
            parent: anchor,
            recordID: -1,
            unaided: false
        )
    }

    /// How many more levels of help lie below this node.
    @inlinable
    public var remainingDepth: HCHDepth { HCHDepth(engineLevels: remainingLevels) }

    /// ``remainingDepth`` in the engine's representation.
    @inlinable
    var remainingLevels: Int {
        if let node { return node.remainingDepth }
        return parent?.childRemainingDepth ?? backend.rootRemainingDepth
    }

    /// The depth of this node in the tree; the root is at depth 0.
    @inlinable
    public var depth: Int { parent.map { $0.depth + 1 } ?? 0 }

    /// Whether this node may ask subquestions.
    ///
    /// `false` at remaining depth 0 (HCH_0), and when the engine refused help because a budget ran out or a
    /// cycle was found and the policy lets the supervisor answer without help.
    @inlinable
    public var canConsult: Bool { !unaided && remainingLevels > 0 }

    /// Whether the engine refused this node help, so that its supervisor must answer alone.
    @inlinable
    var unaided: Bool { node?.unaided ?? false }

    /// Whether an assistant is configured, so that ``askAssistant(_:)`` can succeed.
    @inlinable
    public var hasAssistant: Bool { backend.hasAssistant }

    /// The questions from the root to this node, the root first and this node's question last.
    @inlinable
    public var path: [Question] { NodeContext.path(of: question, below: parent) }

    /// What remains of the run's budget at this moment.
    @inlinable
    public var budget: BudgetStatus { backend.paths.budgetStatus(backend) }

    /// Asks one subquestion and returns its answer.
    ///
    /// - Parameter question: The subquestion.
    /// - Returns: The answer of a copy of HCH one level shallower (or of the assistant at the bottom).
    /// - Throws: ``EngineError`` carrying the path to the failing node, or `CancellationError`.
    @inlinable
    public func ask(_ question: Question) async throws -> Answer {
        try await backend.paths.askOne(self, question)
    }

    /// Asks subquestions in parallel and returns their answers in question order.
    ///
    /// If one subquestion fails, the others are cancelled and the error is thrown. (A name of its own, not an
    /// overload of ``ask(_:)``: a question may itself be an array.)
    ///
    /// - Parameter questions: The subquestions.
    /// - Returns: The answers, in the order of `questions`.
    /// - Throws: The first ``EngineError`` that a subquestion threw, or `CancellationError`.
    @inlinable
    public func askAll(_ questions: [Question]) async throws -> [Answer] {
        try await backend.paths.askMany(self, questions)
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
        try await backend.paths.askEach(self, questions)
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
        try await backend.paths.askVerifying(self, question, maximumAttempts, verify)
    }

    /// Hands a question straight to the assistant, as a leaf, whatever the remaining depth.
    ///
    /// - Parameter question: The question for the assistant.
    /// - Returns: The assistant's answer.
    /// - Throws: ``EngineError/Code/noAssistant`` when the engine has no assistant, or the assistant's failure.
    @inlinable
    public func askAssistant(_ question: Question) async throws -> Answer {
        try await backend.paths.askAssistant(self, question)
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

/// The engine's entry points for one run, as closures compiled for the run's concrete types.
///
/// A call through a protocol or a class method would reach the engine's unspecialized generic code. These closures
/// capture nothing and are formed inside the engine's inlinable code, which the caller's module specializes for
/// its supervisor and assistant, so every node below the root runs specialized code too.
@usableFromInline
struct ConsultationPaths<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    @usableFromInline typealias Ask = @Sendable (Consultation<Question, Answer>, Question) async throws -> Answer
    @usableFromInline typealias AskMany =
        @Sendable (Consultation<Question, Answer>, [Question]) async throws -> [Answer]
    @usableFromInline typealias AskEach =
        @Sendable (Consultation<Question, Answer>, [Question]) async throws -> [Result<Answer, EngineError>]
    @usableFromInline typealias AskVerifying =
        @Sendable (
            Consultation<Question, Answer>, Question, Int, @escaping @Sendable (Answer) async throws -> Verdict
        ) async throws -> Answer
    @usableFromInline typealias Budget = @Sendable (ConsultationBackend<Question, Answer>) -> BudgetStatus

    @usableFromInline let askOne: Ask
    @usableFromInline let askMany: AskMany
    @usableFromInline let askEach: AskEach
    @usableFromInline let askVerifying: AskVerifying
    @usableFromInline let askAssistant: Ask
    @usableFromInline let budgetStatus: Budget

    @inlinable
    init(
        askOne: @escaping Ask,
        askMany: @escaping AskMany,
        askEach: @escaping AskEach,
        askVerifying: @escaping AskVerifying,
        askAssistant: @escaping Ask,
        budgetStatus: @escaping Budget
    ) {
        self.askOne = askOne
        self.askMany = askMany
        self.askEach = askEach
        self.askVerifying = askVerifying
        self.askAssistant = askAssistant
        self.budgetStatus = budgetStatus
    }
}

/// The engine's side of a consultation: the run, as the consultations see it.
///
/// A class rather than a protocol, so that a consultation holds one reference instead of an existential, and
/// reaches the run's entry points with one load. Unchecked `Sendable` because a class that can be subclassed
/// cannot be checked; it holds only constants, and its one subclass is the engine's `Run`.
@usableFromInline
class ConsultationBackend<Question: Hashable & Sendable, Answer: Sendable>: @unchecked Sendable {
    /// The run's entry points, compiled for its supervisor and assistant.
    @usableFromInline final let paths: ConsultationPaths<Question, Answer>
    /// Whether the run has an assistant.
    @usableFromInline final let hasAssistant: Bool
    /// Whether consultations make their nodes only when their supervisors ask: on the fast path, where nothing
    /// outlives an ask (no record, slot or refusal).
    @usableFromInline final let defersNodes: Bool
    /// Whether supervisor nodes are checked for cycles, and so have their questions hashed.
    @usableFromInline final let checksCycles: Bool
    /// The root's remaining depth: the run's configured depth.
    @usableFromInline final let rootRemainingDepth: Int

    @inlinable
    init(
        paths: ConsultationPaths<Question, Answer>,
        hasAssistant: Bool,
        defersNodes: Bool,
        checksCycles: Bool,
        rootRemainingDepth: Int
    ) {
        self.paths = paths
        self.hasAssistant = hasAssistant
        self.defersNodes = defersNodes
        self.checksCycles = checksCycles
        self.rootRemainingDepth = rootRemainingDepth
    }
}
