public import Foundation

extension Trace {
    /// Returns the trace in the Chrome trace event format, which Perfetto (ui.perfetto.dev) and
    /// chrome://tracing open.
    ///
    /// Each node becomes a complete event ("ph": "X") named after its question, with its answer, role,
    /// depth, cost and cache outcome in `args`. Nodes are laid on tracks ("tid") so that a child nests under
    /// its parent where it can, and parallel siblings take tracks of their own.
    ///
    /// - Parameter processName: The name shown for the process track.
    /// - Returns: The JSON document, `{"traceEvents": [...]}`.
    public func chromeTraceData(processName: String = "HCH") throws -> Data {
        let lanes = chromeTraceLanes()
        var events: [ChromeTraceEvent] = [
            ChromeTraceEvent(
                name: "process_name", ph: "M", ts: 0, dur: nil, pid: 1, tid: 0, cat: nil,
                args: ["name": processName]
            )
        ]
        events.reserveCapacity(nodes.count + 1)
        for node in nodes {
            var args: [String: String] = [
                "node": String(node.id),
                "depth": String(node.depth),
                "role": node.role.rawValue,
                "cache": node.cache.rawValue,
            ]
            if let answer = node.answer { args["answer"] = String(describing: answer) }
            if let error = node.error { args["error"] = error }
            if node.cost > 0 { args["cost"] = String(node.cost) }
            if node.retries > 0 { args["retries"] = String(node.retries) }
            let start = node.start.seconds * 1e6
            events.append(
                ChromeTraceEvent(
                    name: String(describing: node.question),
                    ph: "X",
                    ts: start,
                    dur: max(0, node.end.seconds * 1e6 - start),
                    pid: 1,
                    tid: lanes[node.id],
                    cat: node.role.rawValue,
                    args: args
                )
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(ChromeTraceDocument(traceEvents: events))
    }

    /// Assigns every node a track: a child takes its parent's track while no sibling holds it, otherwise
    /// the lowest free track. Children finish within their parents, so slices on a track always nest.
    func chromeTraceLanes() -> [Int] {
        var lanes = [Int](repeating: 0, count: nodes.count)
        // Sweep over starts and ends in time order; at equal times ends come first, parents start first.
        var events: [(time: Duration, isStart: Bool, node: Int)] = []
        events.reserveCapacity(nodes.count * 2)
        for node in nodes {
            events.append((node.start, true, node.id))
            events.append((max(node.start, node.end), false, node.id))
        }
        events.sort { lhs, rhs in
            if lhs.time != rhs.time { return lhs.time < rhs.time }
            if lhs.isStart != rhs.isStart { return !lhs.isStart }
            return lhs.isStart ? lhs.node < rhs.node : lhs.node > rhs.node
        }
        var parentLaneLent = [Bool](repeating: false, count: nodes.count)
        var borrowedParentLane = [Bool](repeating: false, count: nodes.count)
        var freeLanes = LaneHeap()
        var laneCount = 1
        for event in events {
            let node = nodes[event.node]
            if event.isStart {
                if let parent = node.parent, !parentLaneLent[parent] {
                    parentLaneLent[parent] = true
                    borrowedParentLane[node.id] = true
                    lanes[node.id] = lanes[parent]
                } else if node.parent == nil {
                    lanes[node.id] = 0
                } else if let lowest = freeLanes.popMin() {
                    lanes[node.id] = lowest
                } else {
                    lanes[node.id] = laneCount
                    laneCount += 1
                }
            } else if let parent = node.parent {
                if borrowedParentLane[node.id] {
                    parentLaneLent[parent] = false
                } else {
                    freeLanes.insert(lanes[node.id])
                }
            }
        }
        return lanes
    }
}

struct ChromeTraceDocument: Encodable {
    var traceEvents: [ChromeTraceEvent]
    var displayTimeUnit = "ms"
}

struct ChromeTraceEvent: Encodable {
    var name: String
    var ph: String
    var ts: Double
    var dur: Double?
    var pid: Int
    var tid: Int
    var cat: String?
    var args: [String: String]
}

/// A binary min-heap of free track numbers, so the lowest free track is found in logarithmic time.
struct LaneHeap {
    private var items: [Int] = []

    mutating func insert(_ lane: Int) {
        items.append(lane)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
