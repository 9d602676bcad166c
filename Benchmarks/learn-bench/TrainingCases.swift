import AmplificationLearners
import BenchmarkSupport
import Foundation
import IteratedAmplification

/// What one training case measured.
struct TrainingResult: Codable, Sendable {
    var worldSize: Int
    var threads: Int
    var batchSize: Int
    var parameters: Int
    var secondsPerStep: Double
    var examplesPerSecond: Double
    /// The PyTorch twin's figure from the peers' file, when one was given.
    var pytorchExamplesPerSecond: Double?
}

/// Returns the default model's training throughput at a world size with a number of threads.
func measureTraining(worldSize: Int, threads: Int, quick: Bool) throws -> TrainingResult {
    var configuration = AttentionConfiguration()
    configuration.threads = threads
    var model = try AttentionModel(configuration: configuration, shape: try Workload.shape(worldSize: worldSize))
    // Eight batches' worth of examples; `train` draws its batches from them in shuffled passes, as a run does.
    let examples = Workload.batches(worldSize: worldSize, batchSize: configuration.batchSize, count: 8, seed: 1)
        .flatMap { $0 }
    let stepsPerCall = 10
    try model.train(on: examples, steps: 4)
    let seconds =
        try medianSecondsPerCall(samples: quick ? 3 : 5, minimumSeconds: quick ? 0.1 : 0.5) {
            try model.train(on: examples, steps: stepsPerCall)
        } / Double(stepsPerCall)
    return TrainingResult(
        worldSize: worldSize, threads: threads, batchSize: configuration.batchSize,
        parameters: model.parameterCount, secondsPerStep: seconds,
        examplesPerSecond: Double(configuration.batchSize) / seconds
    )
}

/// What a training run did to a fresh process's resident set, against what the model needs.
struct MemoryResult: Codable, Sendable {
    var worldSize: Int
    var steps: Int
    /// The process's peak resident set during the run, its own baseline (runtime, Foundation) included.
    var peakResidentBytes: Int
    /// The peak over the resident set before the model was made.
    var growthBytes: Int
    /// The weights, the teacher and Adam's two moments.
    var modelAndOptimizerBytes: Int
    /// One batch's activations (the forward pass's buffers).
    var activationBytes: Int
    /// One step's activations, their gradients and the weights' gradient, for one batch.
    var stepWorkingBytes: Int
    /// The bound on the peak resident set: 4 × (model and optimiser + one batch's activations).
    var boundBytes: Int
    /// Our bound on the growth over the process's baseline: 4 × (model and optimiser + a step's working bytes).
    var growthBoundBytes: Int
}

/// Measures a training run's memory in a child process, so nothing measured earlier in this process counts.
enum TrainingMemoryProbe {
    static let flag = "--probe-memory"
    static let steps = 20

    static func measure(worldSize: Int) throws -> MemoryResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [flag, String(worldSize)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure(description: "the memory probe at world size \(worldSize) failed")
        }
        return try JSONDecoder().decode(MemoryResult.self, from: data)
    }

    /// The child's side: warm the runtime on a tiny model, then train the default model and report.
    static func runChild(worldSize: Int) throws {
        var warmUp = try AttentionModel(
            configuration: AttentionConfiguration(), shape: try Workload.shape(worldSize: 2))
        try warmUp.trainStep(on: Workload.batches(worldSize: 2, batchSize: 4, count: 1, seed: 2)[0])
        let reset = ResidentMemory.resetPeak()
        guard let baseline = ResidentMemory.current() else { throw BenchmarkFailure(description: "no /proc") }
        var model = try AttentionModel(
            configuration: AttentionConfiguration(), shape: try Workload.shape(worldSize: worldSize))
        let batches = Workload.batches(worldSize: worldSize, batchSize: 32, count: 4, seed: 1)
        try model.train(on: batches.flatMap { $0 }, steps: steps)
        let peak = reset ? (ResidentMemory.peak() ?? baseline) : (ResidentMemory.current() ?? baseline)
        let modelBytes = 4 * model.parameterCount * MemoryLayout<Float>.stride
        let memory = model.stepMemory(batches[0])
        let result = MemoryResult(
            worldSize: worldSize, steps: steps, peakResidentBytes: max(peak, baseline),
            growthBytes: max(0, peak - baseline), modelAndOptimizerBytes: modelBytes,
            activationBytes: memory.activationBytes, stepWorkingBytes: memory.workingBytes,
            boundBytes: 4 * (modelBytes + memory.activationBytes),
            growthBoundBytes: 4 * (modelBytes + memory.workingBytes)
        )
        FileHandle.standardOutput.write(try JSONEncoder().encode(result))
    }
}

/// A failure of the benchmark itself, printed as it is.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}
