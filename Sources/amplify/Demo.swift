import Foundation
import IteratedAmplification

/// HCH counts the primes below a limit: a question too big for the assistant alone.
func runDemo(_ options: CommandLineOptions) async throws {
    let limit = try options.integer("limit", default: 100_000)
    let leaf = try options.integer("leaf", default: 1_000)
    guard limit >= 2, leaf >= 1 else { throw CommandLineError("--limit must be at least 2 and --leaf at least 1") }

    // H: a range small enough goes to the assistant; a larger one splits into ten parts asked in parallel.
    let supervisor = ClosureSupervisor<Range<Int>, Int> { range, consultation in
        if range.count <= leaf || !consultation.canConsult {
            return try await consultation.askAssistant(range)
        }
        let step = (range.count + 9) / 10
        let parts = stride(from: range.lowerBound, to: range.upperBound, by: step).map {
            $0..<min($0 + step, range.upperBound)
        }
        return try await consultation.askAll(parts).reduce(0, +)
    }
    // X: counts the primes of a small range by trial division, and reports the divisions as its cost.
    let assistant = ClosureAssistant<Range<Int>, Int> { range in
        var count = 0
        var divisions = 0
        for candidate in range where candidate >= 2 {
            var divisor = 2
            var isPrime = true
            while divisor * divisor <= candidate {
                divisions += 1
                if candidate % divisor == 0 {
                    isPrime = false
                    break
                }
                divisor += 1
            }
            if isPrime { count += 1 }
        }
        CostMeter.report(Double(divisions))
        return count
    }

    var configuration = HCHConfiguration()
    configuration.depth =
        options.string("depth") == nil ? .unlimited : .levels(try options.integer("depth", default: 0))
    configuration.maximumConcurrentAssistantCalls = try options.integer("cap", default: 8)
    configuration.tracing = true
    let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)

    print("HCH counts the primes below \(limit); the assistant counts ranges of at most \(leaf) numbers.")
    let outcome = await engine.run(0..<limit)
    let answer = try outcome.result.get()
    let expected = sieveCount(below: limit)
    let statistics = outcome.statistics
    print("answer: \(answer) primes (a sieve says \(expected): \(answer == expected ? "correct" : "WRONG"))")
    print(
        "run: \(statistics.nodes) nodes, \(statistics.supervisorCalls) supervisor calls, "
            + "\(statistics.assistantCalls) assistant calls, \(Int(statistics.cost)) trial divisions, "
            + "\(outcome.duration.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))"
    )
    if let trace = outcome.trace {
        let maximumDepth = trace.nodes.map(\.depth).max() ?? 0
        print("trace: \(trace.nodes.count) nodes, \(maximumDepth + 1) levels")
        if let path = options.string("trace") {
            try trace.jsonData(prettyPrinted: true).write(to: URL(fileURLWithPath: path))
            print("wrote the trace to \(path)")
        }
        if let path = options.string("chrome-trace") {
            try trace.chromeTraceData(processName: "amplify demo").write(to: URL(fileURLWithPath: path))
            print("wrote Chrome trace events to \(path) (open them in ui.perfetto.dev)")
        }
    }
    if answer != expected { throw CommandLineError("the demo's answer is wrong") }
}

/// Counts primes with a sieve: an independent check of the demo's answer.
func sieveCount(below limit: Int) -> Int {
    guard limit > 2 else { return 0 }
    var composite = [Bool](repeating: false, count: limit)
    var count = 0
    for number in 2..<limit where !composite[number] {
        count += 1
        var multiple = number * number
        while multiple < limit {
            composite[multiple] = true
            multiple += number
        }
    }
    return count
}
