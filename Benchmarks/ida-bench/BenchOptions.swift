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
    var size: Int?
    var rounds: Int?
    var questionsPerRound: QuestionCount?
    var evaluationQuestionsPerDifficulty: QuestionCount?
    var hiddenLayerSizes: [Int]?
    var learningRate: Float?
    var epochs: Int?
    var minimumConfidence: Float = 0
    var curriculum = CurriculumKind.uniform
    /// The fresh-world experiment (preliminary) instead of the single-world one.
    var freshWorlds = false
    var steps: Int?
    var evaluationWorlds: Int?

    static let usage = """
        usage: ida-bench [--quick] [--task NAME]... [--seed N] [--learner memory|neural] [--json PATH] [--plots DIR]
                         [--size N] [--rounds N] [--questions N|all] [--evaluation N|all]
                         [--curriculum uniform|adaptive] [--confidence P] [--hidden N,N...] [--learning-rate R]
                         [--epochs N]

        Runs the 2018 experiments: for each task, an amplification arm (the learner sees only Amp(H, X)'s
        answers; the oracle only grades the evaluation questions) and a supervised arm (the same learner, the
        same number of training questions, labelled by the oracle). By default both arms train on every question
        of one world and are graded on every question of it, so nothing is held out; --questions N --evaluation
        M grades M questions per difficulty that training never drew. Prints, per round, each arm's accuracy on the
        evaluation questions by difficulty, the H calls, the labels and the horizon (the highest difficulty up
        to which every difficulty is answered with at least 95% accuracy).
          --quick            size 16, for CI
          --task NAME        one of \(taskNames.joined(separator: ", ")) (repeatable; default all)
          --seed N           the seed of worlds, questions and learners (default 1)
          --learner KIND     memory or neural (default neural)
          --json PATH        write the results as JSON
          --plots DIR        write one SVG per task: accuracy and horizon by round, both arms
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

        Fresh worlds (preliminary; see Documentation/ida-bench/README.md):
          --fresh-worlds     every training question from a world of its own, both arms training the attention
                             learner for the same steps on the same worlds, graded on held-out worlds; size 8
                             by default
          --steps N          training steps per arm (default 2000)
          --evaluation-worlds N  held-out worlds (default 500)
        """

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
            guard let number = Int(text), number >= 0 else { throw BenchError("\(name) needs a whole number, not '\(text)'") }
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
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--quick": quick = true
            case "--fresh-worlds": freshWorlds = true
            case "--steps": steps = try integer(argument)
            case "--evaluation-worlds": evaluationWorlds = try integer(argument)
            case "--task":
                let name = try value(argument)
                guard Self.taskNames.contains(name) else {
                    throw BenchError("unknown task '\(name)'; the tasks are \(Self.taskNames.joined(separator: ", "))")
                }
                tasks.append(name)
            case "--seed": seed = UInt64(try integer(argument))
            case "--learner":
                let name = try value(argument)
                guard let kind = Learner(rawValue: name) else { throw BenchError("--learner is memory or neural, not '\(name)'") }
                learner = kind
            case "--json": jsonPath = try value(argument)
            case "--plots": plotsDirectory = try value(argument)
            case "--size": size = try integer(argument)
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
    }

    var effectiveSize: Int { size ?? (quick ? 16 : 64) }
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
