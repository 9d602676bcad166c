import IteratedAmplification

/// The contiguous parts of a range split k ways; empty parts are dropped.
///
/// Every implementation (engine, floor, peers) splits the same way, so the trees are identical.
func split(_ range: Range<Int>, into branching: Int) -> [Range<Int>] {
    let count = range.count
    var parts: [Range<Int>] = []
    parts.reserveCapacity(min(branching, count))
    var lower = range.lowerBound
    for index in 1...branching {
        let upper = range.lowerBound + count * index / branching
        if upper > lower { parts.append(lower..<upper) }
        lower = upper
    }
    return parts
}

/// The number of nodes (inner nodes and leaves) of the workload's tree over `count` leaves.
func treeNodes(leaves count: Int, branching: Int) -> Int {
    if count <= 1 { return 1 }
    var total = 1
    var lower = 0
    for index in 1...branching {
        let upper = count * index / branching
        if upper > lower { total += treeNodes(leaves: upper - lower, branching: branching) }
        lower = upper
    }
    return total
}

/// H for "sum of the integers in [lo, hi)": a leaf goes to the assistant, otherwise k parts in parallel.
struct ParallelSumSupervisor: Supervisor {
    let branching: Int

    func respond(to range: Range<Int>, consulting consultation: Consultation<Range<Int>, Int>) async throws -> Int {
        if range.count <= 1 { return try await consultation.askAssistant(range) }
        let answers = try await consultation.askAll(split(range, into: branching))
        var total = 0
        for answer in answers { total &+= answer }
        return total
    }
}

/// H that asks its parts one after another, each after the previous answer arrived.
struct SequentialSumSupervisor: Supervisor {
    let branching: Int

    func respond(to range: Range<Int>, consulting consultation: Consultation<Range<Int>, Int>) async throws -> Int {
        if range.count <= 1 { return try await consultation.askAssistant(range) }
        var total = 0
        for part in split(range, into: branching) { total &+= try await consultation.ask(part) }
        return total
    }
}

/// X: answers a one-element range with its element, after a simulated model latency.
struct LeafAssistant: Assistant {
    let latency: Duration?

    func answer(_ range: Range<Int>) async throws -> Int {
        if let latency { try await Task.sleep(for: latency) }
        return range.first ?? 0
    }
}

// MARK: Memoization workload

/// A window of a periodic sequence: the sum of `i mod period` for `count` consecutive `i` from `start`.
///
/// Windows that start at the same phase and have the same length are the same question, so a tree over
/// a long range asks the same subquestions again and again: the memoization case.
struct PeriodicWindow: Hashable, Sendable {
    var start: Int
    var count: Int
}

/// H for periodic windows: splits like the range workload, each part normalised to its phase.
struct PeriodicSumSupervisor: Supervisor {
    let branching: Int
    let period: Int

    func respond(
        to window: PeriodicWindow,
        consulting consultation: Consultation<PeriodicWindow, Int>
    ) async throws -> Int {
        if window.count <= 1 { return try await consultation.askAssistant(window) }
        let parts = split(0..<window.count, into: branching).map {
            PeriodicWindow(start: (window.start + $0.lowerBound) % period, count: $0.count)
        }
        let answers = try await consultation.askAll(parts)
        var total = 0
        for answer in answers { total &+= answer }
        return total
    }
}

/// X for periodic windows: a window of one element is worth its phase.
struct PeriodicLeafAssistant: Assistant {
    func answer(_ window: PeriodicWindow) async throws -> Int {
        window.count == 1 ? window.start : 0
    }
}
