import Foundation

// How the fresh-world results read: one line per run while it goes, and a Markdown table of the summaries at the
// end (printed, and written by --table).

/// "54.3%" for one seed; "54.3% ± 1.2 (52.0–55.6)" over several.
func describe(_ spread: Spread) -> String {
    guard spread.values.count > 1 else { return percent(spread.mean).trimmingCharacters(in: .whitespaces) }
    return String(
        format: "%.1f%% ± %.1f (%.1f–%.1f)", spread.mean * 100, spread.standardDeviation * 100, spread.min * 100,
        spread.max * 100)
}

/// "4,000" (the mean) when every seed got there; otherwise each seed's step or "never", in brackets.
func describe(_ steps: StepsSummary) -> String {
    if let mean = steps.mean { return grouped(Int(mean.rounded())) }
    if steps.values.allSatisfy({ $0 == nil }) { return "never" }
    return "[" + steps.values.map { $0.map(grouped) ?? "never" }.joined(separator: ", ") + "]"
}

func grouped(_ number: Int) -> String {
    let digits = String(number)
    var result = ""
    for (index, character) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { result += "," }
        result.append(character)
    }
    return result
}

/// The line printed when a run finishes.
func summaryLine(_ run: FreshRun) -> String {
    "\(run.task) size \(run.size) seed \(run.seed): held-out supervised \(percent(run.supervised.heldOutAccuracy)) "
        + "(\(run.supervised.labels) labels), amplification \(percent(run.amplification.heldOutAccuracy)) "
        + "(\(run.amplification.labels) labels, \(run.amplification.hCalls) H calls, "
        + "\(run.amplification.unknownTargets) unknown targets skipped); controls: other world's facts "
        + "\(percent(run.controls.otherWorldFacts)), question only \(percent(run.controls.questionOnly)), chance "
        + "\(percent(run.controls.chance)) and from the question alone \(percent(run.controls.questionOnlyChance)); "
        + "held-out worlds seen in training: \(run.trainingWorldOverlap); "
        + String(format: "%.0f s + %.0f s", run.supervised.seconds, run.amplification.seconds)
        + "\n   by difficulty: supervised    \(describeDifficulties(run.supervised.byDifficulty))"
        + "\n                  amplification \(describeDifficulties(run.amplification.byDifficulty))"
        + (run.humanModelAmplification.map { arm in
            "\n   amplification with H′: held-out \(percent(arm.heldOutAccuracy)) (\(arm.hTranscripts ?? 0) H transcripts, "
                + "\(arm.humanModelInvalidActions ?? 0) invalid actions, final rate \(arm.humanModelRate ?? 0) per step, "
                + "\(arm.unknownTargets) unknown targets skipped); "
                + String(format: "%.0f s", arm.seconds)
                + "\n                  by difficulty \(describeDifficulties(arm.byDifficulty))"
        } ?? "")
}

func describeDifficulties(_ byDifficulty: [DifficultyAccuracy]) -> String {
    byDifficulty.map { "\($0.difficulty):\(Int(($0.accuracy * 100).rounded()))" }.joined(separator: " ")
}

