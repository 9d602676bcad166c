/// What a learned supervisor's emitted tokens stand for so far.
public enum PolicyDecoding<Question: Sendable, Answer: Sendable>: Sendable {
    /// The tokens begin an action but do not complete one: emit another.
    case incomplete
    /// The tokens complete an action.
    case action(SupervisorAction<Question, Answer>)
    /// The tokens stand for no action the supervisor may take; the reason says why.
    case invalid(String)
}

extension PolicyDecoding: Equatable where Question: Equatable, Answer: Equatable {}

/// A type that presents a supervisor's state to a learner that reads facts, and its actions as tokens that the
/// learner emits one at a time: the encoding of a learned model of H.
///
/// A state (the question and the exchanges so far) becomes a ``FactContext``: the facts the supervisor may see,
/// and a fixed-width tuple of tokens that lays out the question, the subquestions and answers so far, and the
/// tokens of the current action already emitted. An action (ask a subquestion, or answer) becomes a sequence of
/// ``FactTarget``s; the learner emits them one by one, each time reading the context with the tokens before it.
///
/// Conforming types decide the layout; the learner only needs the shape (``tokenCount``, ``factWidth``,
/// ``contextWidth``, ``outputWordCount``). ``targets(of:in:)`` and ``decode(_:in:)`` must agree: decoding the
/// targets of an action, one prefix at a time, gives `.incomplete` until the last and then that action.
public protocol SupervisorPolicyEncoding<Question, Answer>: Sendable {
    /// The supervisor's question type.
    associatedtype Question: Hashable & Sendable
    /// The supervisor's answer type.
    associatedtype Answer: Sendable

    /// How many distinct tokens contexts use; every token lies in `0..<tokenCount`.
    var tokenCount: Int { get }
    /// How many tokens each fact has.
    var factWidth: Int { get }
    /// How many tokens the context's tuple (``FactContext/question``) has.
    var contextWidth: Int { get }
    /// How many words the learner may emit besides "unknown" and pointers into the facts.
    var outputWordCount: Int { get }
    /// The most subquestions a state may hold: a supervisor that asks more emits an invalid action.
    var maximumExchanges: Int { get }
    /// The most tokens one action has.
    var maximumActionLength: Int { get }

    /// Returns the context in which the learner emits its next token: the state, and the tokens of the current
    /// action emitted so far.
    ///
    /// - Throws: Whatever the encoding throws for a state it cannot present (more exchanges than
    ///   ``maximumExchanges``, a question about another world).
    func context(of state: SupervisorState<Question, Answer>, emitted: [FactTarget]) throws -> FactContext

    /// Returns the tokens that stand for an action in a state, or `nil` when the action cannot be expressed (its
    /// step is then left out of training).
    func targets(of action: SupervisorAction<Question, Answer>, in state: SupervisorState<Question, Answer>)
        -> [FactTarget]?

    /// Returns what the tokens emitted so far stand for in a state.
    func decode(_ emitted: [FactTarget], in state: SupervisorState<Question, Answer>) -> PolicyDecoding<
        Question, Answer
    >
}

extension SupervisorPolicyEncoding {
    /// Every token a learner should emit for a transcript, each with the context it emits it in: the training
    /// examples of a learned supervisor, as `(context, target)` pairs. Steps whose action cannot be expressed are
    /// left out.
    ///
    /// - Throws: Whatever ``context(of:emitted:)`` throws.
    public func emissions(of transcript: SupervisorTranscript<Question, Answer>) throws -> [(
        context: FactContext, target: FactTarget
    )] {
        var emissions: [(context: FactContext, target: FactTarget)] = []
        for step in transcript.steps {
            guard let targets = targets(of: step.action, in: step.state) else { continue }
            for index in targets.indices {
                emissions.append((try context(of: step.state, emitted: Array(targets[..<index])), targets[index]))
            }
        }
        return emissions
    }
}
