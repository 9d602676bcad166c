public import Foundation
import Synchronization

/// Everything a person acting as H has decided, kept so that nothing is asked twice and nothing is lost.
///
/// A session answers a workspace it has seen from the response given to it, and a question answered before
/// from that answer, wherever it recurs. Given a directory, it writes every decision to `session.jsonl` there
/// as it happens (one JSON value per line, appended, flushed and synced before the run goes on), so a process
/// killed at any point resumes at the same place: open the directory again and run the same question; every
/// decision already made is replayed and the person sees the first workspace they had not answered.
///
/// ```swift
/// let session = try HumanSession(directory: URL(fileURLWithPath: "my-session"))
/// let supervisor = HumanSupervisor(interface: myTerminal, session: session)
/// let outcome = try await HCHEngine(supervisor: supervisor).run("What is 17 × 23?")
/// ```
///
/// A session also keeps an assistant's answers (see ``SessionAssistant``), so that a resumed run gives the person
/// the same subanswers it gave before, and the root questions it was asked, so that a resume knows which
/// question was left unfinished.
///
/// A file whose last line was cut off by a crash opens with that line dropped and ``droppedLine`` saying so; a
/// file that is not a session, or one in another format version, is refused with ``HumanSessionError``. A session
/// directory is open in one process at a time (a lock file beside the session, released when the session is
/// released or the process ends).
public final class HumanSession: Sendable {
    /// The format version this package writes and reads.
    public static let formatVersion = 1
    /// The name of the session's file inside its directory.
    public static let fileName = "session.jsonl"

    /// The session's file, or `nil` for a session kept in memory.
    public let file: URL?
    /// The settings the session was created with (for `amplify human`, its depth and assistant).
    public let settings: [String: String]
    /// The cut-off last line dropped when the session was opened, if there was one: what a process killed in
    /// mid-write leaves.
    public let droppedLine: JSONLinesDroppedTail?

    private let writer: JSONLinesWriter?
    /// Held while the session is open, so that no other process appends to it.
    private let lock: DirectoryLock?
    private let state: Mutex<State>

    private struct State {
        var steps: [HumanStep] = []
        var responses: [HumanWorkspace: HumanResponse] = [:]
        var settledQuestions: [String: HumanResponse] = [:]
        var assistantAnswers: [String: String] = [:]
        var startedQuestions: [String] = []
        var finishedAnswers: [String: String] = [:]

        mutating func apply(_ record: SessionRecord) {
            switch record {
            case .header: break
            case .step(let step):
                guard responses[step.workspace] == nil else { return }
                steps.append(step)
                responses[step.workspace] = step.response
                switch step.response {
                case .answer, .unknown:
                    if settledQuestions[step.workspace.question] == nil {
                        settledQuestions[step.workspace.question] = step.response
                    }
                case .ask: break
                }
            case .assistantAnswer(let question, let answer):
                if assistantAnswers[question] == nil { assistantAnswers[question] = answer }
            case .started(let question):
                startedQuestions.append(question)
            case .finished(let question, let answer):
                finishedAnswers[question] = answer
            }
        }
    }

    /// Creates a session kept in memory: nothing asked twice in this process, nothing written.
    public init() {
        file = nil
        settings = [:]
        droppedLine = nil
        writer = nil
        lock = nil
        state = Mutex(State())
    }

