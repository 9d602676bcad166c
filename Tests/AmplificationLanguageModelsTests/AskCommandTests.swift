import Foundation
import IteratedAmplification
import TestSupport
import Testing

@testable import AmplificationLanguageModels

/// `amplify ask`, run as a built executable against a scripted model server.
struct AskCommandTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ia-ask-\(UUID().uuidString)")
    }

    /// The tree's lines without their timings, which differ between runs.
    static func tree(_ output: String) -> [String] {
        output.split(separator: "\n").filter { $0.contains("→") }.map { line in
            String(line.replacingOccurrences(of: #" · [0-9.]+ s"#, with: "", options: .regularExpression))
        }
    }

    @Test func asksThroughHCHAndPrintsTheAnswerThenTheTree() async throws {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let traceFile = directory.appendingPathComponent("trace.json")
        let server = try ScriptedModel.server(LanguageModelSupervisorTests.arithmeticModel)
        let (status, output) = try await BuiltExecutable.run(
            "amplify",
            [
                "ask", "--base-url", server.baseURL.absoluteString, "--model", "m", "--trace", traceFile.path,
                "Sum 1+2+3+4",
            ],
            environment: ["LLM_API_KEY": "sk-secret-551"])
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("10\n"), "\(output)")
        let tree = Self.tree(output)
        #expect(tree.count == 7)
        #expect(tree.first?.hasPrefix("Sum 1+2+3+4 → 10  [supervisor") == true)
        #expect(tree.contains { $0.hasPrefix("    Sum 4 → 4  [assistant") && $0.contains("1 model call") })
        // The trace written with --trace keeps every prompt and reply on its node, and never the key.
        let trace = try String(contentsOf: traceFile, encoding: .utf8)
        #expect(trace.components(separatedBy: "\"output\"").count - 1 == server.requests.count)
        #expect(!trace.contains("sk-secret-551"))
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer sk-secret-551" })

        // The trace is fine-tuning data for H: each supervisor node's decisions, read back as steps.
        let stepsFile = directory.appendingPathComponent("steps.jsonl")
        let steps = try await BuiltExecutable.run("amplify", ["trace", "steps", traceFile.path, "-o", stepsFile.path])
        #expect(steps.status == 0, "\(steps.output)")
        let read = try FineTuningData.importSteps(from: stepsFile)
        // Three supervisor nodes (the root and two halves), each: ask, ask, answer.
        #expect(read.count == 9)
        #expect(read.first?.response == .ask(["Sum 1+2"]))
        #expect(read[2].response == .answer("10"))
    }

    @Test func aRecordedRunReplaysWithNoServerAndTheSameTree() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ScriptedModel.server(LanguageModelSupervisorTests.arithmeticModel)
        let recorded = try await BuiltExecutable.run(
            "amplify",
            [
                "ask", "--base-url", server.baseURL.absoluteString, "--model", "m", "--record", directory.path,
                "Sum 1+2+3+4",
            ])
        #expect(recorded.status == 0, "\(recorded.output)")
        let requests = server.requests.count
        server.stop()
        // Nothing listens at port 9: any request would fail.
        let replayed = try await BuiltExecutable.run(
            "amplify",
            ["ask", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--replay", directory.path, "Sum 1+2+3+4"])
        #expect(replayed.status == 0, "\(replayed.output)")
        #expect(Self.tree(replayed.output) == Self.tree(recorded.output))
        #expect(replayed.output.contains("replayed from \(directory.path) (\(requests) replies)"))
    }

    @Test func replayingAQuestionNeverRecordedFailsNamingTheRequest() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (status, output) = try await BuiltExecutable.run(
            "amplify", ["ask", "--model", "m", "--replay", directory.path, "Sum 1+2"])
        #expect(status == 1)
        #expect(output.contains("no recorded reply for the request"), "\(output)")
        #expect(output.contains("Question: Sum 1+2"), "\(output)")
    }

    @Test(arguments: [
        (["ask"], "ask needs a question"),
        (["ask", "--record", "a", "--replay", "b", "q"], "--record and --replay cannot be used together"),
        (["ask", "--base-url", "ftp://x", "--model", "m", "q"], "--base-url needs an http or https URL"),
        (["ask", "--depht", "2", "q"], "unknown option '--depht'"),
        (
            ["ask", "--budget-tokens", "0", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "q"],
            "--budget-tokens needs"
        ),
    ])
    func refusesWhatItCannotRunNamingIt(arguments: [String], message: String) async throws {
        let (status, output) = try await BuiltExecutable.run("amplify", arguments)
        #expect(status == 64)
        #expect(output.contains(message), "\(output)")
    }
}
