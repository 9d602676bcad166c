/// The shape of H in a case.
enum Shape: String, Sendable {
    /// H asks its k parts in parallel.
    case parallel
    /// H asks its k parts one after another.
    case sequential
    /// H asks parallel parts of a periodic sequence, so subquestions repeat; memoization on.
    case memoized
}

/// One benchmark case: the workload's parameters.
struct BenchmarkCase: Sendable {
    var shape: Shape
    var leaves: Int
    var branching: Int
    var latencyMilliseconds: Int
    var cap: Int?
    var tracing: Bool
    /// Timed runs after the discarded warm-up.
    var runs: Int

    /// The period of the memoization workload: leaves repeat every `period` positions.
    static let period = 16

    var name: String {
        let size = leaves >= 1_000_000 ? "\(leaves / 1_000_000)M" : leaves >= 1_000 ? "\(leaves / 1_000)k" : "\(leaves)"
        return "\(shape.rawValue)-n\(size)-k\(branching)-l\(latencyMilliseconds)ms-c\(cap.map(String.init) ?? "none")"
            + (tracing ? "-traced" : "")
    }

    var latency: Duration? { latencyMilliseconds > 0 ? .milliseconds(latencyMilliseconds) : nil }

    /// Nodes of the workload's tree: the denominator of every per-node figure, for engine and floor alike.
    var nodes: Int { treeNodes(leaves: leaves, branching: branching) }

    /// The wall time that latency alone forces: L when nothing caps the leaves, ceil(N/C) * L with cap C.
    var latencyBoundSeconds: Double? {
        guard latencyMilliseconds > 0 else { return nil }
        let waves = cap.map { (leaves + $0 - 1) / $0 } ?? 1
        return Double(waves * latencyMilliseconds) / 1_000
    }

    /// The expected root answer, computed without any recursion.
    var expectedAnswer: Int {
        switch shape {
        case .parallel, .sequential:
            return leaves * (leaves - 1) / 2
        case .memoized:
            let whole = leaves / Self.period
            let rest = leaves % Self.period
            return whole * (Self.period * (Self.period - 1) / 2) + rest * (rest - 1) / 2
        }
    }
}

extension BenchmarkCase {
    /// Every case of the full run.
    static var full: [BenchmarkCase] {
        var cases: [BenchmarkCase] = []
        for tracing in [false, true] {
            for branching in [2, 4] {
                for leaves in [1_000, 10_000, 100_000] {
                    cases.append(.init(parallel: leaves, branching, tracing: tracing))
                }
            }
        }
        for branching in [2, 4] {
            for leaves in [10_000, 100_000] {
                cases.append(.init(parallel: leaves, branching, cap: 64))
            }
        }
        // A million leaves: the memory targets (tracing on; tracing off under a cap, against 10,000).
        cases.append(.init(parallel: 1_000_000, 2, tracing: true))
        cases.append(.init(parallel: 1_000_000, 2, cap: 64))
        for branching in [2, 4] {
            for leaves in [1_000, 10_000] {
                for cap in [nil, 64] {
                    cases.append(.init(parallel: leaves, branching, latency: 20, cap: cap, runs: leaves >= 10_000 ? 3 : 5))
                }
            }
        }
        cases.append(.init(parallel: 10_000, 2, latency: 20, tracing: true, runs: 3))
        cases.append(BenchmarkCase(shape: .memoized, leaves: 100_000, branching: 2, latencyMilliseconds: 0,
                                   cap: nil, tracing: false, runs: 5))
        cases.append(BenchmarkCase(shape: .sequential, leaves: 100_000, branching: 2, latencyMilliseconds: 0,
                                   cap: nil, tracing: false, runs: 5))
        return cases
    }

    /// The subset that `--quick` runs (CI): small trees, both tracing modes, caps, latency, memo, sequence.
    static var quick: [BenchmarkCase] {
        var cases: [BenchmarkCase] = []
        for tracing in [false, true] {
            for branching in [2, 4] {
                for leaves in [1_000, 10_000] {
                    cases.append(.init(parallel: leaves, branching, tracing: tracing, runs: 5))
                }
            }
        }
        cases.append(.init(parallel: 10_000, 2, cap: 64, runs: 5))
        cases.append(.init(parallel: 1_000, 2, latency: 20, runs: 3))
        cases.append(.init(parallel: 1_000, 2, latency: 20, cap: 64, runs: 3))
        cases.append(BenchmarkCase(shape: .memoized, leaves: 10_000, branching: 2, latencyMilliseconds: 0,
                                   cap: nil, tracing: false, runs: 5))
        cases.append(BenchmarkCase(shape: .sequential, leaves: 10_000, branching: 2, latencyMilliseconds: 0,
                                   cap: nil, tracing: false, runs: 5))
        return cases
    }

    init(parallel leaves: Int, _ branching: Int, latency: Int = 0, cap: Int? = nil, tracing: Bool = false, runs: Int? = nil) {
        self.init(
            shape: .parallel, leaves: leaves, branching: branching, latencyMilliseconds: latency, cap: cap,
            tracing: tracing, runs: runs ?? (leaves >= 1_000_000 ? 1 : leaves >= 100_000 ? 3 : leaves >= 10_000 ? 5 : 10)
        )
    }
}
