public import IteratedAmplification
import Synchronization

/// A supervisor backed by a learned model of H: it reads the question, the facts and the subanswers so far, and
/// emits its next subquestion or its answer token by token, as H's transcripts taught it (the 2018 experiments'
/// "human model", H′).
///
/// Train an ``AttentionModel`` whose shape is ``FactShape/init(policy:)`` on the emissions of H's transcripts
/// (`SupervisorPolicyEncoding.emissions(of:)`), then answer with it. At each step the supervisor asks the model
/// for one token at a time until the encoding decodes an action: a subquestion, which it asks through the
/// consultation before deciding again, or an answer, which ends its work at the node.
///
/// When the model's tokens stand for no action it may take (no question, one subquestion too many, a subquestion
/// where it cannot consult), the ``Fallback`` decides: fail with ``LearnerError/Code/invalidAction``, answer a
/// given answer, or hand the node to another supervisor (H itself). ``statistics`` counts each.
///
/// ```swift
/// let encoding = try FreshWorldPolicyEncoding(base: base, worldSeed: seed, maximumExchanges: 2)
/// let learned = try LearnedSupervisor(model: humanModel, encoding: encoding, fallback: .delegate(to: world.expert))
/// let engine = HCHEngine(supervisor: learned, assistant: student)
/// ```
public struct LearnedSupervisor<Encoding: SupervisorPolicyEncoding>: Supervisor {
    /// The question type.
    public typealias Question = Encoding.Question
    /// The answer type.
    public typealias Answer = Encoding.Answer
    /// Returns the model's next token in a context.
    public typealias Predictor = @Sendable (FactContext) async throws -> FactTarget

    /// What the supervisor does when the model's tokens stand for no action it may take.
    public enum Fallback: Sendable {
        /// Throw ``LearnerError`` with code ``LearnerError/Code/invalidAction``, naming the question and why.
        case fail
        /// Answer this answer (a task's "unknown", typically).
        case answer(Answer)
        /// Hand the node to another supervisor, usually H: it answers from the start, through the same
        /// consultation (the subquestions already asked stay in the tree).
        case delegate(to: any Supervisor<Question, Answer>)
    }

    /// The encoding of states and actions.
    public let encoding: Encoding
    /// What happens on an invalid action.
    public let fallback: Fallback
    /// Counts of actions, invalid actions and fallbacks, shared by copies of this supervisor.
    public let statistics: LearnedSupervisorStatistics
    let predict: Predictor

    /// Creates a supervisor that asks a model for each token.
    ///
    /// - Parameters:
    ///   - model: The learned model of H; its teacher weights answer.
    ///   - encoding: The encoding it was trained with.
    ///   - fallback: What happens on an invalid action; failing by default.
    ///   - statistics: Where the counts go.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidEncoding`` when the model's shape is not the
    ///   encoding's.
    public init(
        model: AttentionModel,
        encoding: Encoding,
        fallback: Fallback = .fail,
        statistics: LearnedSupervisorStatistics = LearnedSupervisorStatistics()
    ) throws {
        let shape = try FactShape(policy: encoding)
        guard model.shape == shape else {
            throw LearnerError(
                code: .invalidEncoding,
                message: "the model reads \(model.shape), but the policy encoding presents \(shape)"
            )
        }
        self.init(encoding: encoding, fallback: fallback, statistics: statistics) { context in
            guard let target = try model.predict([context]).first else {
                throw LearnerError(code: .invalidContext, message: "the model returned no token for a context")
            }
            return target
        }
    }

    /// Creates a supervisor whose tokens come from a function: a model behind a batching service, or a table of
    /// predictions made in batches beforehand.
    ///
    /// - Parameters:
    ///   - encoding: The encoding of states and actions.
    ///   - fallback: What happens on an invalid action; failing by default.
    ///   - statistics: Where the counts go.
    ///   - predict: Returns the next token in a context.
    public init(
        encoding: Encoding,
        fallback: Fallback = .fail,
        statistics: LearnedSupervisorStatistics = LearnedSupervisorStatistics(),
        predictingWith predict: @escaping Predictor
    ) {
        self.encoding = encoding
        self.fallback = fallback
        self.statistics = statistics
        self.predict = predict
    }

