import AmplificationLearners
import AmplificationTasks
import Foundation
import IteratedAmplification
import Synchronization

// The 2018 experiment on fresh worlds: every training step draws worlds of their own (their symbols renamed),
// both arms train the same attention model for the same number of steps on the same worlds under the same
// curriculum, and both are graded on held-out worlds from another seed stream. The supervised arm's targets are the oracle's labels; the
// amplification arm's are Amp(H, teacher)'s answers, with the world's expert as H and the arm's own averaged
// teacher answering H's subquestions: the oracle grades only the held-out worlds. With a learned model of H, a third
// arm trains on Amp(H′, teacher)'s answers, H′ trained on H's transcripts (HumanModel.swift).

/// A question about a held-out world, with its context, its oracle answer and its difficulty.
struct HeldOutQuestion<Question: Hashable & Codable & Sendable> {
    var question: WorldQuestion<Question>
    var context: FactContext
    var answer: TaskAnswer
    var difficulty: Int
}

/// Runs both arms and the controls of one task at one size with one seed.
func runFreshWorlds<Task: FactPresentingTask>(
    _ type: Task.Type,
    settings: FreshWorldSettings,
    progress: FreshRunProgress
) async throws -> FreshRun {
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

    func grade(_ correct: [Bool]) -> (Double, [DifficultyAccuracy]) {
        var byDifficulty: [Int: (correct: Int, total: Int)] = [:]
        for (index, item) in heldOut.enumerated() {
            byDifficulty[item.difficulty, default: (0, 0)].total += 1
            if correct[index] { byDifficulty[item.difficulty, default: (0, 0)].correct += 1 }
        }
        let table = byDifficulty.keys.sorted().map { difficulty in
            let entry = byDifficulty[difficulty] ?? (0, 1)
            return DifficultyAccuracy(
                difficulty: difficulty, accuracy: Double(entry.correct) / Double(entry.total), questions: entry.total
            )
        }
        return (Double(correct.filter { $0 }.count) / Double(max(heldOut.count, 1)), table)
    }
    func grade(_ model: AttentionModel, contexts: [FactContext]) throws -> (Double, [DifficultyAccuracy]) {
        let outputs = try model.predict(contexts)
        return grade(
            heldOut.indices.map { index in
                encoding.answer(of: outputs[index], to: heldOut[index].question, in: contexts[index])
                    == heldOut[index].answer
            })
    }
    let ownContexts = heldOut.map(\.context)
    // The curriculum stops where no held-out question lies beyond it.
    let difficulties = heldOut.map(\.difficulty)
    let highestLevel = (difficulties.max() ?? 0) - (difficulties.min() ?? 0)
    let otherContexts = heldOut.indices.map { index in
        FactContext(
            facts: heldOut[(index + 1) % heldOut.count].context.facts, question: heldOut[index].context.question)
    }

    var excluded = 0
    var trainingFingerprints = Set<UInt64>()
    func trainArm(_ arm: FreshArm) async throws -> FreshArmResult {
        let amplified = arm != .supervised
        let start = Date()
        // The third arm's H′, when the run has one; H's transcripts train it.
        var humanModel: HumanModelTrainer<Task>?
        if arm == .humanModel {
            guard let exchanges = humanModelExchanges(task: Task.name) else {
                throw BenchError(
                    "--human-model learned does not support \(Task.name): its H asks too many subquestions")
            }
            humanModel = try HumanModelTrainer(
                base: encoding, maximumExchanges: exchanges, configuration: settings.model,
                budget: settings.effectiveHumanTranscriptBudget)
        }
        var hTranscripts = 0
        var invalidActions = 0
        var model = try AttentionModel(configuration: settings.model, shape: shape)
        // Both arms draw the same worlds and questions while their curricula agree.
        var generator = SeededRandomNumberGenerator(seed: settings.seed, stream: 1)
        let capped = settings.curriculum && (amplified || settings.supervisedCurriculum)
        var level = capped ? 0 : highestLevel
        var recent: [Double] = []
        var hCalls = 0
        var studentCalls = 0
        var labels = 0
        var unknownTargets = 0
        var curve: [CurvePoint] = []
        // Amplification arm: how many of its targets since the last curve point the oracle's answer matched.
        var targetsByDifficulty: [Int: (correct: Int, total: Int)] = [:]
        let every = max(1, settings.steps / max(settings.curvePoints, 1))
        for step in 1...settings.steps {
            var drawn: [(question: WorldQuestion<Task.Question>, world: Task, context: FactContext)] = []
            while drawn.count < settings.worldsPerStep * settings.questionsPerWorld {
                let worldSeed = generator.next()
                let world = try Task(size: settings.size, seed: worldSeed)
                let lowest = world.difficulties.lowerBound
                let top = min(world.difficulties.upperBound, lowest + level)
                var fingerprint: UInt64?
                for _ in 0..<settings.questionsPerWorld {
                    let question = try world.sampleQuestion(difficultyIn: lowest...top, using: &generator)
                    let worldQuestion = WorldQuestion(size: settings.size, worldSeed: worldSeed, question: question)
                    let context = try encoding.context(of: worldQuestion)
                    // A world's questions share its facts, so its fingerprint is taken once. A small world space
                    // repeats worlds (wildcard search at size 8 has a few million): a world that presents a
                    // held-out world's facts is not trained on.
                    if fingerprint == nil {
                        let facts = context.factsFingerprint
                        if heldOutFingerprints.contains(facts) {
                            excluded += 1
                            break
                        }
                        trainingFingerprints.insert(facts)
                        fingerprint = facts
                    }
                    drawn.append((worldQuestion, world, context))
                }
            }
            let teacher = model
            let predictions = try teacher.predict(drawn.map(\.context))
            // Amp(H, teacher) answers the step's questions (the teacher is the model's averaged weights).
            let amplifiedTargets: [(answer: TaskAnswer, hCalls: Int, studentCalls: Int)?]
            // H′ arm: the questions where H′'s tokens stood for no action, whose "unknown" is no answer of Amp(H′,
            // teacher) at all; the curriculum counts them as disagreements, not as agreement on "unknown".
            var invalidTargets = Array(repeating: false, count: drawn.count)
            switch arm {
            case .supervised:
                amplifiedTargets = Array(repeating: nil, count: drawn.count)
            case .amplification:
                amplifiedTargets = try await amplifiedAnswers(
                    to: drawn.map { ($0.question, $0.world) }, teacher: teacher, encoding: encoding,
                    confidence: settings.teacherConfidence
                ).map { ($0.answer, $0.hCalls, $0.studentCalls) }
            case .humanModel:
                // H answers a few of the step's questions at H′'s rate, those at the difficulties where H′ is
                // weakest, leaving transcripts; H′ answers every question, H's too, where its answer is compared
                // with H's (the same teacher answers both); the others' targets are H′'s.
                // Taken out and put back, so that its buffers are mutated in place rather than copied each step.
                guard var trainer = humanModel.take() else { throw BenchError("the H′ arm has no model of H") }
                let difficulties = drawn.map { $0.world.difficulty(of: $0.question.question) ?? 0 }
                let forH = trainer.questionsForH(
                    difficulties: difficulties, count: min(trainer.transcriptsDue(), drawn.count))
                let byH = try await amplifiedAnswers(
                    to: forH.map { (drawn[$0].question, drawn[$0].world) }, teacher: teacher, encoding: encoding,
                    confidence: settings.teacherConfidence, recordsTranscripts: true)
                hTranscripts += byH.map(\.transcripts.count).reduce(0, +)
                try trainer.add(
                    zip(forH, byH).flatMap { index, target in
                        target.transcripts.map { (drawn[index].question.worldSeed, difficulties[index], $0) }
                    })
                let byModel = try await humanModelAnswers(
                    to: drawn.map { ($0.question, $0.world) }, humanModel: trainer.model,
                    teacher: teacher, encoding: encoding, maximumExchanges: trainer.maximumExchanges)
                trainer.compare(forH.map { byModel[$0].answer }, with: byH.map(\.answer))
                var targets = byModel.map { (answer: $0.answer, hCalls: 0, studentCalls: $0.studentCalls) }
                invalidTargets = byModel.map(\.invalid)
                for (position, index) in forH.enumerated() {
                    targets[index] = (byH[position].answer, byH[position].hCalls, byH[position].studentCalls)
                    invalidTargets[index] = false
                }
                invalidActions += invalidTargets.filter { $0 }.count
                humanModel = trainer
                amplifiedTargets = targets
            }
            var examples: [FactExample] = []
            var agreed = 0
            for (index, item) in drawn.enumerated() {
                let target: TaskAnswer
                if let outcome = amplifiedTargets[index] {
                    hCalls += outcome.hCalls
                    studentCalls += outcome.studentCalls
                    target = outcome.answer
                    let difficulty = item.world.difficulty(of: item.question.question) ?? 0
                    targetsByDifficulty[difficulty, default: (0, 0)].total += 1
                    if target == item.world.correctAnswer(to: item.question.question) {
                        targetsByDifficulty[difficulty, default: (0, 0)].correct += 1
                    }
                } else {
                    target = item.world.correctAnswer(to: item.question.question)
                    labels += 1
                }
                if !invalidTargets[index],
                    encoding.answer(of: predictions[index], to: item.question, in: item.context) == target
                {
                    agreed += 1
                }
                // Amp(H, teacher)'s "unknown" says that H could not answer with the teacher's help, not what the
                // answer is: trained on, it teaches the student to give up on every question its teacher could not
                // yet help with, which then stays out of reach (see the tuning notes).
                if amplified, target == .unknown, !settings.trainOnUnknownTargets {
                    unknownTargets += 1
                    continue
                }
                if let output = encoding.target(of: target, to: item.question, in: item.context) {
                    examples.append(FactExample(context: item.context, target: output))
                }
            }
            recent.append(Double(agreed) / Double(drawn.count))
            if recent.count > settings.curriculumWindow { recent.removeFirst() }
            if capped, recent.count == settings.curriculumWindow,
                level < highestLevel, recent.reduce(0, +) / Double(recent.count) > settings.curriculumThreshold
            {
                level += 1
                recent.removeAll()
            }
            if !examples.isEmpty { try model.trainStep(on: examples) }
            if humanModel != nil {
                for _ in 0..<settings.humanModelStepsPerStep { try humanModel?.trainStep(batchSize: drawn.count) }
            }
            if step % every == 0 || step == settings.steps {
                let (accuracy, byDifficulty) = try grade(model, contexts: ownContexts)
                let targetAccuracy =
                    amplified
                    ? targetsByDifficulty.keys.sorted().map { difficulty in
                        let entry = targetsByDifficulty[difficulty] ?? (0, 1)
                        return DifficultyAccuracy(
                            difficulty: difficulty, accuracy: Double(entry.correct) / Double(entry.total),
                            questions: entry.total)
                    } : nil
                targetsByDifficulty.removeAll()
                let interval = humanModel?.takeInterval()
                curve.append(
                    CurvePoint(
                        step: step, accuracy: accuracy, byDifficulty: byDifficulty, targetAccuracy: targetAccuracy,
                        humanModelReproduced: interval?.reproduced, humanModelAgreement: interval?.agreement,
                        hTranscripts: interval?.transcripts))
                progress.measured(
                    arm: arm, step: step, accuracy: accuracy, level: level, targetAccuracy: targetAccuracy,
                    humanModel: interval)
            } else {
                progress.stepped(arm: arm, step: step)
            }
        }
        let (accuracy, byDifficulty) = try grade(model, contexts: ownContexts)
        return FreshArmResult(
            heldOutAccuracy: accuracy, byDifficulty: byDifficulty, curve: curve,
            stepsTo90: curve.first { $0.accuracy >= 0.9 }?.step, stepsTo95: curve.first { $0.accuracy >= 0.95 }?.step,
            hCalls: hCalls, studentCalls: studentCalls, labels: labels, unknownTargets: unknownTargets,
            otherWorldFacts: try grade(model, contexts: otherContexts).0, curriculumLevel: level,
            seconds: Date().timeIntervalSince(start),
            hTranscripts: arm == .humanModel ? hTranscripts : nil,
            humanModelInvalidActions: arm == .humanModel ? invalidActions : nil,
            humanModelRate: humanModel?.rate
        )
    }

    let supervised = try await trainArm(.supervised)
    let amplification = try await trainArm(.amplification)
    let humanModelAmplification = settings.humanModel == .learned ? try await trainArm(.humanModel) : nil
    let questionOnly = try await questionOnlyControl(Task.self, settings: settings, heldOut: heldOut, grade: grade)

    // Chance, for the other world's facts: the better of a uniform guess among the outputs that those facts
    // allow (the truth is among them when it is a word or "unknown", or when its name happens to be in those
    // facts) and always giving the held-out questions' most common answer.
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
    let factFree = try factFreeGuess(Task.self, settings: settings, heldOut: heldOut)
    return FreshRun(
        task: Task.name, size: settings.size, seed: settings.seed, settings: settings,
        evaluationWorlds: heldOut.count,
        trainingWorldOverlap: heldOutFingerprints.intersection(trainingFingerprints).count,
        excludedTrainingWorlds: excluded,
        controls: FreshControls(
            otherWorldFacts: amplification.otherWorldFacts, questionOnly: questionOnly,
            chance: max(uniformGuess, mostCommon), questionOnlyChance: factFree, uniformGuess: uniformGuess,
            mostCommonAnswer: mostCommon
        ),
        supervised: supervised, amplification: amplification, humanModelAmplification: humanModelAmplification
    )
}

