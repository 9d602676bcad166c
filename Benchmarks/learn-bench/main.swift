// learn-bench: the attention learner's kernels and training speed, and its memory, against numpy (OpenBLAS) and a
// PyTorch twin of the model measured in the same run by Benchmarks/peers/learn-run.sh.
//
// swift run -c release learn-bench [--quick] [--json PATH] [--peers PATH]
import AmplificationLearners
import CommandLineSupport
import Foundation

/// The command line of learn-bench.
struct Options {
    var quick = false
    var jsonPath: String?
    var peersPath: String?
    /// The parts to run: any of "matmul", "training", "memory"; all by default.
    var parts: Set<String> = ["matmul", "training", "memory"]

    static let usage = """
        usage: learn-bench [--quick] [--json PATH] [--peers PATH] [--only matmul|training|memory]
          --quick        fewer shapes, world sizes 8 and 16, shorter timings (CI)
          --json PATH    write the figures as JSON
          --peers PATH   the JSON Lines of Benchmarks/peers/learn_peers.py, printed side by side
          --only PART    run one part (repeatable)
        """

    init(_ arguments: [String]) throws {
        let parsed = try CommandLineArguments(
            arguments, flags: ["--quick"], valueOptions: ["--only", "--json", "--peers"])
        if let extra = parsed.positionals.first { throw CommandLineUsageError("unexpected argument '\(extra)'") }
        quick = parsed.has("--quick")
        let only = try parsed.all("--only").map { try $0.choice(of: ["matmul", "training", "memory"]) }
        if !only.isEmpty { parts = Set(only) }
        jsonPath = parsed.last("--json")?.value
        peersPath = parsed.last("--peers")?.value
    }
}

/// One matrix-multiply figure.
struct MultiplyResult: Codable, Sendable {
    var shape: String
    var role: String
    var threads: Int
    var gflops: Double
    /// numpy's figure from the peers' file, when one was given.
    var numpyGflops: Double?
}

/// The peers' figures, read from their JSON Lines.
struct PeerFigures {
    var numpy: [String: Double] = [:]  // "shape/threads"
    var pytorch: [String: Double] = [:]  // "worldSize/threads"

    init(path: String?) throws {
        guard let path else { return }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in text.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let threads = object["threads"] as? Int
            else { continue }
            if object["peer"] as? String == "numpy", let shape = object["shape"] as? String,
                let gflops = object["gflops"] as? Double
            {
                numpy["\(shape)/\(threads)"] = gflops
            } else if object["peer"] as? String == "pytorch", let size = object["worldSize"] as? Int,
                let rate = object["examplesPerSecond"] as? Double
            {
                pytorch["\(size)/\(threads)"] = rate
            }
        }
    }
}

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func column(_ value: Double?, _ format: String = "%8.1f") -> String {
    value.map { String(format: format, $0) } ?? String(repeating: " ", count: 7) + "-"
}

func ratio(_ ours: Double, _ theirs: Double?) -> String {
    theirs.map { String(format: "%6.2fx", ours / $0) } ?? "      -"
}

