import AmplificationLearners
import AmplificationTasks
import Foundation
import IteratedAmplification

// ida-bench: the 2018 experiments of Christiano, Shlegeris & Amodei, both arms per task. See BenchOptions.usage.

/// Runs one task with the chosen learner.
func run<Task: AlgorithmicTask>(_ type: Task.Type, options: BenchOptions) async throws -> TaskResult
where Task.Answer: Equatable {
    let world = try Task(size: options.effectiveSize, seed: options.seed)
    switch options.learner {
    case .memory:
        let distiller = MemoryDistiller(encoding: world.encoding)
        return try await runExperiment(
            world: world, distiller: distiller, untrained: try MemoryAssistant(encoding: world.encoding),
            learnerName: "memory", options: options)
    case .neural:
        var configuration = NeuralNetworkConfiguration(seed: options.seed)
        // Wildcard search has many features of few values and many answer classes: one hidden layer of 256
        // fits about 75% of its questions even with oracle labels, two fit all of them (UsingTheLearners).
        if Task.name == WildcardSearchTask.name {
            configuration.hiddenLayerSizes = [256, 256]
            configuration.learningRate = 0.003
        }
        // Shortest path, continued round after round at step size 0.005, once lost its fit (seed 1, round 9:
        // 100% fell to 91%) and the amplification arm compounded the errors for a few rounds; 0.003 did not.
        if Task.name == ShortestPathTask.name { configuration.learningRate = 0.003 }
        if let sizes = options.hiddenLayerSizes { configuration.hiddenLayerSizes = sizes }
        if let rate = options.learningRate { configuration.learningRate = rate }
        if let epochs = options.epochs { configuration.trainingLength = .epochs(epochs) }
        configuration.minimumConfidence = options.minimumConfidence
        let distiller = NeuralNetworkDistiller(encoding: world.encoding, configuration: configuration)
        return try await runExperiment(
            world: world, distiller: distiller, untrained: try distiller.untrainedStudent(), learnerName: "neural",
            options: options)
    }
}

func runTask(named name: String, options: BenchOptions) async throws -> TaskResult {
    switch name {
    case PermutationPoweringTask.name: try await run(PermutationPoweringTask.self, options: options)
    case SequentialAssignmentsTask.name: try await run(SequentialAssignmentsTask.self, options: options)
    case WildcardSearchTask.name: try await run(WildcardSearchTask.self, options: options)
    case ShortestPathTask.name: try await run(ShortestPathTask.self, options: options)
    case UnionFindTask.name: try await run(UnionFindTask.self, options: options)
    default: throw BenchError("unknown task '\(name)'")
    }
}

func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

func percent(_ value: Double) -> String { String(format: "%5.1f%%", value * 100) }

func describe(_ byDifficulty: [DifficultyAccuracy]) -> String {
    byDifficulty.map { "\($0.difficulty):\(Int(($0.accuracy * 100).rounded()))" }.joined(separator: " ")
}

func printTable(_ result: TaskResult) {
    print(
        "\n\(result.task): size \(result.size), \(result.learner) learner, seed \(result.seed), difficulties "
            + "\(result.lowestDifficulty)...\(result.highestDifficulty), \(result.questionsPerRound) questions per "
            + "round and arm\(result.trainingQuestionsAreTheWorld ? " (every question of the world)" : ""), "
            + "\(result.evaluationQuestions) evaluation questions"
            + (result.evaluationQuestionsAreTheWorld
                ? " (every question of the world)"
                : result.trainingQuestionsAreTheWorld
                    ? " (drawn from the world, all of which is trained on: none held out)"
                    : " (drawn from a stream never used for training)"))
    print("round | amplification: accuracy horizon  H calls labels | supervised: accuracy horizon labels")
    for round in result.rounds {
        let amplification = round.amplification
        let supervised = round.supervised
        let horizon = { (value: Int?) in pad(value.map(String.init) ?? "-", 7) }
        print(
            "\(pad(String(round.round), 5)) |                \(percent(amplification.accuracy)) "
                + "\(horizon(amplification.horizon)) \(pad(String(amplification.overseerCalls), 8)) "
                + "\(pad(String(amplification.labels), 6)) |             \(percent(supervised.accuracy)) "
                + "\(horizon(supervised.horizon)) \(pad(String(supervised.labels), 6))")
        print("      |   by difficulty: amplification \(describe(amplification.byDifficulty))")
        print("      |                  supervised    \(describe(supervised.byDifficulty))")
    }
    let final = result.final
    print(
        "final: amplification \(percent(final.amplificationAccuracy)), supervised \(percent(final.supervisedAccuracy)); "
            + "horizon \(final.amplificationHorizon.map(String.init) ?? "-") of \(result.highestDifficulty)"
            + (final.amplificationHorizonNeverFell ? ", never fell" : ", FELL")
            + String(format: "; %.1f s", result.seconds))
}

/// The fresh-world experiment: prints each task's result and writes them as JSON.
func runFreshWorldExperiment(_ options: BenchOptions) async throws {
    let settings = FreshWorldSettings(
        size: options.size ?? 8, seed: options.seed, steps: max(1, options.steps ?? 2_000),
        evaluationWorlds: max(1, options.evaluationWorlds ?? 500), curvePoints: 10
    )
    func print(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    print(
        "ida-bench --fresh-worlds: size \(settings.size), seed \(settings.seed), \(settings.steps) steps per arm, "
            + "\(settings.evaluationWorlds) held-out worlds"
    )
    var results: [FreshTaskResult] = []
    for name in options.tasks {
        let result = try await runFreshWorldTask(named: name, settings: settings)
        results.append(result)
        print(
            "\(result.task): held-out supervised \(percent(result.supervised.heldOutAccuracy)) "
                + "(\(result.supervised.labels) labels), amplification \(percent(result.amplification.heldOutAccuracy)) "
                + "(\(result.amplification.labels) labels, \(result.amplification.hCalls) H calls); controls: other "
                + "world's facts \(percent(result.controls.otherWorldFacts)), chance \(percent(result.controls.chance)); "
                + "held-out worlds seen in training: \(result.trainingWorldOverlap) "
                + "(\(result.excludedTrainingWorlds) training draws skipped for presenting one)"
        )
        print("   by difficulty: supervised    \(describe(result.supervised.byDifficulty))")
        print("                  amplification \(describe(result.amplification.byDifficulty))")
    }
    if let path = options.jsonPath {
        struct Document: Encodable {
            var command: String
            var tasks: [FreshTaskResult]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = Document(
            command: (["ida-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "), tasks: results)
        try encoder.encode(document).write(to: URL(fileURLWithPath: path))
    }
}

do {
    let options = try BenchOptions(Array(CommandLine.arguments.dropFirst()))
    if options.freshWorlds {
        try await runFreshWorldExperiment(options)
        exit(0)
    }
    var results: [TaskResult] = []
    for name in options.tasks {
        let result = try await runTask(named: name, options: options)
        printTable(result)
        results.append(result)
        if let directory = options.plotsDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = URL(fileURLWithPath: directory).appendingPathComponent("\(result.task).svg")
            try svgPlot(result).write(to: path, atomically: true, encoding: .utf8)
        }
    }
    if let path = options.jsonPath {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let results = BenchResults(
            tasks: results, command: (["ida-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            quick: options.quick)
        try encoder.encode(results).write(to: URL(fileURLWithPath: path))
    }
} catch let error as BenchError where error.isHelp {
    print(error.description)
} catch {
    FileHandle.standardError.write(Data("ida-bench: \(error)\n".utf8))
    exit(1)
}
