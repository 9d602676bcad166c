import AmplificationLanguageModels
import CommandLineSupport
import Foundation
import IteratedAmplification

/// `amplify audit FILE` and `amplify read FILE QUESTION`: the recipes, HCH with a program as H and a model as the
/// assistant (see `Recipes/`).
func runRecipe(_ name: String, _ arguments: [String]) async throws {
    let options = try CommandLineOptions(
        arguments, valueOptions: ["base-url", "model", "cap", "trace", "record", "replay"], takesPositionals: true)
    let positionals = options.positionals
    switch name {
    case "audit" where positionals.count != 1: throw CommandLineUsageError("audit needs one source file")
    case "read" where positionals.count < 2: throw CommandLineUsageError("read needs a file and a question")
    default: break
    }
    let cap = try options.integer("cap", default: 4)
    guard cap >= 1 else { throw CommandLineUsageError("--cap needs a whole number at least 1") }
    let cache = try chatCache(options)
    let client = try ChatCompletionsClient(
        configuration: try chatConfiguration(options, replaying: cache?.mode == .replay), cache: cache)
    let assistant = try LanguageModelAssistant(client: client)
    var configuration = HCHConfiguration()
    configuration.maximumConcurrentAssistantCalls = cap
    configuration.tracing = true
    configuration.recordsModelCalls = options.contains("trace")
    let outcome: RunOutcome<String, String>
    switch name {
    case "audit":
        let source = try readText(positionals[0])
        let supervisor = CodeAuditSupervisor(
            file: positionals[0], functions: SourceFunctions.find(in: source), client: client)
        configuration.depth = 1
        outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
            .run(CodeAuditSupervisor.rootQuestion)
    default:
        let question = positionals.dropFirst().joined(separator: " ")
        let sections = DocumentReadingSupervisor.sections(of: try readText(positionals[0]))
        guard !sections.isEmpty else { throw CommandLineError("\(positionals[0]) is empty") }
        let supervisor = DocumentReadingSupervisor(sections: sections, question: question, client: client)
        outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
            .run(DocumentReadingSupervisor.groupQuestion(0..<sections.count, question))
    }
    if let path = options.string("trace"), let trace = outcome.trace {
        try trace.jsonData(prettyPrinted: true).write(to: URL(fileURLWithPath: path))
    }
    let answer = try outcome.result.get()
    print(answer)
    let statistics = outcome.statistics
    print(
        "\n(\(statistics.nodes) nodes, \(statistics.assistantCalls) assistant calls, \(Int(statistics.cost)) tokens; "
            + String(format: "%.1f s", outcome.duration.secondsValue) + ")")
    if let cache { print(cacheSummary(cache)) }
}

private func readText(_ path: String) throws -> String {
    do {
        return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
    } catch {
        throw CommandLineError("cannot read \(path): \(error.localizedDescription)")
    }
}
