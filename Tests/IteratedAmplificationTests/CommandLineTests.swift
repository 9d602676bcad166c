import CommandLineSupport
import Foundation
import Testing

/// The executables' shared conventions: the parser, and each built executable run as a subprocess.
struct CommandLineTests {
    private static let flags: Set = ["--quick"]
    private static let valueOptions: Set = ["--size", "--task"]

    @Test func optionsKeepTheirOrderValuesAndRepeats() throws {
        let parsed = try CommandLineArguments(
            ["--size", "8", "--quick", "--task=union-find", "--size=16", "extra", "--", "--not-an-option"],
            flags: Self.flags, valueOptions: Self.valueOptions)
        #expect(parsed.options.map(\.name) == ["--size", "--quick", "--task", "--size"])
        #expect(try parsed.all("--size").map { try $0.integer() } == [8, 16])
        #expect(parsed.last("--task")?.value == "union-find")
        #expect(parsed.has("--quick"))
        #expect(parsed.positionals == ["extra", "--not-an-option"])
    }

    @Test(arguments: [
        (["--sise", "8"], "unknown option '--sise'"),
        (["--size"], "--size needs a value"),
        (["--quick=yes"], "--quick takes no value"),
    ])
    func aBadCommandLineIsAUsageErrorNamingTheOption(arguments: [String], message: String) {
        #expect {
            _ = try CommandLineArguments(arguments, flags: Self.flags, valueOptions: Self.valueOptions)
        } throws: { error in
            (error as? CommandLineUsageError)?.description == message
        }
    }

    @Test func malformedValuesNameTheOption() throws {
        let parsed = try CommandLineArguments(
            ["--size", "eight", "--task", "0"], flags: Self.flags, valueOptions: Self.valueOptions)
        #expect(throws: CommandLineUsageError.self) { try parsed.last("--size")?.integer() }
        #expect {
            try parsed.last("--task")?.integer(in: 1...Int.max)
        } throws: { error in
            (error as? CommandLineUsageError)?.description.hasPrefix("--task needs a number in 1...") == true
        }
        #expect {
            try parsed.last("--task")?.choice(of: ["union-find"])
        } throws: { error in
            (error as? CommandLineUsageError)?.description == "--task is one of union-find, not '0'"
        }
    }

    @Test(arguments: [["-h"], ["--help"], ["--size", "8", "--help"]])
    func helpEndsParsingWherever(arguments: [String]) {
        #expect {
            _ = try CommandLineArguments(arguments, flags: Self.flags, valueOptions: Self.valueOptions)
        } throws: { error in
            if case .help? = error as? CommandLineRequest { return true }
            return false
        }
    }

    // MARK: The built executables

    private static func run(_ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await Fixture.run(executable: name, arguments)
    }

    private static let executables = ["amplify", "ida-bench", "hch-bench", "learn-bench"]

    @Test(arguments: executables, [["--help"], ["-h"]])
    func helpPrintsTheUsageAndSucceeds(executable: String, arguments: [String]) async throws {
        let (status, output) = try await Self.run(executable, arguments)
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("usage: \(executable)"), "\(output)")
    }

    @Test(arguments: executables)
    func versionPrintsTheNameAndVersion(executable: String) async throws {
        let (status, output) = try await Self.run(executable, ["--version"])
        #expect(status == 0)
        #expect(output == "\(executable) \(CommandLineTool.version)\n")
    }

    @Test(arguments: executables)
    func anUnknownOptionExits64NamingIt(executable: String) async throws {
        let (status, output) = try await Self.run(executable, ["--frobnicate"])
        #expect(status == CommandLineTool.usageErrorStatus)
        #expect(output.hasPrefix("\(executable): unknown option '--frobnicate'"), "\(output)")
        #expect(output.contains("usage: \(executable)"))
    }

    @Test(arguments: [
        (["demo", "--limitt", "10"], "unknown option '--limitt'"),
        (["demo", "--limit", "many"], "--limit needs a whole number, not 'many'"),
        (["frob"], "unknown command 'frob'"),
        (["human", "--depht", "3", "q"], "unknown option '--depht'"),
        (["human", "--assistant", "robot", "q"], "--assistant is one of human, model, none, not 'robot'"),
        (["human", "--assistant", "none", "--depth", "2", "q"], "--depth does not apply to --assistant none"),
        (["human"], "give a question"),
        (["human", "export", "--demonstrations", "d.jsonl"], "human export needs --session DIR"),
        (["human", "export", "--session", "s"], "needs --demonstrations FILE or --fine-tuning FILE"),
    ])
    func amplifyRefusesWhatItCannotRunNamingIt(arguments: [String], message: String) async throws {
        let (status, output) = try await Self.run("amplify", arguments)
        #expect(status == CommandLineTool.usageErrorStatus)
        #expect(output.contains(message), "\(output)")
    }

    @Test(arguments: [["demo", "--help"], ["human", "--help"], ["human", "-h"], ["human", "export", "--help"]])
    func amplifysSubcommandsTakeHelpToo(arguments: [String]) async throws {
        let (status, output) = try await Self.run("amplify", arguments)
        #expect(status == 0)
        #expect(output.hasPrefix("usage: amplify"))
    }
}
