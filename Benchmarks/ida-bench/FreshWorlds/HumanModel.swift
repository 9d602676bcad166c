import AmplificationLearners
import AmplificationTasks
import IteratedAmplification
import Synchronization

// The learned model of H (H′, the 2018 experiments' "human model"): an attention model trained on H's transcripts,
// whose decisions replace H's in the third arm's Amp(H′, teacher). H is asked for transcripts at a rate that falls
// as H′ learns, moved by how often H′ reproduces a new transcript before training on it, at the difficulty where
// it does so least: 4 per training step below half, then 1, 0.1 from 90% and 0.01 from 99% (our schedule; the
// issue quotes 2018's as 1, 0.1 and 0.01, moved by H′'s loss). The first rate is ours: H′ learns from transcripts
// alone, so it is limited by their number, and a faster start leaves more of the run to a useful H′ within the
// same budget of transcripts. H answers the step's questions at that weakest difficulty, and stops when the arm's
// budget of transcripts is spent.

/// Which H makes the amplification targets.
enum HumanModelKind: String, Codable {
    /// The task's expert at every node (the default).
    case expert
    /// A learned model of the expert, trained on the expert's transcripts, in a third arm.
    case learned
}

/// How many subquestions H asks at most, by task: the width of H′'s context. `nil` where H's policy (a search over
/// candidates with checks, in shortest path and union find) asks more than a small fixed number.
func humanModelExchanges(task: String) -> Int? {
    switch task {
    case PermutationPoweringTask.name, SequentialAssignmentsTask.name, WildcardSearchTask.name: 2
    default: nil
    }
}

/// H′ with its training data and the rate at which it asks H for transcripts.
///
/// Both are kept by difficulty: H′ must be right at every difficulty, since a wrong leaf answer is wrong in every
/// decomposition above it, and the easy recursive steps outnumber the leaves' look-ups in the transcripts. So the
/// rate follows H′'s weakest difficulty, and each training batch draws its difficulties evenly.
struct HumanModelTrainer<Task: FactPresentingTask> {
    let base: FreshWorldEncoding<Task>
    let maximumExchanges: Int
    var model: AttentionModel
    /// The emissions of the transcripts so far by their question's difficulty, the most recent `bufferLimit` of each.
    private var emissions: [Int: EmissionBuffer] = [:]
    private let bufferLimit = 100_000
    private var generator: SeededRandomNumberGenerator
    /// H transcripts per training step.
    private(set) var rate = 4.0
    private var owed = 0.0
    /// By difficulty, how often H′ reproduced a new transcript's every token before training on it: a moving
    /// average.
    private(set) var recentAccuracy: [Int: Double] = [:]
    private(set) var transcripts = 0
    /// Since the last measurement: new transcripts, and those H′ reproduced.
    private(set) var intervalTranscripts = 0
    private(set) var intervalReproduced = 0
    /// Since the last measurement: questions both H and H′ answered, and those where their answers were the same.
    private(set) var intervalCompared = 0
    private(set) var intervalAgreed = 0

    /// The most recent emissions of one difficulty.
    struct EmissionBuffer {
        var examples: [FactExample] = []
        var nextSlot = 0

        mutating func append(_ example: FactExample, limit: Int) {
            if examples.count < limit {
                examples.append(example)
            } else {
                examples[nextSlot] = example
                nextSlot = (nextSlot + 1) % limit
            }
        }
    }

    /// The most transcripts H gives in the run.
    let budget: Int

    init(
        base: FreshWorldEncoding<Task>, maximumExchanges: Int, configuration: AttentionConfiguration, budget: Int
    ) throws {
        self.base = base
        self.maximumExchanges = maximumExchanges
        self.budget = budget
        let shape = try FactShape(
            policy: FreshWorldPolicyEncoding(base: base, worldSeed: 0, maximumExchanges: maximumExchanges))
        var configuration = configuration
        configuration.seed &+= 0x4855_4d41  // H′'s weights are not the student's.
        model = try AttentionModel(configuration: configuration, shape: shape)
        generator = SeededRandomNumberGenerator(seed: configuration.seed, stream: 4)
    }

    /// Which of a step's questions H answers: `count` of them, at the difficulties where H′ reproduces H's
    /// transcripts least (a difficulty without a transcript yet first), the lowest difficulty first on a tie.
    func questionsForH(difficulties: [Int], count: Int) -> [Int] {
        let order = difficulties.indices.sorted { left, right in
            let (a, b) = (difficulties[left], difficulties[right])
            let (scoreA, scoreB) = (recentAccuracy[a, default: 0], recentAccuracy[b, default: 0])
            return scoreA != scoreB ? scoreA < scoreB : a != b ? a < b : left < right
        }
        return Array(order.prefix(count))
    }

