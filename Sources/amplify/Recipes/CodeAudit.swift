import AmplificationLanguageModels
import Foundation
import IteratedAmplification

/// A code audit, decomposed the way a careful reviewer would: H (this program) splits a source file into its
/// functions and asks, for each, two questions a model can answer from the function alone — "check this function
/// for buffer overflows and other memory-safety errors" and "summarise its data flow" — all in parallel; then
/// it asks the model to write the audit's summary from the findings alone, never from the whole file.
struct CodeAuditSupervisor: Supervisor {
    typealias Question = String
    typealias Answer = String

    /// The question at the root; its answer is the report.
    static let rootQuestion = "Audit the file"
    static let noIssues = "no issues"

    let file: String
    let functions: [SourceFunction]
    let client: ChatCompletionsClient

    static func safetyQuestion(_ function: SourceFunction) -> String {
        """
        Check this function for buffer overflows and other memory-safety errors (out-of-bounds reads or writes, \
        unchecked lengths, use after free). Reply "\(noIssues)", or list each issue with its line.

        \(function.text)
        """
    }

    static func dataFlowQuestion(_ function: SourceFunction) -> String {
        """
        Summarise the data flow of this function in one or two sentences: what it reads, what it writes, what it \
        returns.

        \(function.text)
        """
    }

    func respond(to question: String, consulting consultation: Consultation<String, String>) async throws -> String {
        guard !functions.isEmpty else { return "\(file): no functions found to audit." }
        let questions = functions.flatMap { [Self.safetyQuestion($0), Self.dataFlowQuestion($0)] }
        let answers = try await consultation.askAll(questions)
        var sections: [String] = []
        var findings: [String] = []
        for (index, function) in functions.enumerated() {
            let safety = answers[2 * index].trimmingCharacters(in: .whitespacesAndNewlines)
            let dataFlow = answers[2 * index + 1].trimmingCharacters(in: .whitespacesAndNewlines)
            let clean = safety.lowercased().hasPrefix(Self.noIssues)
            sections.append(
                """
                \(function.name) (lines \(function.firstLine)–\(function.lastLine))
                  memory safety: \(safety)
                  data flow: \(dataFlow)
                """)
            if !clean { findings.append("\(function.name) (line \(function.firstLine)): \(safety)") }
        }
        let summary: String
        if findings.isEmpty {
            summary = "No memory-safety issues were found in the \(functions.count) functions."
        } else {
            let prompt = """
                These are the findings of a memory-safety audit of \(file), one per function:

                \(findings.joined(separator: "\n"))

                Write the audit's summary in two or three sentences: the most serious issues first.
                """
            summary = try await client.complete([.user(prompt)]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return """
            Audit of \(file): \(functions.count) functions, \(findings.count) with findings.

            \(summary)

            \(sections.joined(separator: "\n\n"))
            """
    }
}
