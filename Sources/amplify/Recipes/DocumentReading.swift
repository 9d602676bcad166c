import AmplificationLanguageModels
import Foundation
import IteratedAmplification

/// Question answering over a document too long to read at once, decomposed by sections: H (this program) puts
/// the question to a copy of itself for each group of at most `fanOut` sections; a copy with a small enough group
/// asks the model about each section on its own ("using only this section, …"), and each H asks the model to
/// answer from its helpers' findings alone. The tree is as deep as the document is long, and no model call sees
/// more than one section or one list of findings.
struct DocumentReadingSupervisor: Supervisor {
    typealias Question = String
    typealias Answer = String

    static let notFound = "not in this section"
    static let fanOut = 6

    let sections: [String]
    let question: String
    let client: ChatCompletionsClient

    /// The question for the H that reads sections `range` (1-based, inclusive in the text).
    static func groupQuestion(_ range: Range<Int>, _ question: String) -> String {
        "[sections \(range.lowerBound + 1)–\(range.upperBound)] \(question)"
    }

    func sectionQuestion(_ index: Int) -> String {
        """
        Section \(index + 1) of a document:

        \(sections[index])

        Using only this section, answer: \(question)
        If the section does not say, reply exactly: \(Self.notFound)
        """
    }

    func respond(to text: String, consulting consultation: Consultation<String, String>) async throws -> String {
        let range = Self.range(in: text) ?? 0..<sections.count
        let findings: [String]
        if range.count <= Self.fanOut || !consultation.canConsult {
            // Each section goes straight to the model, all at once: a leaf of the tree, whatever the depth left.
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in range {
                    group.addTask { (index, try await consultation.askAssistant(sectionQuestion(index))) }
                }
                var byIndex: [Int: String] = [:]
                for try await (index, answer) in group { byIndex[index] = answer }
                return range.map { byIndex[$0] ?? "" }
            }
            findings = zip(range, answers).compactMap { index, answer in
                let answer = answer.trimmingCharacters(in: .whitespacesAndNewlines)
                return answer.lowercased().hasPrefix(Self.notFound) || answer.isEmpty
                    ? nil : "Section \(index + 1): \(answer)"
            }
        } else {
            let size = (range.count + Self.fanOut - 1) / Self.fanOut
            let groups = stride(from: range.lowerBound, to: range.upperBound, by: size).map {
                $0..<min($0 + size, range.upperBound)
            }
            let answers = try await consultation.askAll(groups.map { Self.groupQuestion($0, question) })
            findings = zip(groups, answers).compactMap { group, answer in
                answer.lowercased().hasPrefix(Self.notFound)
                    ? nil : "Sections \(group.lowerBound + 1)–\(group.upperBound): \(answer)"
            }
        }
        guard !findings.isEmpty else { return Self.notFound }
        let prompt = """
            Question: \(question)

            What the sections of a document say about it:
            \(findings.joined(separator: "\n"))

            Answer the question from these findings alone, briefly.
            """
        return try await client.complete([.user(prompt)]).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The sections a group question names, 0-based.
    static func range(in text: String) -> Range<Int>? {
        guard text.hasPrefix("[sections "), let close = text.firstIndex(of: "]") else { return nil }
        let bounds = text[text.index(text.startIndex, offsetBy: 10)..<close].split(separator: "–").compactMap {
            Int($0)
        }
        guard bounds.count == 2, bounds[0] >= 1, bounds[1] >= bounds[0] else { return nil }
        return (bounds[0] - 1)..<bounds[1]
    }

    /// A document's sections: at Markdown headings when it has any, otherwise paragraphs gathered into pieces of
    /// about `length` characters.
    static func sections(of document: String, length: Int = 1_500) -> [String] {
        let lines = document.components(separatedBy: "\n")
        if lines.contains(where: { $0.hasPrefix("#") }) {
            var sections: [[String]] = []
            for line in lines {
                if line.hasPrefix("#") || sections.isEmpty { sections.append([]) }
                sections[sections.count - 1].append(line)
            }
            return sections.map { $0.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
        }
        var sections: [String] = []
        var current = ""
        for paragraph in document.components(separatedBy: "\n\n") {
            let paragraph = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !paragraph.isEmpty else { continue }
            if !current.isEmpty && current.count + paragraph.count > length {
                sections.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : "\n\n") + paragraph
        }
        if !current.isEmpty { sections.append(current) }
        return sections
    }
}