    /// How many questions of this step H answers, leaving transcripts: as the rate says, within the budget.
    mutating func transcriptsDue() -> Int {
        owed += rate
        let due = Int(owed)
        owed -= Double(due)
        return min(due, max(budget - transcripts, 0))
    }

    /// Grades H′ on new transcripts (before it trains on them), adds them to its data, and sets the rate from the
    /// difficulty H′ reproduces least.
    mutating func add(
        _ new: [(worldSeed: UInt64, difficulty: Int, transcript: SupervisorTranscript<Task.Question, TaskAnswer>)]
    ) throws {
        for (worldSeed, difficulty, transcript) in new {
            let encoding = try FreshWorldPolicyEncoding(
                base: base, worldSeed: worldSeed, maximumExchanges: maximumExchanges)
            guard transcript.exchanges.count <= maximumExchanges else { continue }
            let pairs = try encoding.emissions(of: transcript)
            guard !pairs.isEmpty else { continue }
            let predicted = try model.predict(pairs.map(\.context))
            let reproduced = zip(predicted, pairs).allSatisfy { prediction, pair in
                sameToken(prediction, pair.target, facts: pair.context.facts)
            }
            transcripts += 1
            intervalTranscripts += 1
            if reproduced { intervalReproduced += 1 }
            recentAccuracy[difficulty] = 0.9 * recentAccuracy[difficulty, default: 0] + 0.1 * (reproduced ? 1 : 0)
            for pair in pairs {
                emissions[difficulty, default: EmissionBuffer()].append(
                    FactExample(context: pair.context, target: pair.target), limit: bufferLimit)
            }
        }
        let weakest = recentAccuracy.values.min() ?? 0
        rate = weakest >= 0.99 ? 0.01 : weakest >= 0.9 ? 0.1 : weakest >= 0.5 ? 1 : 4
    }

    /// One optimiser step on a batch drawn from every transcript so far, its difficulties drawn evenly.
    mutating func trainStep(batchSize: Int) throws {
        let buffers = emissions.keys.sorted().compactMap { emissions[$0]?.examples }.filter { !$0.isEmpty }
        guard !buffers.isEmpty else { return }
        let batch = (0..<batchSize).map { _ in
            let buffer = buffers[generator.nextInt(in: 0..<buffers.count)]
            return buffer[generator.nextInt(in: 0..<buffer.count)]
        }
        _ = try model.trainStep(on: batch)
    }

    /// Counts the questions where Amp(H′, teacher) answered as Amp(H, teacher) did.
    mutating func compare(_ learned: [TaskAnswer], with expert: [TaskAnswer]) {
        intervalCompared += min(learned.count, expert.count)
        intervalAgreed += zip(learned, expert).filter { $0 == $1 }.count
    }

    /// Since the last call: the share of new transcripts that H′ reproduced, the share of H's questions on which
    /// it answered as H did, and the number of transcripts; resets them.
    mutating func takeInterval() -> (reproduced: Double?, agreement: Double?, transcripts: Int) {
        defer {
            intervalTranscripts = 0
            intervalReproduced = 0
            intervalCompared = 0
            intervalAgreed = 0
        }
        return (
            intervalTranscripts == 0 ? nil : Double(intervalReproduced) / Double(intervalTranscripts),
            intervalCompared == 0 ? nil : Double(intervalAgreed) / Double(intervalCompared),
            intervalTranscripts
        )
    }
}

/// Whether two outputs stand for the same token: pointers at positions holding the same token do.
func sameToken(_ a: FactTarget, _ b: FactTarget, facts: [[Int]]) -> Bool {
    switch (a, b) {
    case (.pointer(let fact, let slot), .pointer(let otherFact, let otherSlot)):
        return facts[fact][slot] == facts[otherFact][otherSlot]
    default:
        return a == b
    }
}

/// H′'s tokens, predicted in batches: the learned supervisors of a step's questions read from it, and note the
/// contexts it does not hold yet.
final class TokenTable: Sendable {
    private struct State {
        var targets: [FactContext: FactTarget] = [:]
        var missing: Set<FactContext> = []
    }
    private let state = Mutex(State())

    func target(_ context: FactContext) -> FactTarget? {
        state.withLock { state in
            if let target = state.targets[context] { return target }
            state.missing.insert(context)
            return nil
        }
    }

    func takeMissing() -> [FactContext] {
        state.withLock { state in
            defer { state.missing.removeAll() }
            return Array(state.missing)
        }
    }

    func add(_ contexts: [FactContext], _ targets: [FactTarget]) {
        state.withLock { state in
            for (context, target) in zip(contexts, targets) { state.targets[context] = target }
        }
    }
}