/// The question-only control: the single-world experiment's learner, which sees a question's features but no
/// facts, trained on oracle labels of fresh worlds (its own seed stream, no held-out world) and graded on the
/// held-out worlds. A world's symbols are numbered at random, so without the facts it can only guess.
func questionOnlyControl<Task: FactPresentingTask>(
    _ type: Task.Type,
    settings: FreshWorldSettings,
    heldOut: [HeldOutQuestion<Task.Question>],
    grade: ([Bool]) -> (Double, [DifficultyAccuracy])
) async throws -> Double {
    var generator = SeededRandomNumberGenerator(seed: settings.seed, stream: 3)
    let heldOutWorlds = Set(heldOut.map(\.question.worldSeed))
    var demonstrations: [Demonstration<Task.Question, TaskAnswer>] = []
    var encoding: Task.Encoding?
    // As many labelled questions as the supervised arm saw, up to `questionOnlyExamples`.
    let count = min(settings.questionOnlyExamples, settings.steps * settings.worldsPerStep * settings.questionsPerWorld)
    while demonstrations.count < count {
        let worldSeed = generator.next()
        guard !heldOutWorlds.contains(worldSeed) else { continue }
        let world = try Task(size: settings.size, seed: worldSeed)
        encoding = encoding ?? world.encoding
        let question = try world.sampleQuestion(difficultyIn: world.difficulties, using: &generator)
        demonstrations.append(Demonstration(question: question, answer: world.correctAnswer(to: question)))
    }
    guard let encoding else { return 0 }
    let distiller = NeuralNetworkDistiller(
        encoding: encoding, configuration: NeuralNetworkConfiguration(seed: settings.seed))
    let student = try await distiller.distill(demonstrations, continuing: nil)
    var correct: [Bool] = []
    for item in heldOut {
        correct.append(try await student.answer(item.question.question) == item.answer)
    }
    return grade(correct).0
}

