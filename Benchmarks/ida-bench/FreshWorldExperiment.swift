import AmplificationLearners
import AmplificationTasks
import Foundation
import IteratedAmplification

// The 2018 experiment on fresh worlds, preliminary: every training question comes from a world of its own (its
// symbols renamed), both arms train the same attention model for the same number of steps on the same worlds,
// and both are graded on held-out worlds from another seed stream. The supervised arm's targets are the
// oracle's labels; the amplification arm's are Amp(H, teacher)'s answers, with the world's expert as H and the
// arm's own averaged teacher answering H's subquestions: the oracle grades only the held-out worlds.
//
// Not yet: several seeds with a spread, the learned model of H, a question-only control, plots, and tuning.

/// The settings of a fresh-world run.
struct FreshWorldSettings: Codable {
    var size: Int
    var seed: UInt64
    var steps: Int
    var evaluationWorlds: Int
    var curvePoints: Int
    /// The curriculum raises the difficulty cap when the teacher agreed with the arm's targets on more than this
    /// fraction of the last `curriculumWindow` steps' questions (2018: 85%, there on world size).
    var curriculumThreshold: Double = 0.85
    var curriculumWindow: Int = 20
}

/// Accuracy on held-out worlds at a step of training.
struct CurvePoint: Codable {
    var step: Int
    var accuracy: Double
}

/// What one arm did.
struct FreshArmResult: Codable {
    var heldOutAccuracy: Double
    var byDifficulty: [DifficultyAccuracy]
    var curve: [CurvePoint]
    /// Calls of the expert H (amplification) and of the arm's teacher answering H's subquestions.
    var hCalls: Int
    var studentCalls: Int
    /// Oracle labels used in training (supervised); 0 in the amplification arm.
    var labels: Int
    /// The final model given the next held-out world's facts instead of its own.
    var otherWorldFacts: Double
    /// The difficulty cap above each world's lowest difficulty that the curriculum reached.
    var curriculumLevel: Int
    var seconds: Double
}

/// The controls of a task's run.
struct FreshControls: Codable {
    /// The amplification arm's final model given another world's facts.
    var otherWorldFacts: Double
    /// Not measured yet: the question-only learner on fresh worlds.
    var questionOnly: Double?
    /// The level the other-world control should fall to: the larger of ``uniformGuess`` and
    /// ``mostCommonAnswer``.
    var chance: Double
    /// What a uniform guess among the outputs that another world's facts allow (unknown, the answer words, and
    /// the distinct tokens of those facts) scores against the truth, averaged over the held-out questions.
    var uniformGuess: Double
    /// The share of held-out questions whose answer is the most common word (or "unknown"): what a learner
    /// that ignores the facts can reach on word answers. Names cannot be guessed this way.
    var mostCommonAnswer: Double
}

/// A task's fresh-world run.
struct FreshTaskResult: Codable {
    var task: String
    var settings: FreshWorldSettings
    var evaluationWorlds: Int
    /// Held-out worlds whose facts a training question presented (0: training skips them).
    var trainingWorldOverlap: Int
    /// Training worlds skipped because they presented a held-out world's facts.
    var excludedTrainingWorlds: Int
    var controls: FreshControls
    var supervised: FreshArmResult
    var amplification: FreshArmResult
}

/// A question about a held-out world, with its context, its oracle answer and its difficulty.
struct HeldOutQuestion<Question: Hashable & Codable & Sendable> {
    var question: WorldQuestion<Question>
    var context: FactContext
    var answer: TaskAnswer
    var difficulty: Int
}