    /// Opens the session in a directory, creating the directory and the session when there is none.
    ///
    /// - Parameters:
    ///   - directory: The session's directory; its file is ``fileName`` inside it.
    ///   - settings: The settings to record when the session is new; an existing session keeps its own (read
    ///     them from ``settings``).
    /// - Throws: ``HumanSessionError``: ``HumanSessionError/Code/notASession`` when the file is not a session,
    ///   ``HumanSessionError/Code/unsupportedVersion`` when it is in another format version,
    ///   ``HumanSessionError/Code/malformedRecord`` naming the line that is not a record,
    ///   ``HumanSessionError/Code/inUse`` when another process has the session open, and
    ///   ``HumanSessionError/Code/ioFailed`` when the directory or the file cannot be read or written.
    public init(directory: URL, settings: [String: String] = [:]) throws(HumanSessionError) {
        let file = directory.appendingPathComponent(Self.fileName)
        self.file = file
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HumanSessionError(
                code: .ioFailed, message: "cannot create the session's directory", path: directory.path,
                underlyingError: error)
        }
        do {
            lock = try DirectoryLock(file: directory.appendingPathComponent("session.lock"))
        } catch {
            switch error {
            case .held(let path):
                throw HumanSessionError(
                    code: .inUse, message: "another process has this session open", path: path)
            case .failed(let path, let message):
                throw HumanSessionError(code: .ioFailed, message: message, path: path)
            }
        }
        var state = State()
        if FileManager.default.fileExists(atPath: file.path) {
            let recovery: JSONLinesRecovery<SessionRecord>
            do {
                recovery = try JSONLinesReader<SessionRecord>(url: file).recover()
            } catch {
                throw Self.sessionError(error)
            }
            guard case .header(let format, let version, let savedSettings)? = recovery.records.first,
                format == SessionRecord.formatName
            else {
                throw HumanSessionError(
                    code: .notASession,
                    message: "the file is not a human session (its first line is no session header)",
                    path: file.path, line: 1)
            }
            guard version == Self.formatVersion else {
                throw HumanSessionError(
                    code: .unsupportedVersion,
                    message: "the session is in format version \(version); this package reads version "
                        + "\(Self.formatVersion)",
                    path: file.path, line: 1)
            }
            for record in recovery.records.dropFirst() { state.apply(record) }
            self.settings = savedSettings
            self.droppedLine = recovery.droppedTail
            do {
                writer = try JSONLinesWriter(url: file, truncatingTo: recovery.wholeByteCount)
            } catch {
                throw Self.sessionError(error)
            }
        } else {
            self.settings = settings
            self.droppedLine = nil
            do throws(JSONLinesError) {
                let writer = try JSONLinesWriter(url: file)
                try writer.append(SessionRecord.header(SessionRecord.formatName, Self.formatVersion, settings))
                try writer.sync()
                self.writer = writer
            } catch {
                throw Self.sessionError(error)
            }
        }
        self.state = Mutex(state)
    }

    /// The response given to a workspace, if the session holds one.
    public func response(to workspace: HumanWorkspace) -> HumanResponse? {
        state.withLock { $0.responses[workspace] }
    }

    /// The first answer (or "unknown") given to a question anywhere in the session, if there is one.
    public func settledResponse(to question: String) -> HumanResponse? {
        state.withLock { $0.settledQuestions[question] }
    }

    /// Records a response to a workspace, durably when the session has a directory. A workspace that already
    /// has a response keeps its first one.
    ///
    /// - Throws: ``HumanSessionError/Code/ioFailed`` when the record cannot be written and synced; the session
    ///   in memory is then unchanged.
    public func record(_ response: HumanResponse, to workspace: HumanWorkspace) throws(HumanSessionError) {
        try append(.step(HumanStep(workspace: workspace, response: response)))
    }

    /// The assistant's answer to a question recorded in the session, if there is one.
    public func assistantAnswer(to question: String) -> String? {
        state.withLock { $0.assistantAnswers[question] }
    }

    /// Records an assistant's answer, so that a resumed run gives the person the same subanswer.
    ///
    /// - Throws: ``HumanSessionError/Code/ioFailed`` when the record cannot be written and synced.
    public func recordAssistantAnswer(_ answer: String, to question: String) throws(HumanSessionError) {
        try append(.assistantAnswer(question, answer))
    }

    /// Records that a root question was put to the session.
    ///
    /// - Throws: ``HumanSessionError/Code/ioFailed`` when the record cannot be written and synced.
    public func start(_ question: String) throws(HumanSessionError) {
        try append(.started(question))
    }

    /// Records a root question's final answer.
    ///
    /// - Throws: ``HumanSessionError/Code/ioFailed`` when the record cannot be written and synced.
    public func finish(_ question: String, answer: String) throws(HumanSessionError) {
        try append(.finished(question, answer))
    }

    /// The last root question started and not finished, if any: the one a resume continues.
    public var unfinishedQuestion: String? {
        state.withLock { state in state.startedQuestions.last { state.finishedAnswers[$0] == nil } }
    }

    /// The final answer to a root question, if the session finished it.
    public func finishedAnswer(to question: String) -> String? {
        state.withLock { $0.finishedAnswers[question] }
    }

    /// Every decision of the session, in the order it was made; each workspace once.
    public var steps: [HumanStep] { state.withLock { $0.steps } }

    /// The questions the person answered, each with its first answer, in the order they were answered: training
    /// data for a distiller. Questions answered "unknown" are left out.
    public var demonstrations: [Demonstration<String, String>] {
        var seen: Set<String> = []
        return steps.compactMap { step in
            guard case .answer(let answer) = step.response, seen.insert(step.workspace.question).inserted else {
                return nil
            }
            return Demonstration(question: step.workspace.question, answer: answer)
        }
    }

    /// Writes a record and syncs it, then applies it: what the session answers from is always on disk.
    private func append(_ record: SessionRecord) throws(HumanSessionError) {
        try state.withLock { state throws(HumanSessionError) in
            if let writer {
                do throws(JSONLinesError) {
                    try writer.append(record)
                    try writer.sync()
                } catch {
                    throw Self.sessionError(error)
                }
            }
            state.apply(record)
        }
    }

    private static func sessionError(_ error: JSONLinesError) -> HumanSessionError {
        if error.code == .malformedLine || error.code == .truncatedLastLine {
            if error.line == 1 {
                return HumanSessionError(
                    code: .notASession,
                    message: "the file is not a human session (its first line is no session header)",
                    path: error.path, line: 1, underlyingError: error.underlyingError)
            }
            return HumanSessionError(
                code: .malformedRecord, message: "the line is not a session record", path: error.path, line: error.line,
                underlyingError: error.underlyingError)
        }
        return HumanSessionError(
            code: .ioFailed, message: error.message, path: error.path, line: error.line, underlyingError: error)
    }
}