/// A prediction or a teacher's answer that is not in its table yet: the question's run stops, to be run again
/// once the step's missing predictions are made in one batch.
struct NotYetPredicted: Error {}

/// Amp(H′, teacher) on a step's questions: each run by the HCH engine at depth 1 with a learned supervisor, its
/// tokens and the teacher's answers made in batches, round after round, until every question is answered. An
/// invalid action answers "unknown" and is reported with the answer; H is never called.
func humanModelAnswers<Task: FactPresentingTask>(
    to questions: [(question: WorldQuestion<Task.Question>, world: Task)],
    humanModel: AttentionModel,
    teacher: AttentionModel,
    encoding: FreshWorldEncoding<Task>,
    maximumExchanges: Int
) async throws -> [(answer: TaskAnswer, studentCalls: Int, invalid: Bool)] {
    let answers = SubquestionTable<Task>()
    let tokens = TokenTable()
    let policies = try questions.map {
        try FreshWorldPolicyEncoding(
            base: encoding, worldSeed: $0.question.worldSeed, maximumExchanges: maximumExchanges)
    }
    var results: [(answer: TaskAnswer, studentCalls: Int, invalid: Bool)?] = Array(
        repeating: nil, count: questions.count)
    var pending = Array(questions.indices)
    while !pending.isEmpty {
        let finished = await withTaskGroup(of: (Int, (TaskAnswer, Int, Bool)?).self) { group in
            for index in pending {
                let (question, world) = questions[index]
                let policy = policies[index]
                group.addTask {
                    (
                        index,
                        await amplifyWithHumanModel(
                            question, world: world, policy: policy, tokens: tokens, answers: answers)
                    )
                }
            }
            var finished: [(Int, (TaskAnswer, Int, Bool)?)] = []
            for await outcome in group { finished.append(outcome) }
            return finished
        }
        for (index, outcome) in finished { results[index] = outcome }
        pending = finished.filter { $0.1 == nil }.map(\.0).sorted()
        let missingContexts = tokens.takeMissing().sorted { $0.question.lexicographicallyPrecedes($1.question) }
        let missingQuestions = answers.takeMissing().sorted {
            ($0.worldSeed, String(describing: $0.question)) < ($1.worldSeed, String(describing: $1.question))
        }
        guard !missingContexts.isEmpty || !missingQuestions.isEmpty else { break }
        if !missingContexts.isEmpty { tokens.add(missingContexts, try humanModel.predict(missingContexts)) }
        if !missingQuestions.isEmpty {
            let contexts = try missingQuestions.map { try encoding.context(of: $0) }
            let outputs = try teacher.predict(contexts)
            answers.add(
                missingQuestions.indices.map { index in
                    (
                        missingQuestions[index],
                        encoding.answer(of: outputs[index], to: missingQuestions[index], in: contexts[index])
                    )
                })
        }
    }
    return results.map { $0 ?? (.unknown, 0, false) }
}

/// Amp(H′, teacher) on one question; `nil` when a token or a teacher's answer was not in its table yet.
func amplifyWithHumanModel<Task: FactPresentingTask>(
    _ question: WorldQuestion<Task.Question>,
    world: Task,
    policy: FreshWorldPolicyEncoding<Task>,
    tokens: TokenTable,
    answers: SubquestionTable<Task>
) async -> (answer: TaskAnswer, studentCalls: Int, invalid: Bool)? {
    let assistant = ClosureAssistant<Task.Question, TaskAnswer> { subquestion in
        let asked = WorldQuestion(size: question.size, worldSeed: question.worldSeed, question: subquestion)
        guard let answer = answers.answer(asked) else { throw NotYetPredicted() }
        return answer
    }
    let statistics = LearnedSupervisorStatistics()
    let learned = LearnedSupervisor(encoding: policy, fallback: .answer(.unknown), statistics: statistics) { context in
        guard let target = tokens.target(context) else { throw NotYetPredicted() }
        return target
    }
    var configuration = HCHConfiguration()
    configuration.depth = 1
    let outcome = await HCHEngine(supervisor: learned, assistant: assistant, configuration: configuration)
        .run(question.question)
    switch outcome.result {
    case .success(let answer):
        return (answer, outcome.statistics.assistantCalls, statistics.invalidActions > 0)
    case .failure(let error):
        if isNotYetPredicted(error) { return nil }
        return (.unknown, outcome.statistics.assistantCalls, statistics.invalidActions > 0)
    }
}

private func isNotYetPredicted(_ error: any Error) -> Bool {
    if error is NotYetPredicted { return true }
    if let engineError = error as? EngineError, let underlying = engineError.underlyingError {
        return isNotYetPredicted(underlying)
    }
    return false
}
