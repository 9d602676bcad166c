import Foundation
import IteratedAmplification
import Testing

/// `amplify human` driven through its standard input by a scripted person who reads each workspace from the
/// output, as a person reads the terminal.
struct HumanCommandTests {
    /// What one drive of `amplify human` showed.
    struct Drive: Sendable {
        var workspaces: [HumanWorkspace]
        var output: String
        var status: Int32
        var killed: Bool
    }

    /// Runs `amplify human` with the scripted person answering at each `h>` prompt; with `killAtPrompt`, kills the
    /// process with SIGKILL at that prompt (1-based), before answering it.
    static func drive(_ arguments: [String], killAtPrompt: Int? = nil) async throws -> Drive {
        try await Fixture.offTheConcurrencyPool { try driveBlocking(arguments, killAtPrompt: killAtPrompt) }
    }

    private static func driveBlocking(_ arguments: [String], killAtPrompt: Int?) throws -> Drive {
        let process = Process()
        process.executableURL = try Fixture.executable()
        process.arguments = ["human"] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var text = ""
        var consumed = text.startIndex
        var workspaces: [HumanWorkspace] = []
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            let offset = text.distance(from: text.startIndex, to: consumed)
            text += String(decoding: chunk, as: UTF8.self)
            consumed = text.index(text.startIndex, offsetBy: offset)
            // The process waits at each prompt, so at most one is pending.
            guard let prompt = text.range(of: "h> ", range: consumed..<text.endIndex) else { continue }
            consumed = prompt.upperBound
            let workspace = try parseWorkspace(text[..<prompt.lowerBound])
            if workspaces.count + 1 == killAtPrompt {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return Drive(workspaces: workspaces, output: text, status: process.terminationStatus, killed: true)
            }
            workspaces.append(workspace)
            input.fileHandleForWriting.write(Data((ScriptedPerson.response(to: workspace).text + "\n").utf8))
        }
        process.waitUntilExit()
        return Drive(workspaces: workspaces, output: text, status: process.terminationStatus, killed: false)
    }

    /// Reads the last workspace printed before a prompt: the terminal prints its transcript.
    private static func parseWorkspace(_ text: Substring) throws -> HumanWorkspace {
        guard let start = text.range(of: "Question: ", options: .backwards) else {
            throw Fixture.FixtureError(message: "a prompt without a question: \(text)")
        }
        var transcript = String(text[start.lowerBound...])
        if transcript.hasSuffix("\n") { transcript.removeLast() }
        return try HumanWorkspace(transcript: transcript)
    }

    static let question = ScriptedPerson.question(count: 8)

    @Test func personAtTheTerminalAnswersThroughCopiesOfThemselves() async throws {
        let drive = try await Self.drive([Self.question])
        #expect(drive.status == 0, "\(drive.output)")
        #expect(drive.output.contains("Answer: 36"))
        #expect(drive.workspaces.count == 10)
        #expect(Set(drive.workspaces).count == 10)
    }

    @Test(arguments: [1, 2, 6, 10])
    func killedMidSessionResumesWithNothingAskedTwiceAndNothingLost(killAtPrompt: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let session = directory.url.appendingPathComponent("session").path
        let reference = try await Self.drive([Self.question])

        let killed = try await Self.drive(["--session", session, Self.question], killAtPrompt: killAtPrompt)
        #expect(killed.killed)
        // A kill inside a write leaves a cut-off line; add one, since a real kill rarely lands there.
        let file = URL(fileURLWithPath: session).appendingPathComponent(HumanSession.fileName)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"kind":"step","workspa"#.utf8))
        try handle.close()

        let resumed = try await Self.drive(["--session", session])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("warning: dropped the cut-off last line"))
        #expect(resumed.output.contains("Answer: 36"))
        #expect(Set(killed.workspaces).isDisjoint(with: resumed.workspaces))
        #expect(killed.workspaces.count + resumed.workspaces.count == reference.workspaces.count)
        #expect(Set(killed.workspaces + resumed.workspaces) == Set(reference.workspaces))

        // Finished: the question is answered from the session, and nothing is shown.
        let again = try await Self.drive(["--session", session, Self.question])
        #expect(again.status == 0)
        #expect(again.workspaces.isEmpty)
        #expect(again.output.contains("Answer: 36"))
    }

    @Test func exportWritesDemonstrationsAndDecompositionSteps() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let session = directory.url.appendingPathComponent("session").path
        _ = try await Self.drive(["--session", session, Self.question])
        let demonstrations = directory.url.appendingPathComponent("demonstrations.jsonl")
        let steps = directory.url.appendingPathComponent("steps.jsonl")
        let (status, output) = try await Fixture.run(
            executable: "amplify",
            [
                "human", "export", "--session", session, "--demonstrations", demonstrations.path, "--fine-tuning",
                steps.path,
            ])
        #expect(status == 0, "\(output)")
        let exported = try JSONLinesReader<Demonstration<String, String>>(url: demonstrations).read()
        // The root, two halves and four quarters, each with its answer.
        #expect(exported.count == 7)
        #expect(exported.contains { $0.question == Self.question && $0.answer == "36" })
        let lines = try String(contentsOf: steps, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0.contains(#""role":"assistant""#) })
    }

    @Test func sessionOfAnotherFormatVersionIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let header = #"{"format":"iterated-amplification.human-session","kind":"header","settings":{},"version":9}"#
        try Data((header + "\n").utf8).write(to: directory.url.appendingPathComponent(HumanSession.fileName))
        let (status, output) = try await Fixture.run(
            executable: "amplify", ["human", "--session", directory.url.path, "q"])
        #expect(status == 1)
        #expect(output.contains("format version 9"), "\(output)")
    }

    @Test func resumingWithOtherSettingsIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.drive(["--session", directory.url.path, "--depth", "1", "sum 1 2"])
        let (status, output) = try await Fixture.run(
            executable: "amplify", ["human", "--session", directory.url.path, "--depth", "3", "sum 1 2"])
        #expect(status == 64)
        #expect(output.contains("the session was created with --depth 1; leave --depth out"), "\(output)")
    }
}