/// Amp(H, teacher)'s answers to one training step's questions, with the teacher's answers to H's subquestions
/// computed in batches rather than one context at a time.
///
/// Each question runs on an HCH engine of its own at depth 1, the world's expert as H. The teacher answers a
/// subquestion from a table; a subquestion not in it yet is noted, answered "unknown" for now, and marks that
/// run incomplete. After every pass the noted subquestions are evaluated in one batch, in a fixed order (by
/// world, then question), and the incomplete runs are run again, until every run completes. A complete run saw
/// only the teacher's real answers, so its answer, H calls and teacher calls are those of Amp(H, teacher) asked
/// once; the passes before it are not counted. The teacher's answers do not depend on the order H asks in, and
/// the batches do not depend on the order the concurrent runs finish in, so the targets are reproducible.
func amplifiedAnswers<Task: FactPresentingTask>(
    to questions: [(question: WorldQuestion<Task.Question>, world: Task)],
    teacher: AttentionModel,
    encoding: FreshWorldEncoding<Task>,
    confidence: Double?,
    recordsTranscripts: Bool = false
) async throws -> [ExpertTarget<Task>] {
    let table = SubquestionTable<Task>()
    var results: [ExpertTarget<Task>?] = Array(repeating: nil, count: questions.count)
    var pending = Array(questions.indices)
    while !pending.isEmpty {
        let passed = await withTaskGroup(of: (Int, ExpertTarget<Task>?).self) { group in
            for index in pending {
                let (question, world) = questions[index]
                group.addTask {
                    (index, await amplify(question, world: world, table: table, recordsTranscripts: recordsTranscripts))
                }
            }
            var passed: [(Int, ExpertTarget<Task>?)] = []
            for await outcome in group { passed.append(outcome) }
            return passed
        }
        for (index, outcome) in passed { results[index] = outcome }
        pending = passed.filter { $0.1 == nil }.map(\.0).sorted()
        let missing = table.takeMissing().sorted {
            ($0.worldSeed, String(describing: $0.question)) < ($1.worldSeed, String(describing: $1.question))
        }
        guard !missing.isEmpty else { break }
        let contexts = try missing.map { try encoding.context(of: $0) }
        let outputs = try teacher.evaluate(contexts)
        table.add(
            missing.indices.map { index in
                let (target, probability) = outputs[index]
                let answer =
                    Double(probability) < (confidence ?? 0)
                    ? TaskAnswer.unknown : encoding.answer(of: target, to: missing[index], in: contexts[index])
                return (missing[index], answer)
            })
    }
    return results.map { $0 ?? (.unknown, 0, 0, []) }
}