    /// Asks the model for actions until it answers, asking its subquestions through the consultation.
    public func respond(
        to question: Question,
        consulting consultation: Consultation<Question, Answer>
    ) async throws -> Answer {
        var state = SupervisorState<Question, Answer>(question: question)
        while true {
            var emitted: [FactTarget] = []
            var decision = PolicyDecoding<Question, Answer>.incomplete
            while case .incomplete = decision, emitted.count < encoding.maximumActionLength {
                emitted.append(try await predict(try encoding.context(of: state, emitted: emitted)))
                decision = encoding.decode(emitted, in: state)
            }
            switch decision {
            case .action(.answer(let answer)):
                statistics.count(\.actions)
                return answer
            case .action(.ask(let subquestion)):
                guard state.exchanges.count < encoding.maximumExchanges else {
                    return try await fallBack(
                        "it asked a subquestion beyond the \(encoding.maximumExchanges) a state may hold", question,
                        consultation, after: state.exchanges.count)
                }
                guard consultation.canConsult else {
                    return try await fallBack(
                        "it asked \(subquestion) where it may not consult", question, consultation,
                        after: state.exchanges.count)
                }
                statistics.count(\.actions)
                let answer = try await consultation.ask(subquestion)
                state.exchanges.append(SupervisorExchange(question: subquestion, answer: answer))
            case .invalid(let reason):
                return try await fallBack(reason, question, consultation, after: state.exchanges.count)
            case .incomplete:
                return try await fallBack(
                    "\(emitted.count) tokens did not complete an action", question, consultation,
                    after: state.exchanges.count)
            }
        }
    }

    private func fallBack(
        _ reason: String,
        _ question: Question,
        _ consultation: Consultation<Question, Answer>,
        after exchanges: Int
    ) async throws -> Answer {
        statistics.count(\.invalidActions)
        switch fallback {
        case .fail:
            throw LearnerError(
                code: .invalidAction,
                message: "the learned supervisor's action on '\(question)' after \(exchanges) subquestions is "
                    + "invalid: \(reason)"
            )
        case .answer(let answer):
            statistics.count(\.fallbackAnswers)
            return answer
        case .delegate(let supervisor):
            statistics.count(\.delegations)
            return try await supervisor.respond(to: question, consulting: consultation)
        }
    }
}

/// What a ``LearnedSupervisor`` did: the actions its model took, the invalid ones, and what its fallback did.
public final class LearnedSupervisorStatistics: Sendable {
    struct Counts {
        var actions = 0
        var invalidActions = 0
        var fallbackAnswers = 0
        var delegations = 0
    }
    private let counts = Mutex(Counts())

    /// Creates statistics that count nothing yet.
    public init() {}

    /// Valid actions the model took: subquestions asked and answers given.
    public var actions: Int { counts.withLock { $0.actions } }
    /// Actions that stood for nothing the supervisor may do.
    public var invalidActions: Int { counts.withLock { $0.invalidActions } }
    /// Invalid actions answered with the fallback's answer.
    public var fallbackAnswers: Int { counts.withLock { $0.fallbackAnswers } }
    /// Invalid actions whose node went to the fallback's supervisor.
    public var delegations: Int { counts.withLock { $0.delegations } }

    func count(_ field: WritableKeyPath<Counts, Int>) {
        counts.withLock { $0[keyPath: field] += 1 }
    }
}

extension FactShape {
    /// The shape of a learned supervisor's model for a policy encoding: its tokens, fact width, context width and
    /// output words.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidEncoding``.
    public init<Encoding: SupervisorPolicyEncoding>(policy encoding: Encoding) throws {
        try self.init(
            tokenCount: encoding.tokenCount,
            factWidth: encoding.factWidth,
            questionWidth: encoding.contextWidth,
            answerWordCount: encoding.outputWordCount
        )
    }
}
