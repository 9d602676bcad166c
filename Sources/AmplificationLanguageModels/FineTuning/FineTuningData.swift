public import Foundation
public import IteratedAmplification

/// Demonstrations as OpenAI chat fine-tuning data: one JSON conversation per line, and back.
///
/// Each demonstration becomes a ``FineTuningRecord``: the ``systemPrompt`` (if any), the question as the user
/// message, and the answer as the assistant message. Files are written and read with the core's
/// `JSONLinesWriter` and `JSONLinesReader`, so a record is whole
/// exactly when its newline is written.
///
/// Reading validates every line. A line that is not a valid record stops the import with
/// ``LanguageModelError/Code/malformedLine`` naming its number; no line is skipped or dropped.
///
/// ```swift
/// let data = FineTuningData(systemPrompt: "Answer arithmetic questions.")
/// try data.export(outcome.trace?.demonstrations(scope: .everySupervisorNode) ?? [], to: file)
/// let demonstrations = try FineTuningData.importDemonstrations(from: file)
/// ```
public struct FineTuningData: Hashable, Sendable {
    /// The system message every record starts with, or `nil` for none.
    public var systemPrompt: String?

    /// Creates an exporter.
    ///
    /// - Parameter systemPrompt: The system message every record starts with, or `nil`.
    public init(systemPrompt: String? = nil) {
        self.systemPrompt = systemPrompt
    }

    /// Returns the record of one demonstration.
    public func record(for demonstration: Demonstration<String, String>) -> FineTuningRecord {
        var messages: [ChatMessage] = []
        if let systemPrompt { messages.append(.system(systemPrompt)) }
        messages.append(.user(demonstration.question))
        messages.append(.assistant(demonstration.answer))
        return FineTuningRecord(messages: messages)
    }

    /// Writes demonstrations to a file, one record per line, replacing what the file held.
    ///
    /// - Parameters:
    ///   - demonstrations: The demonstrations, in the order to write them.
    ///   - url: The file.
    /// - Throws: `JSONLinesError` when the file cannot be written or synced.
    public func export(_ demonstrations: [Demonstration<String, String>], to url: URL) throws {
        let writer = try JSONLinesWriter(
            url: url, truncatingTo: FileManager.default.fileExists(atPath: url.path) ? 0 : nil)
        try writer.append(contentsOf: demonstrations.map(record(for:)))
        try writer.close()
    }

    /// A system message for H's decomposition steps: what the workspace shows and what to reply.
    public static let humanStepSystemPrompt = """
        You act as H, the supervisor of an HCH tree. You see one question and the answers to the subquestions you \
        asked so far. Reply with one line: "ask QUESTION" to ask a subquestion, "ask Q1 | Q2" to ask several in \
        parallel, "answer TEXT" to answer, or "unknown".
        """

    /// Returns the record of one of H's decomposition steps: the workspace as the user message, in its
    /// `HumanWorkspace.transcript` form, and H's response as the assistant message, in its
    /// `HumanResponse.text` form.
    public func record(for step: HumanStep) -> FineTuningRecord {
        var messages: [ChatMessage] = []
        if let systemPrompt { messages.append(.system(systemPrompt)) }
        messages.append(.user(step.workspace.transcript))
        messages.append(.assistant(step.response.text))
        return FineTuningRecord(messages: messages)
    }

    /// Writes H's decomposition steps to a file, one record per line, replacing what the file held: data to
    /// fine-tune a model to act as H.
    ///
    /// - Parameters:
    ///   - steps: The steps, in the order to write them (for example a `HumanSession`'s, or a trace's `humanSteps`).
    ///   - url: The file.
    /// - Throws: `JSONLinesError` when the file cannot be written or synced.
    public func export(_ steps: [HumanStep], to url: URL) throws {
        let writer = try JSONLinesWriter(
            url: url, truncatingTo: FileManager.default.fileExists(atPath: url.path) ? 0 : nil)
        try writer.append(contentsOf: steps.map(record(for:)))
        try writer.close()
    }

    /// Reads every record of a fine-tuning file, validating each line.
    ///
    /// - Parameter url: The file.
    /// - Returns: The records, in file order.
    /// - Throws: ``LanguageModelError/Code/malformedLine`` with the 1-based ``LanguageModelError/line`` of the
    ///   first line that is not a valid record (or lacks its newline);
    ///   `JSONLinesError` when the file cannot be read.
    public static func importRecords(from url: URL) throws -> [FineTuningRecord] {
        let records: [FineTuningRecord]
        do {
            records = try JSONLinesReader<FineTuningRecord>(url: url).read()
        } catch {
            throw lineError(error, path: url.path)
        }
        return records
    }

    private static func lineError(_ error: JSONLinesError, path: String) -> any Error {
        guard error.code == .malformedLine || error.code == .truncatedLastLine else { return error }
        return LanguageModelError(
            code: .malformedLine,
            message: "\(path) line \(error.line ?? 0) is not a chat fine-tuning record: " + reason(for: error),
            line: error.line,
            underlyingError: error
        )
    }

    /// Reads a file of H's decomposition steps back, as ``export(_:to:)-([HumanStep],_)`` wrote it: the last user
    /// message as the workspace, the final assistant message as the response.
    ///
    /// - Parameter url: The file.
    /// - Returns: One step per line, in file order.
    /// - Throws: ``LanguageModelError/Code/malformedLine`` naming the line whose record is not a chat record, or
    ///   whose messages are not a workspace and a response; `JSONLinesError` when the file cannot be read.
    public static func importSteps(from url: URL) throws -> [HumanStep] {
        try importRecords(from: url).enumerated().map { index, record in
            do throws(HumanResponseSyntaxError) {
                return HumanStep(
                    workspace: try HumanWorkspace(transcript: record.question ?? ""),
                    response: try HumanResponse(parsing: record.answer ?? ""))
            } catch {
                throw LanguageModelError(
                    code: .malformedLine,
                    message: "\(url.path) line \(index + 1) is not a decomposition step: \(error.message)",
                    line: index + 1, underlyingError: error)
            }
        }
    }

    /// Reads a fine-tuning file back into demonstrations: the last user message and the final answer.
    ///
    /// - Parameter url: The file.
    /// - Returns: One demonstration per line, in file order.
    /// - Throws: What ``importRecords(from:)`` throws.
    public static func importDemonstrations(from url: URL) throws -> [Demonstration<String, String>] {
        try importRecords(from: url).map { record in
            // Validation guarantees both: a final assistant message with a user message before it.
            Demonstration(question: record.question ?? "", answer: record.answer ?? "")
        }
    }

    private static func reason(for error: JSONLinesError) -> String {
        switch error.underlyingError {
        case DecodingError.dataCorrupted(let context)?:
            return context.debugDescription
        case DecodingError.keyNotFound(let key, _)?:
            return "`\(key.stringValue)` is missing"
        case DecodingError.typeMismatch(let type, let context)?:
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "`\(path)` is not a \(type == String.self ? "string" : "\(type)")"
        case DecodingError.valueNotFound(_, let context)?:
            return "`\(context.codingPath.map(\.stringValue).joined(separator: "."))` is null"
        default:
            return error.message
        }
    }
}
