import AmplificationLanguageModels
import CommandLineSupport
import Foundation
import IteratedAmplification

/// `amplify human`: the person at the terminal is H.
func runHuman(_ arguments: [String]) async throws {
    if arguments.first == "export" {
        try exportHumanSession(
            try CommandLineOptions(
                Array(arguments.dropFirst()), valueOptions: ["session", "demonstrations", "fine-tuning"]))
        return
    }
    let options = try CommandLineOptions(
        arguments, valueOptions: ["depth", "assistant", "session"], takesPositionals: true)
    let session: HumanSession
    if let directory = options.string("session") {
        session = try HumanSession(directory: URL(fileURLWithPath: directory), settings: try requestedSettings(options))
        if let dropped = session.droppedLine {
            let warning =
                "warning: dropped the cut-off last line \(dropped.line) of \(session.file?.path ?? directory) "
                + "(what a process killed while writing leaves)\n"
            FileHandle.standardError.write(Data(warning.utf8))
        }
        try checkSettings(options, against: session)
    } else {
        session = HumanSession()
    }
    let settings = session.file == nil ? try requestedSettings(options) : session.settings
    let assistantKind = settings["assistant"] ?? "human"
    let depth = try HumanSettings.depth(settings["depth"], assistant: assistantKind)

    let given = options.positionals.joined(separator: " ")
    guard let question = given.isEmpty ? session.unfinishedQuestion : given else {
        throw CommandLineUsageError(
            session.file == nil ? "give a question" : "give a question: the session has no unfinished one")
    }
    if session.unfinishedQuestion != question && session.finishedAnswer(to: question) == nil {
        try session.start(question)
    }
    let decisions = session.steps.count
    if session.file != nil && decisions > 0 {
        say("Resuming the session in \(options.string("session") ?? ""): \(decisions) decisions recorded.")
    }
    say("You are H for: \(question)")
    say(HumanSettings.explanation(assistant: assistantKind, depth: depth))
    if session.file == nil { say("(No --session: nothing is saved.)") }

    var configuration = HCHConfiguration()
    configuration.depth = depth
    // A question recurring anywhere in the tree is put to the person once.
    configuration.memoization = true
    let supervisor = HumanSupervisor(interface: TerminalHumanInterface(), session: session)
    let answer: String
    if assistantKind == "model" {
        let client = try ChatCompletionsClient(configuration: try chatConfiguration(options, replaying: false))
        let assistant = SessionAssistant(try LanguageModelAssistant(client: client), session: session)
        answer = try await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
            .run(question).result.get()
    } else {
        answer = try await HCHEngine(supervisor: supervisor, configuration: configuration).run(question).result.get()
    }
    if session.finishedAnswer(to: question) == nil { try session.finish(question, answer: answer) }
    say("\nAnswer: \(answer)")
    say("\(session.steps.count) decisions in the session.")
}

/// Writes a line at once: the person's prompts are written unbuffered, and the two must not cross.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The session settings the command line asks for.
private func requestedSettings(_ options: CommandLineOptions) throws -> [String: String] {
    let assistant = try options.choice("assistant", of: ["human", "model", "none"], default: "human")
    var settings = ["assistant": assistant]
    if options.contains("depth") {
        guard assistant != "none" else {
            throw CommandLineUsageError("--depth does not apply to --assistant none: H answers alone")
        }
        settings["depth"] = String(try options.integer("depth", default: 0))
        _ = try HumanSettings.depth(settings["depth"], assistant: assistant)
    }
    return settings
}

/// Refuses options that contradict the settings an existing session was created with.
private func checkSettings(_ options: CommandLineOptions, against session: HumanSession) throws {
    let requested = try requestedSettings(options)
    for name in ["assistant", "depth"] where options.contains(name) && requested[name] != session.settings[name] {
        let created =
            session.settings[name].map { "the session was created with --\(name) \($0)" }
            ?? "the session was created without --\(name)"
        throw CommandLineUsageError(created + "; leave --\(name) out to resume it, or start a new session")
    }
}

enum HumanSettings {
    static func depth(_ text: String?, assistant: String) throws -> HCHDepth {
        if assistant == "none" { return .levels(0) }
        guard let text else { return assistant == "model" ? .levels(1) : .unlimited }
        guard let levels = Int(text), levels >= 0 else {
            throw CommandLineUsageError("--depth needs a whole number at least 0, not \(text)")
        }
        return .levels(levels)
    }

    static func explanation(assistant: String, depth: HCHDepth) -> String {
        switch assistant {
        case "none": "You answer alone (HCH_0)."
        case "model":
            depth == .levels(1)
                ? "Your subquestions go to the model (Amp(H, X))."
                : "Your subquestions go to copies of you, \(depth) levels deep, and the model answers at the bottom."
        default:
            depth == .unlimited
                ? "Your subquestions go to further copies of you (HCH), one at a time at this terminal."
                : "Your subquestions go to further copies of you, \(depth) levels deep (HCH_\(depth))."
        }
    }
}

/// `amplify human export`: what a session taught, as demonstrations or fine-tuning data.
private func exportHumanSession(_ options: CommandLineOptions) throws {
    guard let directory = options.string("session") else {
        throw CommandLineUsageError("human export needs --session DIR")
    }
    let demonstrationsPath = options.string("demonstrations")
    let fineTuningPath = options.string("fine-tuning")
    guard demonstrationsPath != nil || fineTuningPath != nil else {
        throw CommandLineUsageError("human export needs --demonstrations FILE or --fine-tuning FILE")
    }
    let sessionDirectory = URL(fileURLWithPath: directory)
    guard FileManager.default.fileExists(atPath: sessionDirectory.appendingPathComponent(HumanSession.fileName).path)
    else {
        throw CommandLineError("\(directory) holds no session (no \(HumanSession.fileName))")
    }
    let session = try HumanSession(directory: sessionDirectory)
    if let path = demonstrationsPath {
        let url = URL(fileURLWithPath: path)
        let writer = try JSONLinesWriter(
            url: url, truncatingTo: FileManager.default.fileExists(atPath: path) ? 0 : nil)
        let demonstrations = session.demonstrations
        try writer.append(contentsOf: demonstrations)
        try writer.close()
        say("wrote \(demonstrations.count) demonstrations (question → answer) to \(path)")
    }
    if let path = fineTuningPath {
        let steps = session.steps
        try FineTuningData(systemPrompt: FineTuningData.humanStepSystemPrompt).export(
            steps, to: URL(fileURLWithPath: path))
        say("wrote \(steps.count) decomposition steps (workspace → response) to \(path)")
    }
}
