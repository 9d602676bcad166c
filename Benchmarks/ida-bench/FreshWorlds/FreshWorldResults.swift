import AmplificationLearners
import Foundation

// What the fresh-world experiment measures, as printed and as written by --json. A run is one task at one world
// size with one seed; a summary gathers a task's runs at one size over the seeds.

/// The settings of one fresh-world run.
struct FreshWorldSettings: Codable {
    var size: Int
    var seed: UInt64
    /// Training steps per arm.
    var steps: Int
    var evaluationWorlds: Int
    /// Held-out accuracy is measured this many times during training (and at the end).
    var curvePoints: Int
    /// Worlds drawn for each training step, and questions asked about each: a world's questions share one
    /// encoding of its facts, as 2018's batches ask many questions of each world.
    var worldsPerStep: Int = 8
    var questionsPerWorld: Int = 8
    /// The curriculum raises the difficulty cap when its teacher agreed with the arm's
    /// targets on more than this share of the last `curriculumWindow` steps' questions (2018: 85%, there on the
    /// world size).
    var curriculumThreshold: Double = 0.85
    var curriculumWindow: Int = 20
    /// Whether there is a curriculum by difficulty (the default); without one, both arms train on every
    /// difficulty from the first step, as 2018 does within a world size (its curriculum moves the size).
    var curriculum: Bool = true
    /// Whether the supervised arm follows the same curriculum (on its teacher's agreement with the labels), as
    /// in 2018, so that the arms differ only in their targets; without it, it trains on every difficulty from
    /// the first step.
    var supervisedCurriculum: Bool = true
    /// Whether the amplification arm trains on the questions Amp(H, teacher) answers "unknown" (teaching the
    /// student to say "unknown" there) or skips them (the default: no oracle answer of a sampled question is
    /// unknown, so "unknown" only reports that H could not answer yet).
    var trainOnUnknownTargets: Bool = false
    /// The teacher answers H's subquestions "unknown" when its most likely answer has a lower probability than
    /// this; `nil`: it always gives its most likely answer.
    var teacherConfidence: Double? = nil
    /// The most oracle-labelled fresh-world questions the question-only control trains on (it trains on as many
    /// as the supervised arm saw, up to this).
    var questionOnlyExamples: Int = 8_000
    /// The attention model both arms train (and, with a learned model of H, the shape of H′'s model too).
    var model: AttentionConfiguration
    /// Which H makes amplification targets: the expert alone (the default), or also a learned model of it, in a
    /// third arm.
    var humanModel: HumanModelKind = .expert
    /// The most transcripts H gives the H′ arm in a run; `nil`: 1/100 of the supervised arm's labels (the steps
    /// times the questions per step), the bar of the issue that asked for H′.
    var humanTranscriptBudget: Int? = nil
    /// H′'s optimiser steps per training step of the student, each on a batch as large as the student's: two, so
    /// that H′ learns as much from each of H's transcripts as the budget requires (one left wildcard search's arm
    /// 7.3 points behind the arm with H; see `Documentation/ida-bench/human-model/`).
    var humanModelStepsPerStep: Int = 2

    /// The H′ arm's budget of H transcripts.
    var effectiveHumanTranscriptBudget: Int {
        humanTranscriptBudget ?? steps * worldsPerStep * questionsPerWorld / 100
    }
}

/// The two arms of a run.
enum FreshArm: String {
    /// Trained on the oracle's labels.
    case supervised
    /// Trained on Amp(H, teacher)'s answers.
    case amplification
    /// Trained on Amp(H′, teacher)'s answers, H′ a learned model of H trained on H's transcripts.
    case humanModel = "amplification with H′"
}

/// Held-out accuracy at a step of training, overall and by difficulty.
struct CurvePoint: Codable {
    var step: Int
    var accuracy: Double
    var byDifficulty: [DifficultyAccuracy]
    /// Amplification arm only, a diagnosis graded on its training questions: the share of its targets since the
    /// previous point (Amp(H, teacher)'s answers) that the oracle's answer matches, by difficulty. The oracle
    /// grades them after the fact; training never sees the grade.
    var targetAccuracy: [DifficultyAccuracy]?
    /// H′ arm only: the share of H's transcripts since the previous point that H′ reproduced token for token
    /// before training on them (`nil` when there was none), and their number.
    var humanModelReproduced: Double?
    /// H′ arm only: the share of the questions H answered since the previous point on which Amp(H′, teacher)'s
    /// answer was Amp(H, teacher)'s, with the same teacher (`nil` when there was none).
    var humanModelAgreement: Double?
    var hTranscripts: Int?
}

