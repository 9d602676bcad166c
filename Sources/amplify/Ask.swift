import AmplificationLanguageModels
import CommandLineSupport
import Foundation
import IteratedAmplification

/// `amplify ask`: HCH with a model as both the supervisor and the assistant.
func runAsk(_ arguments: [String]) async throws {
    let options = try CommandLineOptions(
        arguments,
        valueOptions: [
            "base-url", "model", "depth", "max-subquestions", "budget-tokens", "cap", "trace", "record", "replay",
        ],
        takesPositionals: true)
    let question = options.positionals.joined(separator: " ")
    guard !question.isEmpty else { throw CommandLineUsageError("ask needs a question") }
    let depth = try options.integer("depth", default: 2)
    let maximumSubquestions = try options.integer("max-subquestions", default: 4)
    let cap = try options.integer("cap", default: 4)
    guard depth >= 0, maximumSubquestions >= 1, cap >= 1 else {
        throw CommandLineUsageError("--depth must be at least 0, --max-subquestions and --cap at least 1")
    }

    let cache = try chatCache(options)
    let clientConfiguration = try chatConfiguration(options, replaying: cache?.mode == .replay)
    let progress = ProgressLine()
    let client = try ChatCompletionsClient(configuration: clientConfiguration, cache: cache) { event in
        switch event.kind {
        case .requestSent: progress.callStarted()
        case .completed: progress.callEnded(tokens: event.usage?.totalTokens ?? 0)
        case .failed, .retryScheduled: progress.callEnded(tokens: 0)
        default: break
        }
    }
    let supervisor = try LanguageModelSupervisor(client: client, maximumSubquestions: maximumSubquestions)
    let assistant = try LanguageModelAssistant(client: client)

    var configuration = HCHConfiguration()
    configuration.depth = .levels(depth)
    configuration.maximumConcurrentAssistantCalls = cap
    configuration.memoization = true
    configuration.tracing = true
    // A trace written to a file is for reading: it keeps each node's prompts and raw replies.
    configuration.recordsModelCalls = options.contains("trace")
    if options.contains("budget-tokens") {
        let tokens = try options.integer("budget-tokens", default: 0)
        guard tokens >= 1 else { throw CommandLineUsageError("--budget-tokens needs a whole number at least 1") }
        configuration.budget.maximumCost = Double(tokens)
    }
    let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
    let (events, continuation) = AsyncStream<EngineEvent<String, String>>.makeStream()
    let outcome = await withTaskGroup(of: RunOutcome<String, String>?.self) { group in
        group.addTask {
            for await event in events {
                if case .nodeFinished = event { progress.nodeFinished() }
            }
            return nil
        }
        group.addTask {
            let outcome = await engine.run(question, events: continuation)
            continuation.finish()
            return outcome
        }
        var outcome: RunOutcome<String, String>?
        for await result in group where result != nil { outcome = result }
        return outcome
    }
    progress.clear()
    guard let outcome else { throw CommandLineError("the run ended without an outcome") }

    if let trace = outcome.trace {
        if let path = options.string("trace") {
            try trace.jsonData(prettyPrinted: true).write(to: URL(fileURLWithPath: path))
        }
        let tree = TraceTree(trace: trace, describeQuestion: { $0 }, describeAnswer: { $0 }, costUnit: "tokens")
        let answerLine: String
        switch outcome.result {
        case .success(let answer): answerLine = answer
        case .failure(let error): answerLine = "(no answer: \(error))"
        }
        print(answerLine)
        print("")
        for line in tree.lines(limit: 2_000, hint: "--trace PATH writes them all") { print(line) }
    }
    let statistics = outcome.statistics
    print("")
    print(
        "\(statistics.nodes) nodes, \(statistics.supervisorCalls) supervisor calls, \(statistics.assistantCalls) "
            + "assistant calls, \(Int(statistics.cost)) tokens, "
            + String(format: "%.2f s", outcome.duration.secondsValue))
    if let cache { print(cacheSummary(cache)) }
    if let path = options.string("trace") { print("wrote the trace to \(path)") }
    _ = try outcome.result.get()
}
