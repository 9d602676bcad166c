import Foundation

/// Draws one task's fresh-world results as an SVG: a panel per world size with held-out accuracy against training
/// step for both arms, the mean over seeds as a line and the range over seeds as a band, and chance dashed.
func freshWorldPlot(task: String, summaries: [FreshSummary]) -> String {
    let panelWidth = 420.0
    let panelHeight = 260.0
    let margin = (left: 60.0, right: 20.0, top: 60.0, bottom: 70.0)
    let panels = Double(max(summaries.count, 1))
    let width = panels * (margin.left + panelWidth) + margin.right
    let height = margin.top + panelHeight + margin.bottom
    let seeds = summaries.map { "\($0.seeds.count)" }.first ?? "0"
    var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15" font-weight="bold">\(task): held-out \
        accuracy on fresh worlds (mean of \(seeds) seed\(seeds == "1" ? "" : "s"); band: lowest to highest)</text>

        """
    let arms = [("supervised (oracle labels)", "#1f77b4"), ("amplification (Amp(H, teacher), no labels)", "#d62728")]
    for (index, summary) in summaries.enumerated() {
        let originX = margin.left + Double(index) * (margin.left + panelWidth)
        let lastStep = Double(max(summary.steps, 1))
        let x = { (step: Int) in originX + Double(step) / lastStep * panelWidth }
        let y = { (value: Double) in margin.top + panelHeight - value * panelHeight }
        svg +=
            "<text x=\"\(originX + panelWidth / 2)\" y=\"\(margin.top - 12)\" text-anchor=\"middle\" "
            + "font-size=\"13\">world size \(summary.size), \(summary.evaluationWorlds) held-out worlds</text>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg +=
                "<line x1=\"\(originX)\" y1=\"\(y(tick))\" x2=\"\(originX + panelWidth)\" y2=\"\(y(tick))\" "
                + "stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(originX - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(Int(tick * 100))%</text>\n"
        }
        for fraction in stride(from: 0.0, through: 1.0, by: 0.25) {
            let step = Int((fraction * lastStep).rounded())
            svg +=
                "<text x=\"\(x(step))\" y=\"\(margin.top + panelHeight + 18)\" text-anchor=\"middle\">"
                + "\(grouped(step))</text>\n"
        }
        svg +=
            "<text x=\"\(originX + panelWidth / 2)\" y=\"\(margin.top + panelHeight + 36)\" "
            + "text-anchor=\"middle\">training step</text>\n"
        svg +=
            "<rect x=\"\(originX)\" y=\"\(margin.top)\" width=\"\(panelWidth)\" height=\"\(panelHeight)\" "
            + "fill=\"none\" stroke=\"#888\"/>\n"
        let chance = summary.controls.chance.mean
        svg +=
            "<line x1=\"\(originX)\" y1=\"\(y(chance))\" x2=\"\(originX + panelWidth)\" y2=\"\(y(chance))\" "
            + "stroke=\"#555\" stroke-dasharray=\"4 4\"/>\n"
        svg +=
            "<text x=\"\(originX + panelWidth - 4)\" y=\"\(y(chance) - 4)\" text-anchor=\"end\" fill=\"#555\">"
            + "chance</text>\n"
        for (arm, (_, color)) in zip([summary.supervised, summary.amplification], arms) {
            let points = arm.curve
            guard !points.isEmpty else { continue }
            let upper = points.map { "\(x($0.step)),\(y($0.accuracy.max))" }
            let lower = points.reversed().map { "\(x($0.step)),\(y($0.accuracy.min))" }
            svg +=
                "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" "
                + "fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            let mean = points.map { "\(x($0.step)),\(y($0.accuracy.mean))" }
            svg +=
                "<polyline points=\"\(mean.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" "
                + "stroke-width=\"2\"/>\n"
        }
    }
    var legendX = margin.left
    let legendY = height - 16
    for (name, color) in arms {
        svg += "<rect x=\"\(legendX)\" y=\"\(legendY - 10)\" width=\"14\" height=\"10\" fill=\"\(color)\"/>\n"
        svg += "<text x=\"\(legendX + 20)\" y=\"\(legendY)\">\(name)</text>\n"
        legendX += 330
    }
    svg += "</svg>\n"
    return svg
}