/// Held-out accuracy at one difficulty.
struct DifficultyAccuracy: Codable {
    var difficulty: Int
    var accuracy: Double
    var questions: Int
}

/// What one arm of one run did.
struct FreshArmResult: Codable {
    /// The final model's accuracy on the held-out worlds.
    var heldOutAccuracy: Double
    var byDifficulty: [DifficultyAccuracy]
    var curve: [CurvePoint]
    /// The first measured step at which held-out accuracy reached 90% and 95%; `nil` if it never did.
    var stepsTo90: Int?
    var stepsTo95: Int?
    /// Calls of the expert H (amplification arm; 0 in the supervised arm).
    var hCalls: Int
    /// Calls of the arm's teacher answering H's subquestions.
    var studentCalls: Int
    /// Oracle labels used in training (supervised arm); 0 in the amplification arm.
    var labels: Int
    /// Amplification arm: training questions skipped because Amp(H, teacher) answered them "unknown" (0 when
    /// the run trains on such targets, and in the supervised arm).
    var unknownTargets: Int
    /// The final model given another held-out world's facts instead of its own.
    var otherWorldFacts: Double
    /// The difficulty cap above each world's lowest difficulty that the curriculum reached.
    var curriculumLevel: Int
    var seconds: Double
    /// H′ arm only: H's transcripts collected (each one call of H on one question), H′'s actions that stood for
    /// nothing (answered "unknown"), and H′'s final rate of transcripts per step.
    var hTranscripts: Int?
    var humanModelInvalidActions: Int?
    var humanModelRate: Double?
}

/// The controls of one run: what a learner scores without the question's own facts.
struct FreshControls: Codable {
    /// The amplification arm's final model given another held-out world's facts.
    var otherWorldFacts: Double
    /// The question-only learner (the multilayer perceptron of the single-world experiment, which sees the
    /// question's features but no facts), trained on oracle labels of fresh worlds and graded on the held-out ones.
    var questionOnly: Double
    /// The level the other-world control should fall to: the larger of `uniformGuess` and `mostCommonAnswer`.
    var chance: Double
    /// The level the question-only control should fall to: what the best guess from the question alone scores
    /// (for each shape of question, its most common answer among a word, "unknown" and the question's own
    /// symbols, in a sample of fresh worlds), graded on the held-out questions.
    var questionOnlyChance: Double
    /// What a uniform guess among the outputs another world's facts allow (unknown, the answer words, and the
    /// distinct tokens of those facts) scores, averaged over the held-out questions.
    var uniformGuess: Double
    /// The share of held-out questions whose answer is the most common word (or "unknown"): what a learner that
    /// ignores the facts can reach. Names cannot be guessed this way: they differ from world to world.
    var mostCommonAnswer: Double
}

/// One task at one world size with one seed: both arms and the controls.
struct FreshRun: Codable {
    var task: String
    var size: Int
    var seed: UInt64
    var settings: FreshWorldSettings
    var evaluationWorlds: Int
    /// Held-out worlds whose facts a training question presented (0: training skips such worlds).
    var trainingWorldOverlap: Int
    /// Training worlds skipped because they presented a held-out world's facts.
    var excludedTrainingWorlds: Int
    var controls: FreshControls
    var supervised: FreshArmResult
    var amplification: FreshArmResult
    /// With `--human-model learned`: the arm trained on Amp(H′, teacher).
    var humanModelAmplification: FreshArmResult?
}

/// A mean over seeds with its spread.
struct Spread: Codable {
    var mean: Double
    /// The sample standard deviation (0 with one seed).
    var standardDeviation: Double
    var min: Double
    var max: Double
    var values: [Double]

    init(_ values: [Double]) {
        self.values = values
        let count = Double(Swift.max(values.count, 1))
        let mean = values.reduce(0, +) / count
        self.mean = mean
        let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        min = values.min() ?? 0
        max = values.max() ?? 0
    }
}

/// Held-out accuracy at a step, over seeds.
struct CurveSummaryPoint: Codable {
    var step: Int
    var accuracy: Spread
}

/// Steps to an accuracy, over seeds.
struct StepsSummary: Codable {
    /// Each seed's first measured step at the accuracy; `nil` where it never got there.
    var values: [Int?]
    /// The mean over the seeds, when every seed got there.
    var mean: Double?

    init(_ values: [Int?]) {
        self.values = values
        let reached = values.compactMap { $0 }
        mean =
            reached.count == values.count && !reached.isEmpty
            ? Double(reached.reduce(0, +)) / Double(reached.count) : nil
    }
}