/// One line of a session's file.
enum SessionRecord: Codable, Sendable {
    static let formatName = "iterated-amplification.human-session"

    case header(String, Int, [String: String])
    case step(HumanStep)
    case assistantAnswer(String, String)
    case started(String)
    case finished(String, String)

    private enum CodingKeys: String, CodingKey {
        case kind, format, version, settings, workspace, response, question, answer
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "header":
            self = .header(
                try container.decode(String.self, forKey: .format), try container.decode(Int.self, forKey: .version),
                try container.decodeIfPresent([String: String].self, forKey: .settings) ?? [:])
        case "step":
            self = .step(
                HumanStep(
                    workspace: try container.decode(HumanWorkspace.self, forKey: .workspace),
                    response: try container.decode(HumanResponse.self, forKey: .response)))
        case "assistant":
            self = .assistantAnswer(
                try container.decode(String.self, forKey: .question), try container.decode(String.self, forKey: .answer)
            )
        case "started":
            self = .started(try container.decode(String.self, forKey: .question))
        case "finished":
            self = .finished(
                try container.decode(String.self, forKey: .question), try container.decode(String.self, forKey: .answer)
            )
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown record kind '\(kind)'")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .header(let format, let version, let settings):
            try container.encode("header", forKey: .kind)
            try container.encode(format, forKey: .format)
            try container.encode(version, forKey: .version)
            try container.encode(settings, forKey: .settings)
        case .step(let step):
            try container.encode("step", forKey: .kind)
            try container.encode(step.workspace, forKey: .workspace)
            try container.encode(step.response, forKey: .response)
        case .assistantAnswer(let question, let answer):
            try container.encode("assistant", forKey: .kind)
            try container.encode(question, forKey: .question)
            try container.encode(answer, forKey: .answer)
        case .started(let question):
            try container.encode("started", forKey: .kind)
            try container.encode(question, forKey: .question)
        case .finished(let question, let answer):
            try container.encode("finished", forKey: .kind)
            try container.encode(question, forKey: .question)
            try container.encode(answer, forKey: .answer)
        }
    }
}