/// Amp(H, teacher)'s answer to a question, with the calls it made and H's transcripts.
typealias ExpertTarget<Task: FactPresentingTask> = (
    answer: TaskAnswer, hCalls: Int, studentCalls: Int, transcripts: [SupervisorTranscript<Task.Question, TaskAnswer>]
)

/// The teacher's answers to H's subquestions during one training step, and the subquestions asked but not yet
/// answered.
final class SubquestionTable<Task: FactPresentingTask>: Sendable {
    private struct State {
        var answers: [WorldQuestion<Task.Question>: TaskAnswer] = [:]
        var missing: Set<WorldQuestion<Task.Question>> = []
    }
    private let state = Mutex(State())

    /// The teacher's answer, or `nil` (and the question noted) when it is not known yet.
    func answer(_ question: WorldQuestion<Task.Question>) -> TaskAnswer? {
        state.withLock { state in
            if let answer = state.answers[question] { return answer }
            state.missing.insert(question)
            return nil
        }
    }

    /// Returns the questions noted since the last call, and forgets them.
    func takeMissing() -> Set<WorldQuestion<Task.Question>> {
        state.withLock { state in
            defer { state.missing.removeAll() }
            return state.missing
        }
    }

    func add(_ answers: [(WorldQuestion<Task.Question>, TaskAnswer)]) {
        state.withLock { state in
            for (question, answer) in answers { state.answers[question] = answer }
        }
    }
}