/// One arm of a task at one size, over seeds.
struct FreshArmSummary: Codable {
    var heldOutAccuracy: Spread
    var byDifficulty: [DifficultySpread]
    var curve: [CurveSummaryPoint]
    var stepsTo90: StepsSummary
    var stepsTo95: StepsSummary
    /// Means over seeds, per run.
    var hCalls: Double
    var studentCalls: Double
    var labels: Double
    var unknownTargets: Double
    /// Amplification arm: the share of its targets in the last measurement interval that the oracle's answer
    /// matches, by difficulty (graded on training questions, for diagnosis); `nil` for the supervised arm.
    var finalTargetAccuracy: [DifficultySpread]?
    var otherWorldFacts: Spread

    init(_ arms: [FreshArmResult]) {
        heldOutAccuracy = Spread(arms.map(\.heldOutAccuracy))
        let difficulties = Set(arms.flatMap { $0.byDifficulty.map(\.difficulty) }).sorted()
        byDifficulty = difficulties.map { difficulty in
            DifficultySpread(
                difficulty: difficulty,
                accuracy: Spread(
                    arms.compactMap { arm in arm.byDifficulty.first { $0.difficulty == difficulty }?.accuracy }))
        }
        let steps = arms.first?.curve.map(\.step) ?? []
        curve = steps.indices.map { index in
            CurveSummaryPoint(
                step: steps[index],
                accuracy: Spread(arms.compactMap { $0.curve.indices.contains(index) ? $0.curve[index].accuracy : nil }))
        }
        stepsTo90 = StepsSummary(arms.map(\.stepsTo90))
        stepsTo95 = StepsSummary(arms.map(\.stepsTo95))
        let count = Double(max(arms.count, 1))
        hCalls = Double(arms.map(\.hCalls).reduce(0, +)) / count
        studentCalls = Double(arms.map(\.studentCalls).reduce(0, +)) / count
        labels = Double(arms.map(\.labels).reduce(0, +)) / count
        unknownTargets = Double(arms.map(\.unknownTargets).reduce(0, +)) / count
        let finalTargets = arms.compactMap { $0.curve.last?.targetAccuracy }
        finalTargetAccuracy =
            finalTargets.isEmpty
            ? nil
            : Set(finalTargets.flatMap { $0.map(\.difficulty) }).sorted().map { difficulty in
                DifficultySpread(
                    difficulty: difficulty,
                    accuracy: Spread(
                        finalTargets.compactMap { table in table.first { $0.difficulty == difficulty }?.accuracy }))
            }
        otherWorldFacts = Spread(arms.map(\.otherWorldFacts))
    }
}

/// Accuracy at one difficulty, over seeds.
struct DifficultySpread: Codable {
    var difficulty: Int
    var accuracy: Spread
}

/// The controls of a task at one size, over seeds.
struct FreshControlsSummary: Codable {
    var otherWorldFacts: Spread
    var questionOnly: Spread
    var chance: Spread
    var questionOnlyChance: Spread
}

/// Our bars for the fresh-world run (set by the issue that asked for it, not by the 2018 paper), checked.
struct FreshTargets: Codable {
    /// Supervised mean held-out accuracy at least 95%.
    var supervisedAtLeast95: Bool
    /// Amplification mean at least the supervised mean minus 3 points.
    var amplificationWithin3Points: Bool
    /// No oracle label in the amplification arm.
    var amplificationUsedNoLabels: Bool
    /// Both controls' means within 5 points of their chance levels' means.
    var controlsWithin5PointsOfChance: Bool
    /// The amplification arm reached 90% in at most twice the supervised arm's mean steps (`nil` when the
    /// supervised arm did not reach 90% on every seed).
    var amplificationTo90Within2x: Bool?
}

/// A task at one world size over its seeds.
struct FreshSummary: Codable {
    var task: String
    var size: Int
    var seeds: [UInt64]
    var steps: Int
    /// The model's self-attention layers over the facts, and its layers that read the question.
    var encoderLayers: Int
    var decoderLayers: Int
    var evaluationWorlds: Int
    /// Summed over the seeds: must be 0.
    var trainingWorldOverlap: Int
    var controls: FreshControlsSummary
    var supervised: FreshArmSummary
    var amplification: FreshArmSummary
    /// With `--human-model learned`: the arm trained on Amp(H′, teacher), and what its model of H did.
    var humanModelAmplification: HumanModelArmSummary?
    var targets: FreshTargets

