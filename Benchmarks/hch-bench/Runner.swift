import IteratedAmplification

/// What runs a case: the engine, the bare floor, or (memo case) the engine with memoization off.
enum Implementation: String, Sendable, CaseIterable {
    case engine
    case floor
    case engineWithoutMemo = "engine-nomemo"
}

/// What one run did.
struct RunResult: Sendable {
    var seconds: Double
    var assistantCalls: Int
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs one implementation of a case once, off the main actor, and checks the answer.
@concurrent
func runOnce(_ benchmark: BenchmarkCase, _ implementation: Implementation) async throws -> RunResult {
    let clock = ContinuousClock()
    let start = clock.now
    let answer: Int
    var assistantCalls = benchmark.leaves
    switch implementation {
    case .floor:
        let floor = Floor(branching: benchmark.branching, latency: benchmark.latency, cap: benchmark.cap)
        switch benchmark.shape {
        case .parallel: answer = try await floor.parallelSum(0..<benchmark.leaves)
        case .sequential: answer = try await floor.sequentialSum(0..<benchmark.leaves)
        case .memoized:
            answer = try await floor.periodicSum(
                PeriodicWindow(start: 0, count: benchmark.leaves), period: BenchmarkCase.period
            )
        }
    case .engine, .engineWithoutMemo:
        var configuration = HCHConfiguration()
        configuration.tracing = benchmark.tracing
        configuration.maximumConcurrentAssistantCalls = benchmark.cap
        configuration.memoization = benchmark.shape == .memoized && implementation == .engine
        let assistant = LeafAssistant(latency: benchmark.latency)
        let outcome: (Int, RunStatistics, Int)
        switch benchmark.shape {
        case .parallel:
            let engine = HCHEngine(
                supervisor: ParallelSumSupervisor(branching: benchmark.branching), assistant: assistant,
                configuration: configuration
            )
            outcome = try unpack(await engine.run(0..<benchmark.leaves))
        case .sequential:
            let engine = HCHEngine(
                supervisor: SequentialSumSupervisor(branching: benchmark.branching), assistant: assistant,
                configuration: configuration
            )
            outcome = try unpack(await engine.run(0..<benchmark.leaves))
        case .memoized:
            let engine = HCHEngine(
                supervisor: PeriodicSumSupervisor(branching: benchmark.branching, period: BenchmarkCase.period),
                assistant: PeriodicLeafAssistant(),
                configuration: configuration
            )
            outcome = try unpack(await engine.run(PeriodicWindow(start: 0, count: benchmark.leaves)))
        }
        answer = outcome.0
        assistantCalls = outcome.1.assistantCalls
        if benchmark.tracing, outcome.2 != outcome.1.nodes + outcome.1.memoizedAnswers {
            throw BenchmarkFailure(description: "\(benchmark.name): trace has \(outcome.2) nodes")
        }
    }
    let seconds = (clock.now - start).seconds
    guard answer == benchmark.expectedAnswer else {
        throw BenchmarkFailure(
            description: "\(benchmark.name) (\(implementation.rawValue)): answered \(answer), expected \(benchmark.expectedAnswer)"
        )
    }
    return RunResult(seconds: seconds, assistantCalls: assistantCalls)
}

/// The answer, statistics and trace size of an outcome; the trace is dropped here, inside the timed span.
private func unpack<Q>(_ outcome: RunOutcome<Q, Int>) throws -> (Int, RunStatistics, Int) {
    (try outcome.result.get(), outcome.statistics, outcome.trace?.nodes.count ?? 0)
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
