import Synchronization

/// One assistant answer kept by a recording: the question, the answer, and the cost the assistant reported.
public struct RecordedAnswer<Question: Sendable, Answer: Sendable>: Sendable {
    /// The question the assistant was asked.
    public var question: Question
    /// The answer it gave.
    public var answer: Answer
    /// The cost units it reported while answering.
    public var cost: Double

    /// Creates a recorded answer.
    ///
    /// - Parameters:
    ///   - question: The question.
    ///   - answer: The answer.
    ///   - cost: The reported cost.
    public init(question: Question, answer: Answer, cost: Double = 0) {
        self.question = question
        self.answer = answer
        self.cost = cost
    }
}

extension RecordedAnswer: Equatable where Question: Equatable, Answer: Equatable {}
extension RecordedAnswer: Hashable where Question: Hashable, Answer: Hashable {}
extension RecordedAnswer: Encodable where Question: Encodable, Answer: Encodable {}
extension RecordedAnswer: Decodable where Question: Decodable, Answer: Decodable {}

/// The answers an assistant gave during one or more runs, in the order it gave them.
///
/// Fill one with ``RecordingAssistant``, save ``entries`` (they encode to JSON), and answer from it later
/// with ``ReplayingAssistant``: the run repeats without calling the assistant.
public final class AssistantRecording<Question: Hashable & Sendable, Answer: Sendable>: Sendable {
    private let storage: Mutex<[RecordedAnswer<Question, Answer>]>

    /// Creates a recording, empty or from saved entries.
    ///
    /// - Parameter entries: Answers recorded earlier.
    public init(entries: [RecordedAnswer<Question, Answer>] = []) {
        storage = Mutex(entries)
    }

    /// The recorded answers, in the order the assistant gave them.
    public var entries: [RecordedAnswer<Question, Answer>] { storage.withLock { $0 } }

    /// The number of recorded answers.
    public var count: Int { storage.withLock { $0.count } }

    /// Appends an answer.
    ///
    /// - Parameter entry: The answer to keep.
    public func append(_ entry: RecordedAnswer<Question, Answer>) {
        storage.withLock { $0.append(entry) }
    }
}

/// An assistant that passes questions to another assistant and records every answer.
public struct RecordingAssistant<Wrapped: Assistant>: Assistant where Wrapped.Question: Hashable {
    /// The question type.
    public typealias Question = Wrapped.Question
    /// The answer type.
    public typealias Answer = Wrapped.Answer

    /// The assistant that answers.
    public let wrapped: Wrapped
    /// Where the answers go.
    public let recording: AssistantRecording<Question, Answer>

    /// Creates a recording assistant.
    ///
    /// - Parameters:
    ///   - wrapped: The assistant that answers.
    ///   - recording: Where the answers go.
    public init(_ wrapped: Wrapped, recording: AssistantRecording<Question, Answer> = AssistantRecording()) {
        self.wrapped = wrapped
        self.recording = recording
    }

    /// Returns the wrapped assistant's answer, after recording it with the cost it reported.
    public func answer(_ question: Question) async throws -> Answer {
        let meter = CostMeter()
        let answer = try await meter.measure { try await wrapped.answer(question) }
        let cost = meter.reportedCost
        CostMeter.report(cost)
        recording.append(RecordedAnswer(question: question, answer: answer, cost: cost))
        return answer
    }
}

/// An assistant that answers from a recording and never calls a model.
///
/// A question recorded several times gets its recorded answers in order, then the last one again.
/// A question that was never recorded throws ``EngineError/Code/replayMissing``.
public struct ReplayingAssistant<Question: Hashable & Sendable, Answer: Sendable>: Assistant {
    private struct State {
        var answers: [Question: [RecordedAnswer<Question, Answer>]]
        var served: [Question: Int] = [:]
    }

    private let state: SharedState

    private final class SharedState: Sendable {
        let value: Mutex<State>
        init(_ state: State) { value = Mutex(state) }
    }

    /// Creates a replaying assistant.
    ///
    /// - Parameter recording: The answers to give.
    public init(_ recording: AssistantRecording<Question, Answer>) {
        self.init(entries: recording.entries)
    }

    /// Creates a replaying assistant from saved entries.
    ///
    /// - Parameter entries: The answers to give, in recorded order.
    public init(entries: [RecordedAnswer<Question, Answer>]) {
        state = SharedState(State(answers: Dictionary(grouping: entries, by: \.question)))
    }

    /// Returns the next recorded answer to the question and reports its recorded cost.
    public func answer(_ question: Question) async throws -> Answer {
        let entry = state.value.withLock { state -> RecordedAnswer<Question, Answer>? in
            guard let answers = state.answers[question], !answers.isEmpty else { return nil }
            let index = state.served[question, default: 0]
            state.served[question] = index + 1
            return answers[min(index, answers.count - 1)]
        }
        guard let entry else {
            throw EngineError(
                code: .replayMissing,
                message: "the recording has no answer to this question",
                path: [question]
            )
        }
        CostMeter.report(entry.cost)
        return entry.answer
    }
}
