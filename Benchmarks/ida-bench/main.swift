import AmplificationLearners
import AmplificationTasks
import CommandLineSupport
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
        print("      |   by difficulty: amplification \(describeDifficulties(amplification.byDifficulty))")
        print("      |                  supervised    \(describeDifficulties(supervised.byDifficulty))")
    }
    let final = result.final
    print(
        "final: amplification \(percent(final.amplificationAccuracy)), supervised \(percent(final.supervisedAccuracy)); "
            + "horizon \(final.amplificationHorizon.map(String.init) ?? "-") of \(result.highestDifficulty)"
            + (final.amplificationHorizonNeverFell ? ", never fell" : ", FELL")
            + String(format: "; %.1f s", result.seconds))
}

/// The fresh-world experiment: every task at every size with every seed, then the summaries; prints them and
/// writes what was asked for. With `--plan`, prints the runs and their settings instead.
func runFreshWorldExperiment(_ options: BenchOptions) async throws {
    let started = Date()
    var model = AttentionConfiguration(teacherDecay: 0.99)
    if let width = options.width { model.width = width }
    if let heads = options.heads { model.heads = heads }
    if let feedForward = options.feedForwardWidth { model.feedForwardWidth = feedForward }
    if let rate = options.learningRate { model.learningRate = rate }
    if let decay = options.teacherDecay { model.teacherDecay = decay }
    let sizes = options.sizes.isEmpty ? (options.quick ? [8] : [8, 16]) : options.sizes
    let seedCount = options.seedCount ?? (options.quick ? 1 : 3)
    let seeds = (0..<seedCount).map { options.seed + UInt64($0) }
    func setting(task: String, size: Int) -> RunSetting {
        var setting = options.quick ? RunSetting.quick : RunSetting.fullRun(task: task, size: size)
        if let steps = options.steps { setting.steps = steps }
        if let layers = options.layers { (setting.encoderLayers, setting.decoderLayers) = layers }
        return setting
    }
    func attentionModel(task: String, size: Int, seed: UInt64) -> AttentionConfiguration {
        var model = model
        let setting = setting(task: task, size: size)
        (model.encoderLayers, model.decoderLayers) = (setting.encoderLayers, setting.decoderLayers)
        model.seed = seed
        return model
    }
    let evaluationWorlds = options.evaluationWorlds ?? (options.quick ? 200 : 500)
    // Every run (a task at a size with a seed) is independent and seeded on its own, so `jobs` of them run side
    // by side, and their results are the same whatever the order they finish in.
    let plan = sizes.flatMap { size in options.tasks.flatMap { name in seeds.map { (size, name, $0) } } }
    for (size, name, seed) in plan { try attentionModel(task: name, size: size, seed: seed).validate() }
    let heading =
        "ida-bench: fresh worlds, sizes \(sizes.map(String.init).joined(separator: ", ")), seeds "
        + "\(seeds.map(String.init).joined(separator: ", ")), \(evaluationWorlds) held-out worlds per task, size "
        + "and seed, \(options.jobs) runs at a time"
    if options.planOnly {
        print(heading + "; \(plan.count) run\(plan.count == 1 ? "" : "s"), each with both arms:")
        for (size, name, seed) in plan {
            print("  \(name) at size \(size), seed \(seed): \(setting(task: name, size: size))")
        }
        return
    }
    let progress = FreshProgress(
        runs: plan.map { (size, name, _) in
            let setting = setting(task: name, size: size)
            return (size: size, steps: setting.steps, layers: setting.encoderLayers + setting.decoderLayers)
        },
        humanModel: options.humanModel == .learned)
    let settingByTask = sizes.flatMap { size in
        options.tasks.map { "\($0) at size \(size): \(setting(task: $0, size: size))" }
    }
    progress.log(heading + "; per arm: \(settingByTask.joined(separator: "; "))")
    var finished: [FreshRun?] = Array(repeating: nil, count: plan.count)
    try await withThrowingTaskGroup(of: (Int, FreshRun).self) { group in
        var next = 0
        func start(_ index: Int) {
            let (size, name, seed) = plan[index]
            var settings = FreshWorldSettings(
                size: size, seed: seed, steps: setting(task: name, size: size).steps,
                evaluationWorlds: evaluationWorlds, curvePoints: options.quick ? 4 : 20,
                supervisedCurriculum: options.supervisedCurriculum,
                model: attentionModel(task: name, size: size, seed: seed)
            )
            if let worlds = options.worldsPerStep { settings.worldsPerStep = worlds }
            if let questions = options.questionsPerWorld { settings.questionsPerWorld = questions }
            settings.teacherConfidence = options.teacherConfidence
            settings.trainOnUnknownTargets = options.trainOnUnknownTargets
            settings.curriculum = options.hasCurriculum
            settings.humanModel = options.humanModel
            settings.humanTranscriptBudget = options.humanTranscriptBudget
            if let steps = options.humanModelStepsPerStep { settings.humanModelStepsPerStep = steps }
            let runProgress = progress.begin(
                task: name, size: size, seed: seed, steps: settings.steps,
                layers: settings.model.encoderLayers + settings.model.decoderLayers)
            group.addTask {
                let run = try await runFreshWorldTask(named: name, settings: settings, progress: runProgress)
                progress.end(runProgress, summary: summaryLine(run))
                return (index, run)
            }
        }
        while next < min(options.jobs, plan.count) {
            start(next)
            next += 1
        }
        while let (index, run) = try await group.next() {
            finished[index] = run
            if next < plan.count {
                start(next)
                next += 1
            }
        }
    }
    let runs = finished.compactMap { $0 }
    var summaries: [FreshSummary] = []
    for size in sizes {
        for name in options.tasks {
            summaries.append(FreshSummary(runs.filter { $0.size == size && $0.task == name }))
        }
    }
    progress.finish()
    let tables = markdownTables(summaries)
    print("\n" + tables)
    print(String(format: "ida-bench: %.0f s", Date().timeIntervalSince(started)))
    if let path = options.tablePath {
        try tables.write(to: URL(fileURLWithPath: path), atomically: true, encoding: .utf8)
    }
    if let directory = options.plotsDirectory {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in options.tasks {
            let path = URL(fileURLWithPath: directory).appendingPathComponent("fresh-worlds-\(name).svg")
            try freshWorldPlot(task: name, summaries: summaries.filter { $0.task == name })
                .write(to: path, atomically: true, encoding: .utf8)
        }
    }
    if let path = options.jsonPath {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = FreshWorldDocument(
            command: (["ida-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            commit: ProcessInfo.processInfo.environment["IDA_BENCH_COMMIT"],
            seconds: Date().timeIntervalSince(started), summaries: summaries, runs: runs)
        try encoder.encode(document).write(to: URL(fileURLWithPath: path))
    }
}

await CommandLineTool.run(name: "ida-bench", usage: BenchOptions.usage) {
    let options = try BenchOptions(Array(CommandLine.arguments.dropFirst()))
    if !options.singleWorld {
        try await runFreshWorldExperiment(options)
        return
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
}