/// Amp(H, teacher) on one question, the world's expert H whose subquestions the teacher answers from the table,
/// run by the HCH engine at depth 1; `nil` when a subquestion's answer was not in the table yet.
func amplify<Task: FactPresentingTask>(
    _ question: WorldQuestion<Task.Question>,
    world: Task,
    table: SubquestionTable<Task>,
    recordsTranscripts: Bool
) async -> (
    answer: TaskAnswer, hCalls: Int, studentCalls: Int, transcripts: [SupervisorTranscript<Task.Question, TaskAnswer>]
)? {
    let misses = MissCounter()
    let assistant = ClosureAssistant<Task.Question, TaskAnswer> { subquestion in
        let asked = WorldQuestion(size: question.size, worldSeed: question.worldSeed, question: subquestion)
        guard let answer = table.answer(asked) else {
            misses.count.add(1, ordering: .relaxed)
            return .unknown
        }
        return answer
    }
    var configuration = HCHConfiguration()
    configuration.depth = 1
    // Each try records afresh: only the last, whose subquestions all had answers, is H's transcript.
    let transcripts = SupervisorTranscriptRecording<Task.Question, TaskAnswer>()
    let outcome =
        recordsTranscripts
        ? await HCHEngine(
            supervisor: RecordingSupervisor(world.expert, recording: transcripts), assistant: assistant,
            configuration: configuration
        ).run(question.question)
        : await HCHEngine(supervisor: world.expert, assistant: assistant, configuration: configuration)
            .run(question.question)
    guard misses.count.load(ordering: .relaxed) == 0 else { return nil }
    return (
        (try? outcome.result.get()) ?? .unknown, outcome.statistics.supervisorCalls,
        outcome.statistics.assistantCalls, transcripts.entries
    )
}

/// How many of a run's subquestions were not in the table.
private final class MissCounter: Sendable {
    let count = Atomic<Int>(0)
}

/// Runs the fresh-world experiment on the named task.
func runFreshWorldTask(named name: String, settings: FreshWorldSettings, progress: FreshRunProgress) async throws
    -> FreshRun
{
    switch name {
    case PermutationPoweringTask.name:
        return try await runFreshWorlds(PermutationPoweringTask.self, settings: settings, progress: progress)
    case SequentialAssignmentsTask.name:
        return try await runFreshWorlds(SequentialAssignmentsTask.self, settings: settings, progress: progress)
    case WildcardSearchTask.name:
        return try await runFreshWorlds(WildcardSearchTask.self, settings: settings, progress: progress)
    case ShortestPathTask.name:
        return try await runFreshWorlds(ShortestPathTask.self, settings: settings, progress: progress)
    case UnionFindTask.name:
        return try await runFreshWorlds(UnionFindTask.self, settings: settings, progress: progress)
    default:
        throw BenchError("unknown task '\(name)'")
    }
}
