import Synchronization

/// The transcripts a supervisor left during one or more runs, in the order its nodes finished.
///
/// Fill one with ``RecordingSupervisor``; its ``entries`` encode to JSON when the questions and answers do.
public final class SupervisorTranscriptRecording<Question: Sendable, Answer: Sendable>: Sendable {
    private let storage: Mutex<[SupervisorTranscript<Question, Answer>]>

    /// Creates a recording, empty or from saved transcripts.
    ///
    /// - Parameter entries: Transcripts recorded earlier.
    public init(entries: [SupervisorTranscript<Question, Answer>] = []) {
        storage = Mutex(entries)
    }

    /// The recorded transcripts, in the order their nodes finished.
    public var entries: [SupervisorTranscript<Question, Answer>] { storage.withLock { $0 } }

    /// The number of recorded transcripts.
    public var count: Int { storage.withLock { $0.count } }

    /// Appends a transcript.
    ///
    /// - Parameter transcript: The transcript to keep.
    public func append(_ transcript: SupervisorTranscript<Question, Answer>) {
        storage.withLock { $0.append(transcript) }
    }

    /// Returns the recorded transcripts and empties the recording.
    public func removeAll() -> [SupervisorTranscript<Question, Answer>] {
        storage.withLock { entries in
            defer { entries.removeAll() }
            return entries
        }
    }
}

/// A supervisor that passes every node to another supervisor and records its transcript: the question, each
/// subquestion it asked with the answer it got, and its answer.
///
/// Use it to collect a supervisor's decompositions as demonstrations for a learned model of it, as
/// `AssistantRecording` collects an assistant's answers. The wrapped supervisor sees a consultation that behaves
/// as the engine's own (the same depth, path, budget and answers); the recording only watches.
///
/// - A subquestion asked with ``Consultation/askAll(_:)`` or ``Consultation/askEach(_:)`` is recorded in question
///   order once all have answered; one that failed (in `askEach`) is left out, as the transcript holds answers.
/// - A subquestion checked with ``Consultation/ask(_:maximumAttempts:verifyingWith:)`` is recorded with the
///   answer that passed; one handed to the assistant with ``Consultation/askAssistant(_:)`` is recorded too.
/// - A node whose supervisor threw leaves no transcript.
///
/// ```swift
/// let transcripts = SupervisorTranscriptRecording<Question, TaskAnswer>()
/// let engine = HCHEngine(supervisor: RecordingSupervisor(expert, recording: transcripts), assistant: student)
/// _ = await engine.run(question)
/// let steps = transcripts.entries.flatMap(\.steps)   // (state, action) pairs for a learned supervisor
/// ```
public struct RecordingSupervisor<Wrapped: Supervisor>: Supervisor {
    /// The question type.
    public typealias Question = Wrapped.Question
    /// The answer type.
    public typealias Answer = Wrapped.Answer

    /// The supervisor that answers.
    public let wrapped: Wrapped
    /// Where the transcripts go.
    public let recording: SupervisorTranscriptRecording<Question, Answer>

    /// Creates a recording supervisor.
    ///
    /// - Parameters:
    ///   - wrapped: The supervisor that answers.
    ///   - recording: Where the transcripts go.
    public init(
        _ wrapped: Wrapped,
        recording: SupervisorTranscriptRecording<Question, Answer> = SupervisorTranscriptRecording()
    ) {
        self.wrapped = wrapped
        self.recording = recording
    }

    /// Returns the wrapped supervisor's answer, after recording the node's transcript.
    public func respond(
        to question: Question,
        consulting consultation: Consultation<Question, Answer>
    ) async throws -> Answer {
        let backend = RecordingConsultationBackend(watching: consultation)
        let answer = try await wrapped.respond(to: question, consulting: backend.consultation)
        recording.append(SupervisorTranscript(question: question, exchanges: backend.exchanges, answer: answer))
        return answer
    }
}

/// A consultation backend that forwards every request to the engine's consultation of one node and keeps the
/// subquestions and answers that went through it.
final class RecordingConsultationBackend<Question: Hashable & Sendable, Answer: Sendable>:
    ConsultationBackend<Question, Answer>, @unchecked Sendable
{
    // Unchecked Sendable for the base class's reason (a class that can be subclassed); its state is a Mutex.
    let watched: Consultation<Question, Answer>
    private let log = Mutex<[SupervisorExchange<Question, Answer>]>([])

    init(watching consultation: Consultation<Question, Answer>) {
        watched = consultation
        let original = consultation.backend
        super.init(
            paths: ConsultationPaths(
                askOne: { consultation, question in
                    let backend = Self.recording(consultation)
                    let answer = try await backend.watched.ask(question)
                    backend.keep([SupervisorExchange(question: question, answer: answer)])
                    return answer
                },
                askMany: { consultation, questions in
                    let backend = Self.recording(consultation)
                    let answers = try await backend.watched.askAll(questions)
                    backend.keep(zip(questions, answers).map { SupervisorExchange(question: $0, answer: $1) })
                    return answers
                },
                askEach: { consultation, questions in
                    let backend = Self.recording(consultation)
                    let results = try await backend.watched.askEach(questions)
                    backend.keep(
                        zip(questions, results).compactMap { question, result in
                            (try? result.get()).map { SupervisorExchange(question: question, answer: $0) }
                        })
                    return results
                },
                askVerifying: { consultation, question, maximumAttempts, verify in
                    let backend = Self.recording(consultation)
                    let answer = try await backend.watched.ask(
                        question, maximumAttempts: maximumAttempts, verifyingWith: verify)
                    backend.keep([SupervisorExchange(question: question, answer: answer)])
                    return answer
                },
                askAssistant: { consultation, question in
                    let backend = Self.recording(consultation)
                    let answer = try await backend.watched.askAssistant(question)
                    backend.keep([SupervisorExchange(question: question, answer: answer)])
                    return answer
                },
                budgetStatus: { backend in unsafeDowncast(backend, to: Self.self).watched.budget }
            ),
            hasAssistant: original.hasAssistant,
            defersNodes: original.defersNodes,
            checksCycles: original.checksCycles,
            rootRemainingDepth: original.rootRemainingDepth
        )
    }

    /// The consultation the wrapped supervisor sees: the watched one's node, question and depth, through this
    /// backend.
    var consultation: Consultation<Question, Answer> {
        Consultation(backend: self, anchor: watched.anchor, question: watched.question)
    }

    /// The exchanges so far, in the order their answers arrived.
    var exchanges: [SupervisorExchange<Question, Answer>] { log.withLock { $0 } }

    private func keep(_ exchanges: [SupervisorExchange<Question, Answer>]) {
        log.withLock { $0.append(contentsOf: exchanges) }
    }

    private static func recording(_ consultation: Consultation<Question, Answer>) -> RecordingConsultationBackend {
        unsafeDowncast(consultation.backend, to: RecordingConsultationBackend.self)
    }
}
