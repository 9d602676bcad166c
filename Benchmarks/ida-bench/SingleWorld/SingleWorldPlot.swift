import Foundation

/// Draws one task's results as an SVG: accuracy on the evaluation questions by round (both arms) and horizon by round.
func svgPlot(_ result: TaskResult) -> String {
    let panelWidth = 420.0
    let panelHeight = 260.0
    let margin = (left: 60.0, right: 20.0, top: 50.0, bottom: 50.0)
    let width = margin.left + panelWidth + margin.left + panelWidth + margin.right
    let height = margin.top + panelHeight + margin.bottom + 30
    let rounds = result.rounds.map(\.round)
    let lastRound = max(1, rounds.last ?? 1)
    var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15" font-weight="bold">\
        \(result.task), size \(result.size), \(result.learner) learner, seed \(result.seed)</text>

        """

    func panel(
        originX: Double, title: String, yLabel: String, yRange: ClosedRange<Double>, yTicks: [Double],
        tickLabel: (Double) -> String, series: [(name: String, color: String, dash: String, values: [Double?])]
    ) {
        let x = { (round: Int) in originX + Double(round) / Double(lastRound) * panelWidth }
        let y = { (value: Double) in
            margin.top + panelHeight - (value - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
                * panelHeight
        }
        svg +=
            "<text x=\"\(originX + panelWidth / 2)\" y=\"\(margin.top - 12)\" text-anchor=\"middle\" "
            + "font-size=\"13\">\(title)</text>\n"
        for tick in yTicks {
            svg +=
                "<line x1=\"\(originX)\" y1=\"\(y(tick))\" x2=\"\(originX + panelWidth)\" y2=\"\(y(tick))\" "
                + "stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(originX - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(tickLabel(tick))</text>\n"
        }
        for round in rounds {
            svg +=
                "<text x=\"\(x(round))\" y=\"\(margin.top + panelHeight + 18)\" text-anchor=\"middle\">\(round)</text>\n"
        }
        svg +=
            "<rect x=\"\(originX)\" y=\"\(margin.top)\" width=\"\(panelWidth)\" height=\"\(panelHeight)\" "
            + "fill=\"none\" stroke=\"#888\"/>\n"
        svg +=
            "<text x=\"\(originX + panelWidth / 2)\" y=\"\(margin.top + panelHeight + 38)\" "
            + "text-anchor=\"middle\">round</text>\n"
        svg +=
            "<text transform=\"translate(\(originX - 44) \(margin.top + panelHeight / 2)) rotate(-90)\" "
            + "text-anchor=\"middle\">\(yLabel)</text>\n"
        for line in series {
            let points = zip(rounds, line.values).compactMap { round, value in
                value.map { "\(x(round)),\(y($0))" }
            }
            guard !points.isEmpty else { continue }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2.5\" "
                + "stroke-dasharray=\"\(line.dash)\" points=\"\(points.joined(separator: " "))\"/>\n"
            for point in points {
                let parts = point.split(separator: ",")
                svg += "<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"3.5\" fill=\"\(line.color)\"/>\n"
            }
        }
    }

    let amplification = (name: "amplification (Amp(H, X) answers only)", color: "#1f6fd1", dash: "none")
    let supervised = (name: "supervised (oracle labels)", color: "#e07b00", dash: "6 4")
    panel(
        originX: margin.left, title: "accuracy on the evaluation questions", yLabel: "accuracy", yRange: 0...1,
        yTicks: stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }, tickLabel: { "\(Int(($0 * 100).rounded()))%" },
        series: [
            (
                amplification.name, amplification.color, amplification.dash,
                result.rounds.map { $0.amplification.accuracy }
            ),
            (supervised.name, supervised.color, supervised.dash, result.rounds.map { $0.supervised.accuracy }),
        ])
    let low = Double(result.lowestDifficulty - 1)
    let high = Double(result.highestDifficulty)
    panel(
        originX: margin.left * 2 + panelWidth, title: "horizon (highest difficulty at 95% and below)",
        yLabel: "difficulty", yRange: low...max(high, low + 1),
        yTicks: stride(from: low, through: high, by: 1).map { $0 },
        tickLabel: { $0 == low ? "none" : "\(Int($0))" },
        series: [
            (
                amplification.name, amplification.color, amplification.dash,
                result.rounds.map { Double($0.amplification.horizon ?? Int(low)) }
            ),
            (
                supervised.name, supervised.color, supervised.dash,
                result.rounds.map { Double($0.supervised.horizon ?? Int(low)) }
            ),
        ])
    // Legend.
    let legendY = height - 14
    for (index, line) in [amplification, supervised].enumerated() {
        let x = margin.left + Double(index) * 360
        svg +=
            "<line x1=\"\(x)\" y1=\"\(legendY - 4)\" x2=\"\(x + 30)\" y2=\"\(legendY - 4)\" stroke=\"\(line.color)\" "
            + "stroke-width=\"2.5\" stroke-dasharray=\"\(line.dash)\"/>\n"
        svg += "<text x=\"\(x + 38)\" y=\"\(legendY)\">\(line.name)</text>\n"
    }
    svg += "</svg>\n"
    return svg
}
