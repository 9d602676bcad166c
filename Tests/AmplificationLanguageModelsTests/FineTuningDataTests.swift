import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct FineTuningDataTests {
    func temporaryFile() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ia-llm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("train.jsonl")
    }

    let demonstrations = [
        Demonstration(question: "What is 2 + 2?", answer: "4"),
        Demonstration(question: "Say \"hi\"\non two lines", answer: "hi\nthere"),
    ]

    @Test func exportsOneChatRecordPerLine() throws {
        let file = try temporaryFile()
        try FineTuningData(systemPrompt: "Be exact.").export(demonstrations, to: file)
        let lines = try String(contentsOf: file, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines.last == "")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Array(first.keys) == ["messages"])
        #expect(
            first["messages"] as? [[String: String]] == [
                ["role": "system", "content": "Be exact."], ["role": "user", "content": "What is 2 + 2?"],
                ["role": "assistant", "content": "4"],
            ])
    }

    /// H's steps at "sum 1 2 3": ask two subquestions in parallel, then, with one answered and one failed, say
    /// "unknown"; and a step where no subquestion may be asked.
    static let steps = [
        HumanStep(
            workspace: HumanWorkspace(question: "sum 1 2 3", canAsk: true), response: .ask(["sum 1 2", "sum 3"])),
        HumanStep(
            workspace: HumanWorkspace(
                question: "sum 1 2 3",
                exchanges: [
                    .init(question: "sum 1 2", outcome: .answered("3")),
                    .init(question: "sum 3", outcome: .failed("a budget")),
                ],
                canAsk: true),
            response: .unknown),
        HumanStep(workspace: HumanWorkspace(question: "sum 3", canAsk: false), response: .answer("3")),
    ]

    @Test func exportsEachDecompositionStepAsWorkspaceThenResponse() throws {
        let file = try temporaryFile()
        try FineTuningData(systemPrompt: FineTuningData.humanStepSystemPrompt).export(Self.steps, to: file)
        let records = try FineTuningData.importRecords(from: file)
        #expect(records.count == Self.steps.count)
        for (record, step) in zip(records, Self.steps) {
            #expect(record.messages.first == .system(FineTuningData.humanStepSystemPrompt))
            #expect(record.question == step.workspace.transcript)
            // What a model fine-tuned on the record emits reads back as the person's response.
            #expect(try HumanResponse(parsing: try #require(record.answer)) == step.response)
        }
        #expect(records[1].question?.contains("  1. sum 1 2 → 3") == true)
    }

    @Test func decompositionStepsReadBackAsTheyWereWritten() throws {
        let file = try temporaryFile()
        try FineTuningData(systemPrompt: FineTuningData.humanStepSystemPrompt).export(Self.steps, to: file)
        #expect(try FineTuningData.importSteps(from: file) == Self.steps)
    }

    @Test func aRecordThatIsNoDecompositionStepNamesItsLine() throws {
        let file = try temporaryFile()
        try FineTuningData().export(
            [HumanStep(workspace: HumanWorkspace(question: "q", canAsk: true), response: .answer("a"))], to: file)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data(
                #"{"messages":[{"role":"user","content":"Question: q"},{"role":"assistant","content":"shrug"}]}"#.utf8
                    + [10]))
        try handle.close()
        let error = try #require(throws: LanguageModelError.self) { try FineTuningData.importSteps(from: file) }
        #expect(error.code == .malformedLine)
        #expect(error.line == 2)
        #expect(error.message.contains("unknown command 'shrug'"))
    }

    @Test func aModelBackedRunsTraceIsFineTuningDataForH() async throws {
        let server = try ScriptedModel.server(LanguageModelSupervisorTests.arithmeticModel)
        let trace = try #require(try await LanguageModelSupervisorTests.arithmeticRun(try makeClient(server)).trace)
        let file = try temporaryFile()
        try FineTuningData(systemPrompt: FineTuningData.humanStepSystemPrompt).export(trace.humanSteps, to: file)
        let steps = try FineTuningData.importSteps(from: file)
        // Three supervisor nodes (the root and two halves), each: ask, ask, answer.
        #expect(steps.count == 9)
        #expect(steps.first?.response == .ask(["Sum 1+2"]))
        #expect(steps[2].response == .answer("10"))
    }

    @Test func importsWhatItExported() throws {
        let file = try temporaryFile()
        try FineTuningData(systemPrompt: "Be exact.").export(demonstrations, to: file)
        let imported = try FineTuningData.importDemonstrations(from: file)
        #expect(imported.map(\.question) == demonstrations.map(\.question))
        #expect(imported.map(\.answer) == demonstrations.map(\.answer))
    }

    @Test func exportingReplacesTheFile() throws {
        let file = try temporaryFile()
        try FineTuningData().export(demonstrations, to: file)
        try FineTuningData().export([demonstrations[0]], to: file)
        #expect(try FineTuningData.importDemonstrations(from: file).count == 1)
    }

    @Test func takesTheLastUserMessageAsTheQuestion() throws {
        let file = try temporaryFile()
        let line = """
            {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}, \
            {"role": "user", "content": "3+3?"}, {"role": "assistant", "content": "6", "weight": 1}]}

            """
        try line.write(to: file, atomically: true, encoding: .utf8)
        let imported = try FineTuningData.importDemonstrations(from: file)
        #expect(imported.map(\.question) == ["3+3?"])
        #expect(imported.map(\.answer) == ["6"])
    }

    static let good = #"{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}"#

    @Test(arguments: [
        (#"{"messages": [{"role": "user", "content": "q"}"#, "line 2"),
        (#"{"conversation": []}"#, "messages"),
        (#"{"messages": []}"#, "empty"),
        (#"{"messages": [{"role": "user", "content": "q"}, {"role": "robot", "content": "a"}]}"#, "robot"),
        (#"{"messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "a"}]}"#, "content"),
        (#"{"messages": [{"role": "assistant", "content": "q"}, {"role": "user", "content": "a"}]}"#, "last message"),
        (#"{"messages": [{"role": "system", "content": "s"}, {"role": "assistant", "content": "a"}]}"#, "no user"),
        ("", "line 2"),
    ])
    func reportsAMalformedLineByNumber(line: String, phrase: String) throws {
        let file = try temporaryFile()
        try [Self.good, line, Self.good].joined(separator: "\n").appending("\n").write(
            to: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: LanguageModelError.self) {
            try FineTuningData.importDemonstrations(from: file)
        }
        #expect(error.code == .malformedLine)
        #expect(error.line == 2)
        #expect(error.message.contains(phrase))
        #expect(error.message.contains(file.path))
    }

    @Test func reportsALastLineWithoutItsNewline() throws {
        let file = try temporaryFile()
        try (Self.good + "\n" + Self.good).write(to: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: LanguageModelError.self) { try FineTuningData.importRecords(from: file) }
        #expect(error.line == 2)
    }

    @Test func aMissingFileIsAnIOError() throws {
        let file = try temporaryFile().appendingPathComponent("absent.jsonl")
        let error = try #require(throws: JSONLinesError.self) { try FineTuningData.importRecords(from: file) }
        #expect(error.code == .ioFailed)
    }
}
