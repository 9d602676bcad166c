import AmplificationLanguageModels
import CommandLineSupport
import Foundation

/// The model server a subcommand talks to: `--base-url` and `--model`, or `LLM_BASE_URL` and `LLM_MODEL`, with the
/// key from `LLM_API_KEY`; temperature 0, so the same question gets the same tree.
///
/// - Parameter replaying: Whether every reply comes from a recording: then no server is needed, but the model's
///   name still is, since every recorded request names it.
func chatConfiguration(_ options: CommandLineOptions, replaying: Bool) throws -> ChatCompletionsConfiguration {
    let environment = ProcessInfo.processInfo.environment
    let baseURLText =
        options.string("base-url") ?? environment["LLM_BASE_URL"] ?? (replaying ? "http://replay.invalid/v1" : nil)
    guard let baseURLText else { throw CommandLineUsageError("set LLM_BASE_URL or give --base-url URL") }
    guard let baseURL = URL(string: baseURLText), baseURL.scheme == "http" || baseURL.scheme == "https" else {
        throw CommandLineUsageError("--base-url needs an http or https URL, not '\(baseURLText)'")
    }
    guard let model = options.string("model") ?? environment["LLM_MODEL"] else {
        throw CommandLineUsageError("set LLM_MODEL or give --model NAME")
    }
    var configuration = ChatCompletionsConfiguration(
        baseURL: baseURL, model: model, apiKey: APIKey.environment("LLM_API_KEY", in: environment))
    configuration.temperature = 0
    return configuration
}

/// The cache of model replies `--record DIR` or `--replay DIR` asks for, if either.
func chatCache(_ options: CommandLineOptions) throws -> ChatCompletionsCache? {
    switch (options.string("record"), options.string("replay")) {
    case (nil, nil): return nil
    case (let directory?, nil):
        return try ChatCompletionsCache(directory: URL(fileURLWithPath: directory), mode: .record)
    case (nil, let directory?):
        return try ChatCompletionsCache(directory: URL(fileURLWithPath: directory), mode: .replay)
    case (_?, _?): throw CommandLineUsageError("--record and --replay cannot be used together")
    }
}

/// Where a run's model replies went or came from, as the last line of its output says.
func cacheSummary(_ cache: ChatCompletionsCache) -> String {
    "\(cache.mode == .record ? "recorded in" : "replayed from") \(cache.directory.path) (\(cache.count) replies)"
}