/// Runs both arms of one task on fresh worlds.
func runFreshWorlds<Task: FactPresentingTask>(
    _ type: Task.Type,
    settings: FreshWorldSettings,
    report: (String) -> Void
) async throws -> FreshTaskResult {
    let encoding = try FreshWorldEncoding<Task>(size: settings.size)
    let shape = try FactShape(encoding)

    // Held-out worlds, from their own stream of the seed.
    typealias HeldOut = HeldOutQuestion<Task.Question>
    var evaluationGenerator = SeededRandomNumberGenerator(seed: settings.seed, stream: 2)
    var heldOut: [HeldOut] = []
    for _ in 0..<settings.evaluationWorlds {
        let worldSeed = evaluationGenerator.next()
        let world = try Task(size: settings.size, seed: worldSeed)
        let question = try world.sampleQuestion(difficultyIn: world.difficulties, using: &evaluationGenerator)
        let worldQuestion = WorldQuestion(size: settings.size, worldSeed: worldSeed, question: question)
        heldOut.append(
            HeldOut(
                question: worldQuestion, context: try encoding.context(of: worldQuestion),
                answer: world.correctAnswer(to: question), difficulty: world.difficulty(of: question) ?? 0
            )
        )
    }
    let heldOutFingerprints = Set(heldOut.map(\.context.factsFingerprint))

    func grade(_ model: AttentionModel, contexts: [FactContext]) throws -> (Double, [DifficultyAccuracy]) {
        let outputs = try model.predict(contexts)
        var byDifficulty: [Int: (correct: Int, total: Int)] = [:]
        var correct = 0
        for (index, item) in heldOut.enumerated() {
            let right = encoding.answer(of: outputs[index], to: item.question, in: contexts[index]) == item.answer
            if right { correct += 1 }
            byDifficulty[item.difficulty, default: (0, 0)].total += 1
            if right { byDifficulty[item.difficulty, default: (0, 0)].correct += 1 }
        }
        let table = byDifficulty.keys.sorted().map { difficulty in
            let entry = byDifficulty[difficulty] ?? (0, 1)
            return DifficultyAccuracy(
                difficulty: difficulty, accuracy: Double(entry.correct) / Double(entry.total), questions: entry.total
            )
        }
        return (Double(correct) / Double(max(heldOut.count, 1)), table)
    }
    let ownContexts = heldOut.map(\.context)
    // The curriculum stops where no held-out question lies beyond it.
    let highestLevel = heldOut.map(\.difficulty).max().map { $0 - (heldOut.map(\.difficulty).min() ?? 0) } ?? 0
    let otherContexts = heldOut.indices.map { index in
        FactContext(
            facts: heldOut[(index + 1) % heldOut.count].context.facts, question: heldOut[index].context.question)
    }

    var excluded = 0
    var trainingFingerprints = Set<UInt64>()
    func trainArm(amplified: Bool) async throws -> FreshArmResult {
        let start = Date()
        var model = try AttentionModel(configuration: AttentionConfiguration(seed: settings.seed), shape: shape)
        // Both arms draw the same worlds and questions while their curricula agree.
        var generator = SeededRandomNumberGenerator(seed: settings.seed, stream: 1)
        var level = 0
        var recent: [Double] = []
        var hCalls = 0
        var studentCalls = 0
        var labels = 0
        var curve: [CurvePoint] = []
        let every = max(1, settings.steps / max(settings.curvePoints, 1))
        for step in 1...settings.steps {
            var drawn: [(question: WorldQuestion<Task.Question>, world: Task, context: FactContext)] = []
            while drawn.count < model.configuration.batchSize {
                let worldSeed = generator.next()
                let world = try Task(size: settings.size, seed: worldSeed)
                let lowest = world.difficulties.lowerBound
                let top = min(world.difficulties.upperBound, lowest + level)
                let question = try world.sampleQuestion(difficultyIn: lowest...top, using: &generator)
                let worldQuestion = WorldQuestion(size: settings.size, worldSeed: worldSeed, question: question)
                let context = try encoding.context(of: worldQuestion)
                // A small world space repeats worlds (wildcard search at size 8 has a few million): a world that
                // presents a held-out world's facts is not trained on.
                if heldOutFingerprints.contains(context.factsFingerprint) {
                    excluded += 1
                    continue
                }
                drawn.append((worldQuestion, world, context))
            }
            for item in drawn { trainingFingerprints.insert(item.context.factsFingerprint) }
            let teacher = model
            let predictions = try teacher.predict(drawn.map(\.context))
            var examples: [FactExample] = []
            var agreed = 0
            for (index, item) in drawn.enumerated() {
                let target: TaskAnswer
                if amplified {
                    target = try await amplify(item.question, world: item.world, teacher: teacher, encoding: encoding) {
                        hCalls += $0
                        studentCalls += $1
                    }
                } else {
                    target = item.world.correctAnswer(to: item.question.question)
                    labels += 1
                }
                if encoding.answer(of: predictions[index], to: item.question, in: item.context) == target {
                    agreed += 1
                }
                if let output = encoding.target(of: target, to: item.question, in: item.context) {
                    examples.append(FactExample(context: item.context, target: output))
                }
            }
            recent.append(Double(agreed) / Double(drawn.count))
            if recent.count > settings.curriculumWindow { recent.removeFirst() }
            if recent.count == settings.curriculumWindow, level < highestLevel,
                recent.reduce(0, +) / Double(recent.count) > settings.curriculumThreshold
            {
                level += 1
                recent.removeAll()
            }
            if !examples.isEmpty { try model.trainStep(on: examples) }
            if step % every == 0 || step == settings.steps {
                let accuracy = try grade(model, contexts: ownContexts).0
                curve.append(CurvePoint(step: step, accuracy: accuracy))
                report(
                    "   \(Task.name) \(amplified ? "amplification" : "supervised   ") step \(step)/\(settings.steps): "
                        + "held-out \(percent(accuracy)), curriculum level \(level)"
                )
            }
        }
        let (accuracy, byDifficulty) = try grade(model, contexts: ownContexts)
        return FreshArmResult(
            heldOutAccuracy: accuracy, byDifficulty: byDifficulty, curve: curve, hCalls: hCalls,
            studentCalls: studentCalls, labels: labels, otherWorldFacts: try grade(model, contexts: otherContexts).0,
            curriculumLevel: level, seconds: Date().timeIntervalSince(start)
        )
    }

    let supervised = try await trainArm(amplified: false)
    let amplification = try await trainArm(amplified: true)
    // Chance, for the other-world control: the better of a uniform guess among the outputs that the other world's
    // facts allow (the truth is among them when it is a word or "unknown", or when its name happens to be in
    // those facts) and always giving the held-out questions' most common answer.
    let uniformGuess =
        heldOut.indices.map { index -> Double in
            let candidates = 1 + encoding.answerWordCount + Set(otherContexts[index].facts.joined()).count
            let item = heldOut[index]
            let available = encoding.target(of: item.answer, to: item.question, in: otherContexts[index]) != nil
            return available ? 1 / Double(candidates) : 0
        }.reduce(0, +) / Double(max(heldOut.count, 1))
    // Only words and "unknown" can be guessed without the facts: a symbol's name differs from world to world.
    var answerCounts: [FactTarget: Int] = [:]
    for item in heldOut {
        switch encoding.target(of: item.answer, to: item.question, in: item.context) {
        case .word(let word): answerCounts[.word(word), default: 0] += 1
        case .unknown: answerCounts[.unknown, default: 0] += 1
        case .pointer, nil: break
        }
    }
    let mostCommon = Double(answerCounts.values.max() ?? 0) / Double(max(heldOut.count, 1))
    let overlap = heldOutFingerprints.intersection(trainingFingerprints).count
    return FreshTaskResult(
        task: Task.name, settings: settings, evaluationWorlds: heldOut.count, trainingWorldOverlap: overlap,
        excludedTrainingWorlds: excluded,
        controls: FreshControls(
            otherWorldFacts: amplification.otherWorldFacts, questionOnly: nil, chance: max(uniformGuess, mostCommon),
            uniformGuess: uniformGuess, mostCommonAnswer: mostCommon
        ),
        supervised: supervised, amplification: amplification
    )
}

