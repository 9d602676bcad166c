import AmplificationTasks
import CommandLineSupport
import Foundation

/// The command line of ida-bench, parsed by hand: the package has no dependencies.
struct BenchOptions {
    enum Learner: String { case memory, neural }
    enum CurriculumKind: String { case uniform, adaptive }

    var quick = false
    var tasks: [String] = []
    var seed: UInt64 = 1
    var learner = Learner.neural
    var jsonPath: String?
    var plotsDirectory: String?
    var rounds: Int?
    var questionsPerRound: QuestionCount?
    var evaluationQuestionsPerDifficulty: QuestionCount?
    var hiddenLayerSizes: [Int]?
    var learningRate: Float?
    var epochs: Int?
    var minimumConfidence: Float = 0
    var curriculum = CurriculumKind.uniform
    /// The single-world experiment instead of the fresh-world one.
    var singleWorld = false
    var sizes: [Int] = []
    var seedCount: Int?
    var tablePath: String?
    var steps: Int?
    var evaluationWorlds: Int?
    var width: Int?
    var heads: Int?
    var feedForwardWidth: Int?
    var layers: (encoder: Int, decoder: Int)?
    var teacherDecay: Float?
    var supervisedCurriculum = true
    var hasCurriculum = true
    var teacherConfidence: Double?
    var trainOnUnknownTargets = false
    var worldsPerStep: Int?
    var questionsPerWorld: Int?
    var humanModel = HumanModelKind.expert
    var humanTranscriptBudget: Int?
    var humanModelStepsPerStep: Int?
    /// Print the fresh-world runs planned and stop.
    var planOnly = false
    /// How many runs (a task at a size with a seed) go side by side.
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    static let usage = """
        usage: ida-bench [--quick] [--task NAME]... [--size N]... [--seed N] [--seeds N] [--steps N] [--jobs N]
                         [--evaluation-worlds N] [--json PATH] [--table PATH] [--plots DIR] [--plan]
                         [model settings]
               ida-bench --single-world [--quick] [--task NAME]... [--size N] [--seed N] [--learner memory|neural]
                         [--json PATH] [--plots DIR] [--rounds N] [--questions N|all] [--evaluation N|all]
                         [--curriculum uniform|adaptive] [--confidence P] [--hidden N,N...]
                         [--learning-rate R] [--epochs N]

        Runs the 2018 experiments of Christiano, Shlegeris & Amodei on fresh worlds, both arms per task: a
        supervised arm (the attention learner trained on oracle labels) and an amplification arm (the same
        learner, the same steps and the same worlds, trained on the answers of Amp(H, teacher): H is the task's
        expert, its subquestions are answered by the arm's own averaged teacher, and no label is used). Every
        training step draws new worlds with their symbols renamed; both arms are graded on held-out worlds from
        another seed stream, none of whose facts training ever presented (the overlap is counted and reported).
        Controls: the trained model given another world's facts, and a learner that sees only the question.
          --quick            size 8, one seed, 1,000 steps, 200 held-out worlds: for CI (about two minutes on two cores)
          --task NAME        one of \(taskNames.joined(separator: ", ")) (repeatable; default all)
          --size N           a world size, 8...64 (repeatable; default 8 and 16, or 8 with --quick)
          --seed N           the first seed (default 1); --seeds N runs seeds N, N+1, ... (default 3, or 1
                             with --quick)
          --steps N          training steps per arm, every task (default 8,000 at size 8, 3,000 at larger
                             sizes, except 24,000 for permutation powering and union find at size 8 and 12,000
                             for wildcard search at larger sizes; 1,000 with --quick)
          --evaluation-worlds N  held-out worlds per task, size and seed (default 500, or 200 with --quick)
          --json PATH        write every run and the summaries as JSON
          --table PATH       write the summaries as Markdown tables
          --plots DIR        write one SVG per task: held-out accuracy against step, both arms, per size
          --jobs N           runs (a task at a size with a seed) side by side (default: the cores, here
                             \(ProcessInfo.processInfo.activeProcessorCount)); the results do not depend on it
          --plan             print the runs the other options ask for, each with its steps and layers, and stop
        Model and training settings (both arms):
          --width N --heads N --feed-forward N --layers E,D --learning-rate R --teacher-decay D
                             the attention model (defaults: width 64, 4 heads, feed-forward 128, layers 2,2
                             except 3,3 for permutation powering at size 8 without --quick, learning rate
                             0.001, teacher decay 0.99); --layers applies to every task
          --worlds-per-step N --questions-per-world N
                             each step's batch (default 8 worlds, 8 questions about each)
          --no-curriculum    both arms train on every difficulty from the first step (default: both start on
                             each world's easiest questions and move up one difficulty when their teacher agrees
                             with their targets on more than 85% of the last 20 steps' questions)
          --no-supervised-curriculum  the supervised arm trains on every difficulty from the first step
          --teacher-confidence P  the teacher answers H's subquestions "unknown" when its answer's probability
                             is below P (default: it always answers)
          --train-on-unknown-targets  the amplification arm also trains on the questions Amp(H, teacher)
                             answers "unknown" (default: it skips them, and counts them)
          --human-model KIND expert: H is the task's expert at every node (default); learned: also a third arm
                             trained on Amp(H′, teacher), H′ an attention model of H trained on H's transcripts,
                             which H gives on the questions where H′ is weakest, at 4 per step, then 1, 0.1 and
                             0.01 as H′ learns (permutation powering, sequential assignments and wildcard
                             search; the default tasks with it)
          --human-transcript-budget N  the most transcripts H gives the H′ arm in a run (default: 1/100 of
                             the supervised arm's labels)
          --human-model-steps N  H′'s optimiser steps per training step of the student (default 2)

        --single-world runs the earlier experiment: one world per task, whose questions both arms train on
        round after round and, by default, are graded on, so nothing is held out. It measures how far
        amplification's horizon grows in one world, not generalisation to new worlds.
          --quick            size 16, for CI
          --learner KIND     memory or neural (default neural)
          --size N           the world size, 8...64 (default 64, or 16 with --quick)
          --rounds N         rounds per arm (default: twice the task's difficulties, plus 2)
          --questions N|all  training questions per round and arm: N drawn at random from every difficulty, or
                             all: every question of the world, each round (default all)
          --curriculum KIND  with --questions N: uniform, every round draws from every difficulty (default);
                             adaptive, the amplification arm draws up to one difficulty past the student's horizon
          --evaluation N|all evaluation questions: N per difficulty from a stream never used for training, or
                             all: every question of the world (default all)
          --confidence P     the neural student answers "unknown" below this confidence (default 0)
          --hidden N,N...    the neural student's hidden layer sizes (default 256; wildcard search 256,256)
          --learning-rate R  the neural student's step size (default 0.005; 0.003 on wildcard search
                             and shortest path)
          --epochs N         the neural student's epochs per round (default 20)
        """