    init(_ runs: [FreshRun]) {
        task = runs.first?.task ?? ""
        size = runs.first?.size ?? 0
        seeds = runs.map(\.seed)
        steps = runs.first?.settings.steps ?? 0
        encoderLayers = runs.first?.settings.model.encoderLayers ?? 0
        decoderLayers = runs.first?.settings.model.decoderLayers ?? 0
        evaluationWorlds = runs.first?.evaluationWorlds ?? 0
        trainingWorldOverlap = runs.map(\.trainingWorldOverlap).reduce(0, +)
        controls = FreshControlsSummary(
            otherWorldFacts: Spread(runs.map(\.controls.otherWorldFacts)),
            questionOnly: Spread(runs.map(\.controls.questionOnly)),
            chance: Spread(runs.map(\.controls.chance)),
            questionOnlyChance: Spread(runs.map(\.controls.questionOnlyChance))
        )
        supervised = FreshArmSummary(runs.map(\.supervised))
        amplification = FreshArmSummary(runs.map(\.amplification))
        let humanModelArms = runs.compactMap(\.humanModelAmplification)
        humanModelAmplification =
            humanModelArms.count == runs.count && !runs.isEmpty
            ? HumanModelArmSummary(
                humanModelArms, expert: amplification, supervisedLabels: FreshArmSummary(runs.map(\.supervised)).labels)
            : nil
        let chance = controls.chance.mean
        let questionOnlyChance = controls.questionOnlyChance.mean
        let supervised = supervised
        let amplification = amplification
        targets = FreshTargets(
            supervisedAtLeast95: supervised.heldOutAccuracy.mean >= 0.95,
            amplificationWithin3Points: amplification.heldOutAccuracy.mean >= supervised.heldOutAccuracy.mean - 0.03,
            amplificationUsedNoLabels: amplification.labels == 0,
            controlsWithin5PointsOfChance: abs(controls.otherWorldFacts.mean - chance) <= 0.05
                && abs(controls.questionOnly.mean - questionOnlyChance) <= 0.05,
            amplificationTo90Within2x: supervised.stepsTo90.mean.map { supervisedSteps in
                amplification.stepsTo90.mean.map { $0 <= 2 * supervisedSteps } ?? false
            }
        )
    }
}

/// The H′ arm of a task at one size over its seeds, next to the arms it is measured against.
struct HumanModelArmSummary: Codable {
    var arm: FreshArmSummary
    /// Means over seeds, per run: H's transcripts, and the supervised arm's labels for comparison.
    var hTranscripts: Double
    var supervisedLabels: Double
    /// H′'s actions that stood for nothing (answered "unknown"), mean per run.
    var invalidActions: Double
    /// The share of H's transcripts in each measurement interval that H′ reproduced before training on them, over
    /// the seeds (`nil` at points where no seed had a transcript).
    var reproducedCurve: [HumanModelCurvePoint]
    /// Our bars (from the issue that asked for H′): within 5 points of the H arm, and at most 1/100 as many
    /// transcripts as the supervised arm's labels.
    var within5PointsOfH: Bool
    var transcriptsAtMostOnePercentOfLabels: Bool

    init(_ arms: [FreshArmResult], expert: FreshArmSummary, supervisedLabels: Double) {
        arm = FreshArmSummary(arms)
        let count = Double(max(arms.count, 1))
        hTranscripts = Double(arms.compactMap(\.hTranscripts).reduce(0, +)) / count
        self.supervisedLabels = supervisedLabels
        invalidActions = Double(arms.compactMap(\.humanModelInvalidActions).reduce(0, +)) / count
        let steps = arms.first?.curve.map(\.step) ?? []
        reproducedCurve = steps.indices.map { index in
            let values = arms.compactMap {
                $0.curve.indices.contains(index) ? $0.curve[index].humanModelReproduced : nil
            }
            return HumanModelCurvePoint(step: steps[index], reproduced: values.isEmpty ? nil : Spread(values))
        }
        within5PointsOfH = arm.heldOutAccuracy.mean >= expert.heldOutAccuracy.mean - 0.05
        transcriptsAtMostOnePercentOfLabels = hTranscripts * 100 <= supervisedLabels
    }
}

/// H′'s share of reproduced transcripts at a measured step, over seeds.
struct HumanModelCurvePoint: Codable {
    var step: Int
    var reproduced: Spread?
}

/// What --json writes.
struct FreshWorldDocument: Codable {
    /// The command line that made the document.
    var command: String
    /// The commit the benchmark was built from, when known.
    var commit: String?
    var seconds: Double
    var summaries: [FreshSummary]
    var runs: [FreshRun]
}
