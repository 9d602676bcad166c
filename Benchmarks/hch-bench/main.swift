// hch-bench: the HCH engine's per-node cost and latency behaviour, held against a bare TaskGroup floor.
//
// swift run -c release hch-bench [--quick] [--filter NAME] [--json PATH]
import CommandLineSupport
import Foundation

/// The command line of hch-bench.
struct Options {
    var quick = false
    var filter: String?
    var jsonPath: String?
    var memory = true
    /// Timed runs per case, overriding each case's own count (for profiling under valgrind).
    var runs: Int?

    static let usage = """
        usage: hch-bench [--quick] [--filter NAME] [--json PATH] [--no-memory] [--runs N]
          --quick        the small cases, for CI
          --filter NAME  only the cases whose name contains NAME
          --json PATH    write the figures as JSON
          --no-memory    skip the resident-memory cases
          --runs N       timed runs per case, overriding each case's own count
        """

    init(_ arguments: [String]) throws {
        let parsed = try CommandLineArguments(
            arguments, flags: ["--quick", "--no-memory"], valueOptions: ["--filter", "--json", "--runs"])
        if let extra = parsed.positionals.first { throw CommandLineUsageError("unexpected argument '\(extra)'") }
        quick = parsed.has("--quick")
        memory = !parsed.has("--no-memory")
        filter = parsed.last("--filter")?.value
        jsonPath = parsed.last("--json")?.value
        runs = try parsed.last("--runs")?.integer(in: 1...Int.max)
    }
}

/// Runs the selected cases: a discarded warm-up each, then engine and floor runs taken in turn.
@concurrent
func benchmarkMain(_ options: Options) async throws {
    let cases = (options.quick ? BenchmarkCase.quick : BenchmarkCase.full).filter {
        options.filter.map($0.name.contains) ?? true
    }
    let host = ProcessInfo.processInfo
    emit(
        "hch-bench\(options.quick ? " --quick" : ""): \(cases.count) cases, \(host.activeProcessorCount) cores, "
            + "\(host.physicalMemory >> 30) GiB, \(Date())")
    emit(TablePrinter.header())
    var results: [CaseResult] = []
    for var benchmark in cases {
        if let runs = options.runs { benchmark.runs = runs }
        var implementations: [Implementation] = [.engine, .floor]
        if benchmark.shape == .memoized { implementations.append(.engineWithoutMemo) }
        var samples: [Implementation: [Double]] = [:]
        var calls: [Implementation: Int] = [:]
        // The discarded warm-up; a million-leaf case warms up on 100,000 leaves (the runtime is as warm, in a third
        // of the time).
        var warmUp = benchmark
        warmUp.leaves = min(benchmark.leaves, 100_000)
        for implementation in implementations { _ = try await runOnce(warmUp, implementation) }
        for _ in 0..<benchmark.runs {
            for implementation in implementations {
                let run = try await runOnce(benchmark, implementation)
                samples[implementation, default: []].append(run.seconds)
                calls[implementation] = run.assistantCalls
            }
        }
        let result = CaseResult(
            benchmark: benchmark,
            engine: Timing(samples[.engine] ?? []),
            floor: Timing(samples[.floor] ?? []),
            engineMemory: options.memory ? MemoryProbe.measure(benchmark, .engine) : nil,
            floorMemory: options.memory ? MemoryProbe.measure(benchmark, .floor) : nil,
            assistantCalls: calls[.engine] ?? 0,
            withoutMemo: samples[.engineWithoutMemo].map(Timing.init),
            withoutMemoAssistantCalls: calls[.engineWithoutMemo]
        )
        results.append(result)
        emit(TablePrinter.line(result))
    }
    emit(TablePrinter.legend)
    if let path = options.jsonPath {
        struct Document: Encodable { var cases: [CaseResult] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(Document(cases: results)).write(to: URL(fileURLWithPath: path))
        emit("wrote \(path)")
    }
}

/// Writes a line to standard output at once: a full run takes minutes, and piped output would otherwise wait.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
await CommandLineTool.run(name: "hch-bench", usage: Options.usage) {
    if arguments.first == MemoryProbe.flag, arguments.count == 3 {
        try await MemoryProbe.runChild(caseName: arguments[1], implementation: arguments[2])
    } else {
        try await benchmarkMain(try Options(arguments))
    }
}
