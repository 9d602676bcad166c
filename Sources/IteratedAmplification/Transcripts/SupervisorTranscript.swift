/// One subquestion a supervisor asked at a node, with the answer it got.
public struct SupervisorExchange<Question: Sendable, Answer: Sendable>: Sendable {
    /// The subquestion.
    public var question: Question
    /// The answer the supervisor got.
    public var answer: Answer

    /// Creates an exchange.
    ///
    /// - Parameters:
    ///   - question: The subquestion.
    ///   - answer: Its answer.
    public init(question: Question, answer: Answer) {
        self.question = question
        self.answer = answer
    }
}

extension SupervisorExchange: Equatable where Question: Equatable, Answer: Equatable {}
extension SupervisorExchange: Hashable where Question: Hashable, Answer: Hashable {}
extension SupervisorExchange: Encodable where Question: Encodable, Answer: Encodable {}
extension SupervisorExchange: Decodable where Question: Decodable, Answer: Decodable {}

/// What a supervisor has seen at one moment of its work at a node: its question and the exchanges so far.
public struct SupervisorState<Question: Sendable, Answer: Sendable>: Sendable {
    /// The question at the node.
    public var question: Question
    /// The subquestions asked so far, with their answers, in the order they were asked.
    public var exchanges: [SupervisorExchange<Question, Answer>]

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - question: The question at the node.
    ///   - exchanges: The subquestions asked so far, with their answers.
    public init(question: Question, exchanges: [SupervisorExchange<Question, Answer>] = []) {
        self.question = question
        self.exchanges = exchanges
    }
}

extension SupervisorState: Equatable where Question: Equatable, Answer: Equatable {}
extension SupervisorState: Hashable where Question: Hashable, Answer: Hashable {}

/// What a supervisor does next: ask a subquestion, or answer its question.
public enum SupervisorAction<Question: Sendable, Answer: Sendable>: Sendable {
    /// Ask a subquestion and wait for its answer.
    case ask(Question)
    /// Answer the node's question, ending the supervisor's work there.
    case answer(Answer)
}

extension SupervisorAction: Equatable where Question: Equatable, Answer: Equatable {}
extension SupervisorAction: Hashable where Question: Hashable, Answer: Hashable {}

/// One decision of a supervisor: what it had seen, and what it did.
public struct SupervisorStep<Question: Sendable, Answer: Sendable>: Sendable {
    /// What the supervisor had seen.
    public var state: SupervisorState<Question, Answer>
    /// What it did.
    public var action: SupervisorAction<Question, Answer>

    /// Creates a step.
    ///
    /// - Parameters:
    ///   - state: What the supervisor had seen.
    ///   - action: What it did.
    public init(state: SupervisorState<Question, Answer>, action: SupervisorAction<Question, Answer>) {
        self.state = state
        self.action = action
    }
}

extension SupervisorStep: Equatable where Question: Equatable, Answer: Equatable {}
extension SupervisorStep: Hashable where Question: Hashable, Answer: Hashable {}

/// A supervisor's work at one node: the question, every subquestion it asked with its answer, and its answer.
///
/// Transcripts are the training data of a learned model of the supervisor (the 2018 experiments' "human model"):
/// ``steps`` splits one into the decisions a policy makes, each state with the action the supervisor took.
/// Record them with ``RecordingSupervisor``.
public struct SupervisorTranscript<Question: Sendable, Answer: Sendable>: Sendable {
    /// The question at the node.
    public var question: Question
    /// The subquestions the supervisor asked, with their answers, in the order it received them.
    public var exchanges: [SupervisorExchange<Question, Answer>]
    /// The supervisor's answer.
    public var answer: Answer

    /// Creates a transcript.
    ///
    /// - Parameters:
    ///   - question: The question at the node.
    ///   - exchanges: The subquestions asked, with their answers.
    ///   - answer: The supervisor's answer.
    public init(question: Question, exchanges: [SupervisorExchange<Question, Answer>], answer: Answer) {
        self.question = question
        self.exchanges = exchanges
        self.answer = answer
    }

    /// The supervisor's decisions, one per subquestion and one for the answer: before each, the exchanges that
    /// came before it.
    public var steps: [SupervisorStep<Question, Answer>] {
        var steps: [SupervisorStep<Question, Answer>] = []
        steps.reserveCapacity(exchanges.count + 1)
        for index in exchanges.indices {
            steps.append(
                SupervisorStep(
                    state: SupervisorState(question: question, exchanges: Array(exchanges[..<index])),
                    action: .ask(exchanges[index].question)
                )
            )
        }
        steps.append(
            SupervisorStep(state: SupervisorState(question: question, exchanges: exchanges), action: .answer(answer)))
        return steps
    }
}

extension SupervisorTranscript: Equatable where Question: Equatable, Answer: Equatable {}
extension SupervisorTranscript: Hashable where Question: Hashable, Answer: Hashable {}
extension SupervisorTranscript: Encodable where Question: Encodable, Answer: Encodable {}
extension SupervisorTranscript: Decodable where Question: Decodable, Answer: Decodable {}
