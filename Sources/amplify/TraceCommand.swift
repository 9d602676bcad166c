import AmplificationLanguageModels
import CommandLineSupport
import Foundation
import IteratedAmplification

/// `amplify trace show FILE` and `amplify trace html FILE -o PAGE.html`: a trace written by `--trace` (or by
/// `Trace.jsonData`), as an indented tree or as a page.
func runTrace(_ arguments: [String]) throws {
    guard let subcommand = arguments.first else {
        throw CommandLineUsageError("trace needs a subcommand: show FILE or html FILE -o PAGE.html")
    }
    let rest = Array(arguments.dropFirst()).map { $0 == "-o" ? "--output" : $0 }
    switch subcommand {
    case "show":
        let options = try CommandLineOptions(rest, valueOptions: ["limit"], takesPositionals: true)
        let trace = try loadTrace(try onlyFile(options))
        let limit = try options.integer("limit", default: Int.max)
        guard limit >= 1 else { throw CommandLineUsageError("--limit needs a whole number at least 1") }
        let tree = TraceTree(
            trace: trace, describeQuestion: describe, describeAnswer: describe, costUnit: nil)
        for line in tree.lines(limit: limit, hint: "--limit N shows more") { print(line) }
    case "html":
        let options = try CommandLineOptions(rest, valueOptions: ["output"], takesPositionals: true)
        let file = try onlyFile(options)
        guard let output = options.string("output") else {
            throw CommandLineUsageError("trace html needs -o PAGE.html")
        }
        let trace = try loadTrace(file)
        // Compact: a pretty-printed trace of 100,000 nodes is twice the size, and the page parses all of it.
        let page = TraceHTML.page(
            traceJSON: try trace.jsonData(), title: "Trace: " + (trace.root.map { describe($0.question) } ?? file))
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandLineError("cannot write \(output): \(error.localizedDescription)")
        }
        print("wrote \(output) (\(trace.nodes.count) nodes)")
    case "steps":
        let options = try CommandLineOptions(rest, valueOptions: ["output"], takesPositionals: true)
        let file = try onlyFile(options)
        guard let output = options.string("output") else { throw CommandLineUsageError("trace steps needs -o FILE") }
        let data = try readTraceFile(file)
        _ = try decodeTrace(data, file: file)
        guard let textTrace = try? Trace<String, String>(jsonData: data) else {
            throw CommandLineError("\(file)'s questions and answers are not all text; H's steps need text")
        }
        let steps = textTrace.humanSteps
        try FineTuningData(systemPrompt: FineTuningData.humanStepSystemPrompt)
            .export(steps, to: URL(fileURLWithPath: output))
        print("wrote \(steps.count) decomposition steps (workspace → response) to \(output)")
    default:
        throw CommandLineUsageError("unknown trace subcommand '\(subcommand)'; use show, html or steps")
    }
}

private func onlyFile(_ options: CommandLineOptions) throws -> String {
    guard options.positionals.count == 1 else {
        throw CommandLineUsageError(options.positionals.isEmpty ? "give the trace file" : "give one trace file")
    }
    return options.positionals[0]
}

private func loadTrace(_ file: String) throws -> Trace<JSONValue, JSONValue> {
    try decodeTrace(try readTraceFile(file), file: file)
}

private func readTraceFile(_ file: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: file))
    } catch {
        throw CommandLineError("cannot read \(file): \(error.localizedDescription)")
    }
}

/// Any trace: its questions and answers are read as JSON values, whatever types wrote them.
private func decodeTrace(_ data: Data, file: String) throws -> Trace<JSONValue, JSONValue> {
    do {
        return try Trace<JSONValue, JSONValue>(jsonData: data)
    } catch let error as DecodingError {
        throw CommandLineError("\(file) is not a trace (as --trace writes them): \(describe(error))")
    }
}

private func describe(_ value: JSONValue) -> String {
    value.stringValue ?? value.encodedText()
}

private func describe(_ error: DecodingError) -> String {
    switch error {
    case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
        .valueNotFound(_, let context):
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return path.isEmpty ? context.debugDescription : "at \(path): \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
