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
    var hasCurriculum = false
    var teacherConfidence: Double?
    var trainOnUnknownTargets = false
    var worldsPerStep: Int?
    var questionsPerWorld: Int?

    static let usage = """
        usage: ida-bench [--quick] [--task NAME]... [--size N]... [--seed N] [--seeds N] [--steps N]
                         [--evaluation-worlds N] [--json PATH] [--table PATH] [--plots DIR] [model settings]
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
          --steps N          training steps per arm (default at size 8: \(grouped(defaultSteps(task: "", size: 8))), or
                             \(grouped(defaultSteps(task: "permutation-powering", size: 8))) for permutation powering; \(grouped(defaultSteps(task: "", size: 16))) at larger sizes; 1,000
                             with --quick)
          --evaluation-worlds N  held-out worlds per task, size and seed (default 500, or 200 with --quick)
          --json PATH        write every run and the summaries as JSON
          --table PATH       write the summaries as Markdown tables
          --plots DIR        write one SVG per task: held-out accuracy against step, both arms, per size
        Model and training settings (both arms):
          --width N --heads N --feed-forward N --layers E,D --learning-rate R --teacher-decay D
                             the attention model (defaults: width 64, 4 heads, feed-forward 128, layers 2,2,
                             learning rate 0.001, teacher decay 0.99)
          --worlds-per-step N --questions-per-world N
                             each step's batch (default 8 worlds, 8 questions about each)
          --curriculum-by-difficulty  both arms start on each world's easiest questions and move up one
                             difficulty when their teacher agrees with their targets on more than 85% of the
                             last 20 steps' questions (default: no curriculum; both arms train on every
                             difficulty from the first step, as 2018 does within a world size)
          --no-supervised-curriculum  with --curriculum-by-difficulty, only the amplification arm follows it
          --teacher-confidence P  the teacher answers H's subquestions "unknown" when its answer's probability
                             is below P (default: it always answers)
          --train-on-unknown-targets  the amplification arm also trains on the questions Amp(H, teacher)
                             answers "unknown" (default: it skips them, and counts them)

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

    /// Training steps per arm of the full fresh-world run, by task and world size. Permutation powering gets more
    /// at size 8: its supervised arm learns the higher powers only after 5,000 to 8,000 steps, and its
    /// amplification arm, whose targets for them wait on its teacher, about a thousand steps later.
    static func defaultSteps(task: String, size: Int) -> Int {
        guard size <= 8 else { return 3_000 }
        return task == "permutation-powering" ? 12_000 : 8_000
    }

    static let taskNames = [
        "permutation-powering", "sequential-assignments", "wildcard-search", "shortest-path", "union-find",
    ]

    init(_ arguments: [String]) throws {
        var index = 0
        func value(_ name: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchError("\(name) needs a value\n\n\(Self.usage)") }
            return arguments[index]
        }
        func integer(_ name: String) throws -> Int {
            let text = try value(name)
            guard let number = Int(text), number >= 0 else {
                throw BenchError("\(name) needs a whole number, not '\(text)'")
            }
            return number
        }
        func positive(_ name: String) throws -> Int {
            let number = try integer(name)
            guard number > 0 else { throw BenchError("\(name) needs a number above 0, not 0") }
            return number
        }
        func count(_ name: String) throws -> QuestionCount {
            let text = try value(name)
            if text == "all" { return .all }
            guard let number = Int(text), number >= 0 else {
                throw BenchError("\(name) needs a whole number or 'all', not '\(text)'")
            }
            return .count(number)
        }
        var given: [String] = []
        while index < arguments.count {
            let argument = arguments[index]
            given.append(argument)
            switch argument {
            case "--quick": quick = true
            case "--single-world": singleWorld = true
            case "--seeds": seedCount = try positive(argument)
            case "--table": tablePath = try value(argument)
            case "--steps": steps = try positive(argument)
            case "--evaluation-worlds": evaluationWorlds = try positive(argument)
            case "--width": width = try positive(argument)
            case "--heads": heads = try positive(argument)
            case "--worlds-per-step": worldsPerStep = try positive(argument)
            case "--questions-per-world": questionsPerWorld = try positive(argument)
            case "--feed-forward": feedForwardWidth = try positive(argument)
            case "--layers":
                let text = try value(argument)
                let counts = text.split(separator: ",").compactMap { Int($0) }
                guard counts.count == 2, text.split(separator: ",").count == 2 else {
                    throw BenchError("--layers needs encoder and decoder layers such as 2,2, not '\(text)'")
                }
                layers = (counts[0], counts[1])
            case "--teacher-decay":
                let text = try value(argument)
                guard let decay = Float(text), (0..<1).contains(decay) else {
                    throw BenchError("--teacher-decay needs a number in 0..<1, not '\(text)'")
                }
                teacherDecay = decay
            case "--no-supervised-curriculum": supervisedCurriculum = false
            case "--curriculum-by-difficulty": hasCurriculum = true
            case "--train-on-unknown-targets": trainOnUnknownTargets = true
            case "--teacher-confidence":
                let text = try value(argument)
                guard let confidence = Double(text), (0...1).contains(confidence) else {
                    throw BenchError("--teacher-confidence needs a probability in 0...1, not '\(text)'")
                }
                teacherConfidence = confidence
            case "--task":
                let name = try value(argument)
                guard Self.taskNames.contains(name) else {
                    throw BenchError("unknown task '\(name)'; the tasks are \(Self.taskNames.joined(separator: ", "))")
                }
                tasks.append(name)
            case "--seed": seed = UInt64(try integer(argument))
            case "--learner":
                let name = try value(argument)
                guard let kind = Learner(rawValue: name) else {
                    throw BenchError("--learner is memory or neural, not '\(name)'")
                }
                learner = kind
            case "--json": jsonPath = try value(argument)
            case "--plots": plotsDirectory = try value(argument)
            case "--size": sizes.append(try integer(argument))
            case "--rounds": rounds = try integer(argument)
            case "--questions": questionsPerRound = try count(argument)
            case "--evaluation": evaluationQuestionsPerDifficulty = try count(argument)
            case "--hidden":
                let text = try value(argument)
                let sizes = text.split(separator: ",").compactMap { Int($0) }
                guard !sizes.isEmpty, sizes.count == text.split(separator: ",").count, sizes.allSatisfy({ $0 > 0 })
                else { throw BenchError("--hidden needs sizes such as 256,256, not '\(text)'") }
                hiddenLayerSizes = sizes
            case "--learning-rate":
                let text = try value(argument)
                guard let rate = Float(text), rate > 0 else {
                    throw BenchError("--learning-rate needs a positive number, not '\(text)'")
                }
                learningRate = rate
            case "--epochs": epochs = try integer(argument)
            case "--curriculum":
                let name = try value(argument)
                guard let kind = CurriculumKind(rawValue: name) else {
                    throw BenchError("--curriculum is uniform or adaptive, not '\(name)'")
                }
                curriculum = kind
            case "--confidence":
                let text = try value(argument)
                guard let confidence = Float(text), (0...1).contains(confidence) else {
                    throw BenchError("--confidence needs a number in 0...1, not '\(text)'")
                }
                minimumConfidence = confidence
            case "--help", "-h": throw BenchError(Self.usage, isHelp: true)
            default: throw BenchError("unknown argument '\(argument)'\n\n\(Self.usage)")
            }
            index += 1
        }
        if tasks.isEmpty { tasks = Self.taskNames }
        let singleWorldOnly: Set = [
            "--learner", "--rounds", "--questions", "--evaluation", "--hidden", "--epochs", "--curriculum",
            "--confidence",
        ]
        let freshWorldsOnly: Set = [
            "--seeds", "--steps", "--evaluation-worlds", "--table", "--width", "--heads", "--feed-forward", "--layers",
            "--teacher-decay", "--worlds-per-step", "--questions-per-world", "--no-supervised-curriculum",
            "--curriculum-by-difficulty", "--teacher-confidence", "--train-on-unknown-targets",
        ]
        if let misplaced = given.first(where: { (singleWorld ? freshWorldsOnly : singleWorldOnly).contains($0) }) {
            throw BenchError(
                singleWorld
                    ? "\(misplaced) applies to the fresh-world experiment, not to --single-world"
                    : "\(misplaced) applies only to --single-world")
        }
        if singleWorld, sizes.count > 1 { throw BenchError("--single-world takes one --size") }
        if !supervisedCurriculum, !hasCurriculum {
            throw BenchError("--no-supervised-curriculum applies only with --curriculum-by-difficulty")
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

/// An error of the command line or of a run, printed without a stack.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    let isHelp: Bool

    init(_ description: String, isHelp: Bool = false) {
        self.description = description
        self.isHelp = isHelp
    }
}