    static let taskNames = [
        "permutation-powering", "sequential-assignments", "wildcard-search", "shortest-path", "union-find",
    ]

    static let flags: Set = [
        "--quick", "--single-world", "--no-supervised-curriculum", "--no-curriculum",
        "--train-on-unknown-targets", "--plan",
    ]
    static let valueOptions: Set = [
        "--seeds", "--table", "--steps", "--evaluation-worlds", "--width", "--heads", "--worlds-per-step",
        "--questions-per-world", "--feed-forward", "--layers", "--teacher-decay", "--teacher-confidence", "--task",
        "--seed", "--learner", "--json", "--plots", "--size", "--rounds", "--questions", "--evaluation", "--hidden",
        "--learning-rate", "--epochs", "--curriculum", "--confidence", "--human-model",
        "--human-transcript-budget", "--human-model-steps", "--jobs",
    ]

    init(_ arguments: [String]) throws {
        let parsed = try CommandLineArguments(arguments, flags: Self.flags, valueOptions: Self.valueOptions)
        if let extra = parsed.positionals.first { throw CommandLineUsageError("unexpected argument '\(extra)'") }
        func count(_ option: CommandLineArguments.Option) throws -> QuestionCount {
            let text = try option.requiredValue()
            if text == "all" { return .all }
            guard let number = Int(text), number >= 0 else {
                throw CommandLineUsageError("\(option.name) needs a whole number or 'all', not '\(text)'")
            }
            return .count(number)
        }
        for option in parsed.options {
            let positive = 1...Int.max
            switch option.name {
            case "--quick": quick = true
            case "--single-world": singleWorld = true
            case "--no-supervised-curriculum": supervisedCurriculum = false
            case "--no-curriculum": hasCurriculum = false
            case "--train-on-unknown-targets": trainOnUnknownTargets = true
            case "--plan": planOnly = true
            case "--seeds": seedCount = try option.integer(in: positive)
            case "--table": tablePath = option.value
            case "--steps": steps = try option.integer(in: positive)
            case "--evaluation-worlds": evaluationWorlds = try option.integer(in: positive)
            case "--width": width = try option.integer(in: positive)
            case "--heads": heads = try option.integer(in: positive)
            case "--worlds-per-step": worldsPerStep = try option.integer(in: positive)
            case "--questions-per-world": questionsPerWorld = try option.integer(in: positive)
            case "--feed-forward": feedForwardWidth = try option.integer(in: positive)
            case "--layers":
                let text = try option.requiredValue()
                let counts = text.split(separator: ",").compactMap { Int($0) }
                guard counts.count == 2, text.split(separator: ",").count == 2 else {
                    throw CommandLineUsageError("--layers needs encoder and decoder layers such as 2,2, not '\(text)'")
                }
                layers = (counts[0], counts[1])
            case "--teacher-decay":
                let decay = try option.double(in: 0...1)
                guard decay < 1 else { throw CommandLineUsageError("--teacher-decay needs a number in 0..<1, not 1") }
                teacherDecay = Float(decay)
            case "--teacher-confidence": teacherConfidence = try option.double(in: 0...1)
            case "--task": tasks.append(try option.choice(of: Self.taskNames))
            case "--seed": seed = UInt64(try option.integer(in: 0...Int.max))
            case "--learner":
                learner = Learner(rawValue: try option.choice(of: ["memory", "neural"])) ?? .neural
            case "--json": jsonPath = option.value
            case "--plots": plotsDirectory = option.value
            case "--size": sizes.append(try option.integer(in: 0...Int.max))
            case "--rounds": rounds = try option.integer(in: 0...Int.max)
            case "--questions": questionsPerRound = try count(option)
            case "--evaluation": evaluationQuestionsPerDifficulty = try count(option)
            case "--hidden":
                let text = try option.requiredValue()
                let sizes = text.split(separator: ",").compactMap { Int($0) }
                guard !sizes.isEmpty, sizes.count == text.split(separator: ",").count, sizes.allSatisfy({ $0 > 0 })
                else { throw CommandLineUsageError("--hidden needs sizes such as 256,256, not '\(text)'") }
                hiddenLayerSizes = sizes
            case "--learning-rate":
                let rate = try option.double()
                guard rate > 0 else {
                    throw CommandLineUsageError("--learning-rate needs a positive number, not \(rate)")
                }
                learningRate = Float(rate)
            case "--epochs": epochs = try option.integer(in: 0...Int.max)
            case "--curriculum":
                curriculum = CurriculumKind(rawValue: try option.choice(of: ["uniform", "adaptive"])) ?? .uniform
            case "--confidence": minimumConfidence = Float(try option.double(in: 0...1))
            case "--human-transcript-budget": humanTranscriptBudget = try option.integer(in: 0...Int.max)
            case "--human-model-steps": humanModelStepsPerStep = try option.integer(in: positive)
            case "--jobs": jobs = try option.integer(in: positive)
            case "--human-model":
                humanModel = HumanModelKind(rawValue: try option.choice(of: ["expert", "learned"])) ?? .expert
            default: break
            }
        }
        if humanModel == .learned {
            if let unsupported = tasks.first(where: { humanModelExchanges(task: $0) == nil }) {
                throw CommandLineUsageError(
                    "--human-model learned does not support \(unsupported): its H searches over candidates with "
                        + "many subquestions; it supports \(Self.taskNames.filter { humanModelExchanges(task: $0) != nil }.joined(separator: ", "))"
                )
            }
            if tasks.isEmpty { tasks = Self.taskNames.filter { humanModelExchanges(task: $0) != nil } }
        } else if let option = ["--human-transcript-budget", "--human-model-steps"].first(where: { name in
            parsed.options.contains { $0.name == name }
        }) {
            throw CommandLineUsageError("\(option) applies only with --human-model learned")
        }
        if tasks.isEmpty { tasks = Self.taskNames }
        let singleWorldOnly: Set = [
            "--learner", "--rounds", "--questions", "--evaluation", "--hidden", "--epochs", "--curriculum",
            "--confidence",
        ]
        let freshWorldsOnly: Set = [
            "--seeds", "--steps", "--evaluation-worlds", "--table", "--width", "--heads", "--feed-forward", "--layers",
            "--teacher-decay", "--worlds-per-step", "--questions-per-world", "--no-supervised-curriculum",
            "--no-curriculum", "--teacher-confidence", "--train-on-unknown-targets", "--human-model",
            "--human-transcript-budget", "--human-model-steps", "--jobs", "--plan",
        ]
        let misplaced = parsed.options.map(\.name).first {
            (singleWorld ? freshWorldsOnly : singleWorldOnly).contains($0)
        }
        if let misplaced {
            throw CommandLineUsageError(
                singleWorld
                    ? "\(misplaced) applies to the fresh-world experiment, not to --single-world"
                    : "\(misplaced) applies only to --single-world")
        }
        if singleWorld, sizes.count > 1 { throw CommandLineUsageError("--single-world takes one --size") }
        if !supervisedCurriculum, !hasCurriculum {
            throw CommandLineUsageError("--no-supervised-curriculum and --no-curriculum do not go together")
        }
    }

    var effectiveSize: Int { sizes.last ?? (quick ? 16 : 64) }
    var effectiveQuestionsPerRound: QuestionCount { questionsPerRound ?? .all }
    var effectiveEvaluationQuestions: QuestionCount { evaluationQuestionsPerDifficulty ?? .all }
}

/// How many questions: a number drawn at random, or every question of the world.
enum QuestionCount: Equatable {
    case count(Int)
    case all

    /// The number of questions per round, given the number of questions of the world.
    func resolved(world: Int) -> Int {
        switch self {
        case .count(let count): count
        case .all: world
        }
    }
}

/// An error of a run, printed without a stack.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