func benchmarkMain(_ options: Options) throws {
    let host = ProcessInfo.processInfo
    let peers = try PeerFigures(path: options.peersPath)
    let threadCounts = [1, 2]
    emit(
        "learn-bench\(options.quick ? " --quick" : ""): \(host.activeProcessorCount) cores, "
            + "\(host.physicalMemory >> 30) GiB, \(Date())"
    )
    emit("matrix kernel: \(matrixKernelDescription)")

    emit("\nmatrix multiply, GFLOP/s (median of timed samples after a discarded warm-up)")
    emit("shape            role                         threads   ours   numpy   ours/numpy")
    var multiplies: [MultiplyResult] = []
    let shapes =
        !options.parts.contains("matmul")
        ? [] : options.quick ? MatrixShape.all.filter { $0.m <= 512 } : MatrixShape.all
    for shape in shapes {
        for threads in threadCounts {
            let gflops = measureMultiply(shape, threads: threads, quick: options.quick)
            let numpy = peers.numpy["\(shape)/\(threads)"]
            multiplies.append(
                MultiplyResult(
                    shape: "\(shape)", role: shape.role, threads: threads, gflops: gflops, numpyGflops: numpy)
            )
            emit(
                "\(shape.description.padding(toLength: 16, withPad: " ", startingAt: 0))"
                    + " \(shape.role.padding(toLength: 28, withPad: " ", startingAt: 0)) \(threads)"
                    + "  \(column(gflops)) \(column(numpy))   \(ratio(gflops, numpy))"
            )
        }
    }

    emit("\ntraining steps of the default model (width 64, 4 heads, 2+2 layers, feed-forward 128, batch 32)")
    emit("world size  threads  parameters  ms/step  examples/s  pytorch ex/s  ours/pytorch")
    var trainings: [TrainingResult] = []
    for worldSize in !options.parts.contains("training") ? [] : options.quick ? [8, 16] : [8, 16, 64] {
        for threads in threadCounts {
            var result = try measureTraining(worldSize: worldSize, threads: threads, quick: options.quick)
            result.pytorchExamplesPerSecond = peers.pytorch["\(worldSize)/\(threads)"]
            trainings.append(result)
            emit(
                String(
                    format: "%10d  %7d  %10d  %7.2f  ", worldSize, threads, result.parameters,
                    result.secondsPerStep * 1e3)
                    + "\(column(result.examplesPerSecond, "%10.0f"))  \(column(result.pytorchExamplesPerSecond, "%12.0f"))"
                    + "  \(ratio(result.examplesPerSecond, result.pytorchExamplesPerSecond))"
            )
        }
    }

    emit("\nmemory of a training run (\(TrainingMemoryProbe.steps) steps, default model, a fresh process per size)")
    emit(
        "world size  peak RSS  model+Adam  activations  bound 4x  peak/bound    growth  step working  ours 4x  "
            + "growth/ours"
    )
    var memories: [MemoryResult] = []
    for worldSize in !options.parts.contains("memory") ? [] : options.quick ? [16] : [8, 16, 64] {
        let result = try TrainingMemoryProbe.measure(worldSize: worldSize)
        memories.append(result)
        func megabytes(_ bytes: Int) -> String { String(format: "%6.1f MB", Double(bytes) / 1e6) }
        emit(
            String(format: "%10d ", worldSize) + " \(megabytes(result.peakResidentBytes))"
                + "   \(megabytes(result.modelAndOptimizerBytes))    \(megabytes(result.activationBytes))"
                + " \(megabytes(result.boundBytes))"
                + String(format: "     %5.2f", Double(result.peakResidentBytes) / Double(result.boundBytes))
                + " \(megabytes(result.growthBytes))     \(megabytes(result.stepWorkingBytes))"
                + " \(megabytes(result.growthBoundBytes))"
                + String(format: "        %5.2f", Double(result.growthBytes) / Double(result.growthBoundBytes))
        )
    }
    emit(
        "bound: the issue's, 4 x (model and optimiser + one batch's activations), against the peak resident set, "
            + "the process's own baseline included; ours: 4 x (model and optimiser + a step's working memory), "
            + "against the growth over the baseline"
    )

    if let path = options.jsonPath {
        struct Document: Encodable {
            var date: String
            var cores: Int
            var quick: Bool
            var matrixKernel: String
            var matrixMultiply: [MultiplyResult]
            var training: [TrainingResult]
            var memory: [MemoryResult]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let document = Document(
            date: ISO8601DateFormatter().string(from: Date()), cores: host.activeProcessorCount,
            quick: options.quick, matrixKernel: matrixKernelDescription, matrixMultiply: multiplies,
            training: trainings, memory: memories
        )
        try encoder.encode(document).write(to: URL(fileURLWithPath: path))
        emit("wrote \(path)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
await CommandLineTool.run(name: "learn-bench", usage: Options.usage) {
    if arguments.first == TrainingMemoryProbe.flag, arguments.count == 2, let size = Int(arguments[1]) {
        try TrainingMemoryProbe.runChild(worldSize: size)
    } else {
        try benchmarkMain(try Options(arguments))
    }
}
