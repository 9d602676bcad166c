import Foundation

/// Median, minimum and maximum of repeated timings.
struct Timing: Sendable {
    var median: Double
    var minimum: Double
    var maximum: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        minimum = sorted.first ?? 0
        maximum = sorted.last ?? 0
    }
}

/// The figures of one case.
struct CaseResult: Encodable, Sendable {
    var benchmark: BenchmarkCase
    var engine: Timing
    var floor: Timing
    var engineMemory: ResidentFootprint?
    var floorMemory: ResidentFootprint?
    var assistantCalls: Int
    /// Memoization case: the engine with memoization off, and its assistant calls.
    var withoutMemo: Timing?
    var withoutMemoAssistantCalls: Int?

    var nodes: Int { benchmark.nodes }
    var ratio: Double { engine.median / floor.median }
    var boundRatio: Double? { benchmark.latencyBoundSeconds.map { engine.median / $0 } }
    var floorBoundRatio: Double? { benchmark.latencyBoundSeconds.map { floor.median / $0 } }
    var bytesPerNode: Double? { engineMemory.map { Double($0.growth) / Double(nodes) } }
    var floorBytesPerNode: Double? { floorMemory.map { Double($0.growth) / Double(nodes) } }

    enum CodingKeys: String, CodingKey {
        case name, shape, leaves, nodes, branching, latencyMs, cap, tracing
        case medianSeconds, minSeconds, maxSeconds, floorMedianSeconds, floorMinSeconds, floorMaxSeconds
        case nanosecondsPerNode, floorNanosecondsPerNode, ratio, boundRatio, floorBoundRatio
        case bytesPerNode, floorBytesPerNode, peakResidentBytes, floorPeakResidentBytes
        case assistantCalls, assistantCallsSaved, memoSpeedup
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(benchmark.name, forKey: .name)
        try container.encode(benchmark.shape.rawValue, forKey: .shape)
        try container.encode(benchmark.leaves, forKey: .leaves)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(benchmark.branching, forKey: .branching)
        try container.encode(benchmark.latencyMilliseconds, forKey: .latencyMs)
        try container.encode(benchmark.cap, forKey: .cap)
        try container.encode(benchmark.tracing, forKey: .tracing)
        try container.encode(engine.median, forKey: .medianSeconds)
        try container.encode(engine.minimum, forKey: .minSeconds)
        try container.encode(engine.maximum, forKey: .maxSeconds)
        try container.encode(floor.median, forKey: .floorMedianSeconds)
        try container.encode(floor.minimum, forKey: .floorMinSeconds)
        try container.encode(floor.maximum, forKey: .floorMaxSeconds)
        try container.encode(engine.median / Double(nodes) * 1e9, forKey: .nanosecondsPerNode)
        try container.encode(floor.median / Double(nodes) * 1e9, forKey: .floorNanosecondsPerNode)
        try container.encode(ratio, forKey: .ratio)
        try container.encode(boundRatio, forKey: .boundRatio)
        try container.encode(floorBoundRatio, forKey: .floorBoundRatio)
        try container.encode(bytesPerNode, forKey: .bytesPerNode)
        try container.encode(floorBytesPerNode, forKey: .floorBytesPerNode)
        try container.encode(engineMemory?.peak, forKey: .peakResidentBytes)
        try container.encode(floorMemory?.peak, forKey: .floorPeakResidentBytes)
        try container.encode(assistantCalls, forKey: .assistantCalls)
        try container.encode(withoutMemoAssistantCalls.map { $0 - assistantCalls }, forKey: .assistantCallsSaved)
        try container.encode(withoutMemo.map { $0.median / engine.median }, forKey: .memoSpeedup)
    }
}

/// Prints results as a table, one line per case as it finishes.
enum TablePrinter {
    static func header() -> String {
        [
            pad("case", 38), pad("nodes", 9, right: true), pad("engine median (min-max)", 27, right: true),
            pad("us/node", 8, right: true), pad("floor median", 13, right: true), pad("us/node", 8, right: true),
            pad("ratio", 6, right: true), pad("bound", 11, right: true), pad("B/node", 15, right: true),
            pad("peak MiB", 15, right: true),
        ].joined(separator: " ")
    }

    static func line(_ result: CaseResult) -> String {
        let engine = "\(ms(result.engine.median)) (\(ms(result.engine.minimum))-\(ms(result.engine.maximum)))"
        let nodes = Double(result.nodes)
        let bound = result.boundRatio.map { "\(fixed($0, 3))/\(fixed(result.floorBoundRatio ?? 0, 3))" } ?? "-"
        let bytes = "\(result.bytesPerNode.map { fixed($0, 0) } ?? "?")/\(result.floorBytesPerNode.map { fixed($0, 0) } ?? "?")"
        let peaks = [result.engineMemory, result.floorMemory].map { memory in
            memory.map { fixed(Double($0.peak) / 1_048_576, 1) } ?? "?"
        }
        var text = [
            pad(result.benchmark.name, 38), pad(String(result.nodes), 9, right: true), pad(engine, 27, right: true),
            pad(fixed(result.engine.median / nodes * 1e6, 3), 8, right: true),
            pad(ms(result.floor.median), 13, right: true),
            pad(fixed(result.floor.median / nodes * 1e6, 3), 8, right: true),
            pad(fixed(result.ratio, 2), 6, right: true), pad(bound, 11, right: true), pad(bytes, 15, right: true),
            pad(peaks.joined(separator: "/"), 15, right: true),
        ].joined(separator: " ")
        if let withoutMemo = result.withoutMemo, let calls = result.withoutMemoAssistantCalls {
            text += "\n    memoization: \(calls - result.assistantCalls) of \(calls) assistant calls saved"
                + " (\(result.assistantCalls) made); \(fixed(withoutMemo.median / result.engine.median, 2))x"
                + " faster than the engine without it (\(ms(withoutMemo.median)))"
        }
        return text
    }

    static let legend = """
        ratio: engine/floor median wall time. bound: wall time / latency bound (L, or ceil(N/C)*L with cap C), \
        engine/floor. B/node: resident-set growth per node in a fresh process, engine/floor. peak MiB: that \
        process's peak resident set, engine/floor.
        """

    static func ms(_ seconds: Double) -> String { fixed(seconds * 1_000, seconds < 0.01 ? 3 : 1) + "ms" }

    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        guard text.count < width else { return text }
        let padding = String(repeating: " ", count: width - text.count)
        return right ? padding + text : text + padding
    }
}