/// Amp(H, teacher) on one question: the world's expert H, whose subquestions the teacher answers in the same
/// world. Reports the H and teacher calls it made.
func amplify<Task: FactPresentingTask>(
    _ question: WorldQuestion<Task.Question>,
    world: Task,
    teacher: AttentionModel,
    encoding: FreshWorldEncoding<Task>,
    count: (_ hCalls: Int, _ studentCalls: Int) -> Void
) async throws -> TaskAnswer {
    let assistant = ClosureAssistant<Task.Question, TaskAnswer> { subquestion in
        let asked = WorldQuestion(size: question.size, worldSeed: question.worldSeed, question: subquestion)
        guard let context = try? encoding.context(of: asked) else { return .unknown }
        return encoding.answer(of: try teacher.predict([context])[0], to: asked, in: context)
    }
    var configuration = HCHConfiguration()
    configuration.depth = 1
    let engine = HCHEngine(supervisor: world.expert, assistant: assistant, configuration: configuration)
    let outcome = await engine.run(question.question)
    count(outcome.statistics.supervisorCalls, outcome.statistics.assistantCalls)
    return (try? outcome.result.get()) ?? .unknown
}

/// Runs the fresh-world experiment on the named task.
func runFreshWorldTask(named name: String, settings: FreshWorldSettings) async throws -> FreshTaskResult {
    let report: (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    switch name {
    case PermutationPoweringTask.name:
        return try await runFreshWorlds(PermutationPoweringTask.self, settings: settings, report: report)
    case SequentialAssignmentsTask.name:
        return try await runFreshWorlds(SequentialAssignmentsTask.self, settings: settings, report: report)
    case WildcardSearchTask.name:
        return try await runFreshWorlds(WildcardSearchTask.self, settings: settings, report: report)
    case ShortestPathTask.name:
        return try await runFreshWorlds(ShortestPathTask.self, settings: settings, report: report)
    case UnionFindTask.name:
        return try await runFreshWorlds(UnionFindTask.self, settings: settings, report: report)
    default:
        throw BenchError("unknown task '\(name)'")
    }
}