/// The summaries as Markdown: results, our bars, and accuracy by difficulty.
func markdownTables(_ summaries: [FreshSummary]) -> String {
    var text = """
        | task | size | seeds | steps | layers | supervised | amplification | steps to 90% (sup. / amp.) | \
        steps to 95% (sup. / amp.) | other world's facts | chance | question only | guess from the question | \
        labels (sup.) | H calls (amp.) | overlap |
        |---|---:|---:|---:|---:|---|---|---|---|---|---|---|---|---:|---:|---:|

        """
    for summary in summaries {
        text += "| \(summary.task) | \(summary.size) | \(summary.seeds.count) | \(grouped(summary.steps)) | "
        text += "\(summary.encoderLayers) + \(summary.decoderLayers) | "
        text +=
            "\(describe(summary.supervised.heldOutAccuracy)) | \(describe(summary.amplification.heldOutAccuracy)) | "
        text += "\(describe(summary.supervised.stepsTo90)) / \(describe(summary.amplification.stepsTo90)) | "
        text += "\(describe(summary.supervised.stepsTo95)) / \(describe(summary.amplification.stepsTo95)) | "
        text += "\(describe(summary.controls.otherWorldFacts)) | \(describe(summary.controls.chance)) | "
        text += "\(describe(summary.controls.questionOnly)) | \(describe(summary.controls.questionOnlyChance)) | "
        text += "\(grouped(Int(summary.supervised.labels))) | "
        text += "\(grouped(Int(summary.amplification.hCalls))) | \(summary.trainingWorldOverlap) |\n"
    }
    func mark(_ value: Bool?) -> String { value.map { $0 ? "yes" : "**no**" } ?? "n/a" }
    text += """

        Our bars (from the issue that asked for this run, not from the 2018 paper), on the means over seeds:

        | task | size | supervised ≥ 95% | amplification ≥ supervised − 3 | 0 labels (amp.) | \
        controls within 5 points of their chance | amp. to 90% ≤ 2× sup. steps |
        |---|---:|---|---|---|---|---|

        """
    for summary in summaries {
        let targets = summary.targets
        text += "| \(summary.task) | \(summary.size) | \(mark(targets.supervisedAtLeast95)) | "
        text += "\(mark(targets.amplificationWithin3Points)) | \(mark(targets.amplificationUsedNoLabels)) | "
        text += "\(mark(targets.controlsWithin5PointsOfChance)) | \(mark(targets.amplificationTo90Within2x)) |\n"
    }
    text += """

        Held-out accuracy by difficulty (mean over seeds; supervised / amplification):

        | task | size | by difficulty |
        |---|---:|---|

        """
    for summary in summaries {
        let cells = summary.supervised.byDifficulty.map { entry -> String in
            let amplified = summary.amplification.byDifficulty.first { $0.difficulty == entry.difficulty }
            let amplification = amplified.map { String(format: "%.0f", $0.accuracy.mean * 100) } ?? "-"
            return "\(entry.difficulty): " + String(format: "%.0f", entry.accuracy.mean * 100) + " / \(amplification)"
        }
        text += "| \(summary.task) | \(summary.size) | \(cells.joined(separator: " · ")) |\n"
    }
    text += """

        The amplification arm's targets at the end of training, graded by the oracle after the fact on the training \
        questions of the last measurement interval (a diagnosis: training never sees the grade), and the training \
        questions skipped because Amp(H, teacher) answered "unknown" (mean per run):

        | task | size | targets right by difficulty | unknown targets skipped |
        |---|---:|---|---:|

        """
    for summary in summaries {
        let cells = (summary.amplification.finalTargetAccuracy ?? []).map {
            "\($0.difficulty): " + String(format: "%.0f", $0.accuracy.mean * 100)
        }
        text += "| \(summary.task) | \(summary.size) | \(cells.joined(separator: " · ")) | "
        text += "\(grouped(Int(summary.amplification.unknownTargets.rounded()))) |\n"
    }
    let withHumanModel = summaries.filter { $0.humanModelAmplification != nil }
    guard !withHumanModel.isEmpty else { return text }
    text += """

        The learned model of H (H′): the third arm, trained on Amp(H′, teacher)'s answers, against the arm trained \
        on Amp(H, teacher)'s; H's transcripts against the supervised arm's labels; and the share of new \
        transcripts H′ reproduced token for token before training on them, in the last measurement interval with \
        any. Our bars: within 5 points of the H arm, and at most 1/100 as many transcripts as labels.

        | task | size | with H′ | with H | H transcripts | labels (sup.) | invalid actions | H′ reproduced (last) | within 5 points | ≤ 1/100 |
        |---|---:|---|---|---:|---:|---:|---|---|---|

        """
    for summary in withHumanModel {
        guard let learned = summary.humanModelAmplification else { continue }
        let lastReproduced = learned.reproducedCurve.last { $0.reproduced != nil }?.reproduced
        text += "| \(summary.task) | \(summary.size) | \(describe(learned.arm.heldOutAccuracy)) | "
        text +=
            "\(describe(summary.amplification.heldOutAccuracy)) | \(grouped(Int(learned.hTranscripts.rounded()))) | "
        text += "\(grouped(Int(learned.supervisedLabels))) | \(grouped(Int(learned.invalidActions.rounded()))) | "
        text += "\(lastReproduced.map(describe) ?? "-") | \(mark(learned.within5PointsOfH)) | "
        text += "\(mark(learned.transcriptsAtMostOnePercentOfLabels)) |\n"
    }
    return text
}
