import Foundation
import IteratedAmplification

/// A trace as an indented tree, one node per line: question → answer, then role, time, cost and what went wrong.
///
/// ```text
/// Sum 1+2+3+4 → 10  [supervisor · 1.20 s · 342 tokens]
///   Sum 1+2 → 3  [supervisor · 0.61 s · 120 tokens]
///     Sum 1 → 1  [assistant · 0.20 s · 31 tokens]
/// ```
struct TraceTree<Question: Sendable, Answer: Sendable> {
    let trace: Trace<Question, Answer>
    let describeQuestion: (Question) -> String
    let describeAnswer: (Answer) -> String
    /// What the nodes' cost counts, as a unit after the number ("tokens"), or `nil` to write "cost N".
    let costUnit: String?

    /// The tree's lines, at most `limit` of them; then a line saying how many were left out, and `hint`.
    func lines(limit: Int, hint: String) -> [String] {
        guard let root = trace.root else { return ["(an empty trace)"] }
        var lines: [String] = []
        var stack = [root]
        var shown = 0
        while let node = stack.popLast() {
            if shown == limit {
                lines.append("… \(trace.nodes.count - shown) more nodes (\(hint))")
                break
            }
            lines.append(line(for: node))
            shown += 1
            stack.append(contentsOf: trace.children(of: node).reversed())
        }
        return lines
    }

    func line(for node: TraceNode<Question, Answer>) -> String {
        let indent = String(repeating: "  ", count: node.depth)
        let answer = node.answer.map { " → " + oneLine(describeAnswer($0)) } ?? ""
        var details = [node.role.rawValue, String(format: "%.2f s", node.duration.secondsValue)]
        if node.cost > 0 {
            let cost = node.cost == node.cost.rounded() ? String(Int(node.cost)) : String(format: "%.2f", node.cost)
            details.append(costUnit.map { "\(cost) \($0)" } ?? "cost \(cost)")
        }
        switch node.cache {
        case .memoized: details.append("memoized")
        case .sharedCache: details.append("cached")
        case .miss: break
        }
        if node.retries > 0 { details.append("\(node.retries) retries") }
        if !node.modelCalls.isEmpty {
            details.append(node.modelCalls.count == 1 ? "1 model call" : "\(node.modelCalls.count) model calls")
        }
        if node.unaided { details.append("answered without help") }
        var line =
            "\(indent)\(oneLine(describeQuestion(node.question)))\(answer)  [\(details.joined(separator: " · "))]"
        if let error = node.error { line += "\n\(indent)  ✗ \(oneLine(error))" }
        return line
    }

    private func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
        return flat.count > 160 ? String(flat.prefix(160)) + "…" : flat
    }
}

extension Duration {
    /// The duration in seconds.
    var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
