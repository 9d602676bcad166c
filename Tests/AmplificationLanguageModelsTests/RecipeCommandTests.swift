import Foundation
import TestSupport
import Testing

@testable import AmplificationLanguageModels

/// The recipes, `amplify audit` and `amplify read`, run as built executables against a scripted model.
struct RecipeCommandTests {
    static let cSource = """
        #include <string.h>

        /* Copies a name into a fixed buffer. */
        void greet(const char *name) {
            char buffer[16];
            strcpy(buffer, name); // "}" in a comment and a string: "{"
            printf("hello %s\\n", buffer);
        }

        struct point { int x; int y; };

        int sum(const int *values, int count) {
            int total = 0;
            for (int i = 0; i < count; i++) {
                total += values[i];
            }
            return total;
        }
        """

    /// A reviewer model: it flags `strcpy`, describes any data flow the same way, and summarises by quoting.
    static func reviewer(_ call: ScriptedModel.Call) -> String {
        let prompt = call.lastUser
        if prompt.hasPrefix("Check this function") {
            return prompt.contains("strcpy") ? "line 6: strcpy into a 16-byte buffer can overflow" : "no issues"
        }
        if prompt.hasPrefix("Summarise the data flow") { return "reads its arguments; returns a value" }
        if prompt.contains("Write the audit's summary") { return "Summary: greet can overflow its buffer." }
        return "unexpected prompt"
    }

    static func write(_ text: String, named name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ia-recipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// Runs `amplify audit` on a file against the reviewer model's server.
    static func audit(_ file: URL, on server: TestHTTPServer) async throws -> (status: Int32, output: String) {
        try await BuiltExecutable.run(
            "amplify", ["audit", "--base-url", server.baseURL.absoluteString, "--model", "m", file.path])
    }

    @Test func auditChecksEachFunctionOnItsOwnAndSummarisesTheFindings() async throws {
        let server = try ScriptedModel.server(Self.reviewer)
        let file = try Self.write(Self.cSource, named: "copy.c")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let (status, output) = try await Self.audit(file, on: server)
        #expect(status == 0, "\(output)")
        #expect(output.contains("2 functions, 1 with findings"), "\(output)")
        #expect(output.contains("Summary: greet can overflow its buffer."))
        #expect(output.contains("greet (lines 3–8)\n  memory safety: line 6: strcpy"))
        #expect(output.contains("sum (lines 12–18)\n  memory safety: no issues"))
        // Each check saw one function only.
        let checks = server.requests.map { ScriptedModel.call(from: $0).lastUser }.filter {
            $0.hasPrefix("Check this function")
        }
        #expect(checks.count == 2)
        #expect(checks.allSatisfy { $0.contains("greet") != $0.contains("sum(") })
    }

    @Test func aRecordedAuditReplaysWithNoServer() async throws {
        let server = try ScriptedModel.server(Self.reviewer)
        let file = try Self.write(Self.cSource, named: "copy.c")
        let replies = file.deletingLastPathComponent().appendingPathComponent("replies")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let recorded = try await BuiltExecutable.run(
            "amplify",
            ["audit", "--base-url", server.baseURL.absoluteString, "--model", "m", "--record", replies.path, file.path])
        #expect(recorded.status == 0, "\(recorded.output)")
        server.stop()
        let replayed = try await BuiltExecutable.run(
            "amplify",
            ["audit", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--replay", replies.path, file.path])
        #expect(replayed.status == 0, "\(replayed.output)")
        let report = { (output: String) in output.components(separatedBy: "\n(")[0] }
        #expect(report(replayed.output) == report(recorded.output))
        #expect(replayed.output.contains("replayed from \(replies.path) (5 replies)"), "\(replayed.output)")
    }

    @Test func swiftMethodsAreFunctionsToo() async throws {
        let server = try ScriptedModel.server(Self.reviewer)
        let source = """
            struct Counter {
                var count = 0
                mutating func increment(by step: Int) {
                    if step > 0 { count += step }
                }
                func doubled() -> Int { count * 2 }
            }
            """
        let file = try Self.write(source, named: "Counter.swift")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let (status, output) = try await Self.audit(file, on: server)
        #expect(status == 0, "\(output)")
        #expect(output.contains("2 functions, 0 with findings"), "\(output)")
        #expect(output.contains("increment (lines 3–5)"))
        #expect(output.contains("doubled (lines 6–6)"))
    }

    /// A reader model: a section that mentions the door says its colour; the synthesis quotes the findings.
    static func reader(_ call: ScriptedModel.Call) -> String {
        let prompt = call.lastUser
        if prompt.hasPrefix("Section ") {
            return prompt.contains("painted red") ? "red" : "not in this section"
        }
        if prompt.contains("Answer the question from these findings") {
            let findings = prompt.components(separatedBy: "\n").filter { $0.hasPrefix("Section") }
            return findings.map { $0.components(separatedBy: ": ").last ?? "" }.joined(separator: ", ")
        }
        return "unexpected prompt"
    }

    @Test(arguments: [3, 20])
    func readingAsksAboutEachSectionAloneAndCombinesWhatTheySay(sectionCount: Int) async throws {
        let server = try ScriptedModel.server(Self.reader)
        let sections = (1...sectionCount).map { index in
            index == sectionCount
                ? "# Section \(index)\nThe front door is painted red." : "# Section \(index)\nNothing here."
        }
        let file = try Self.write(sections.joined(separator: "\n\n"), named: "document.md")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let (status, output) = try await BuiltExecutable.run(
            "amplify",
            [
                "read", "--base-url", server.baseURL.absoluteString, "--model", "m", file.path,
                "What colour is the door?",
            ])
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("red\n"), "\(output)")
        // 3 sections: the root reads them itself. 20: the root asks 5 copies of itself about 4 sections each.
        let nodes = sectionCount == 3 ? 1 + 3 : 1 + 5 + 20
        #expect(output.contains("(\(nodes) nodes, \(sectionCount) assistant calls"), "\(output)")
    }

    @Test(arguments: [
        (["audit"], "audit needs one source file"),
        (["audit", "--cap", "0", "copy.c"], "--cap needs a whole number at least 1"),
        (["read", "only-a-file"], "read needs a file and a question"),
        (
            ["audit", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "/nonexistent.c"],
            "cannot read /nonexistent.c"
        ),
    ])
    func recipesRefuseWhatTheyCannotRun(arguments: [String], message: String) async throws {
        let (status, output) = try await BuiltExecutable.run(
            "amplify", arguments, environment: ["LLM_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MODEL": "m"])
        #expect(status != 0)
        #expect(output.contains(message), "\(output)")
    }
}
