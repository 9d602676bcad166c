import BenchmarkSupport
import Foundation

/// What one run of a case did to a fresh process's resident set.
struct ResidentFootprint: Sendable {
    /// The peak resident set during the run, over the resident set before it, in bytes.
    var growth: Int
    /// The peak resident set during the run, the process's own baseline included, in bytes.
    var peak: Int
}

/// Measures a case's resident-memory growth in a fresh process, so no earlier case's heap distorts it.
enum MemoryProbe {
    /// The argument that turns this executable into a probe.
    static let flag = "--probe"

    /// Runs `implementation` of `benchmark` in a child process; returns its footprint, or `nil`.
    static func measure(_ benchmark: BenchmarkCase, _ implementation: Implementation) -> ResidentFootprint? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [flag, benchmark.name, implementation.rawValue]
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard fields.count == 2 else { return nil }
        return ResidentFootprint(growth: fields[0], peak: fields[1])
    }

    /// The probe's side: a small warm-up, then one run of the case; prints the peak's growth and the peak, in bytes.
    @concurrent
    static func runChild(caseName: String, implementation: String) async throws {
        guard let benchmark = (BenchmarkCase.full + BenchmarkCase.quick).first(where: { $0.name == caseName }),
            let implementation = Implementation(rawValue: implementation)
        else {
            throw BenchmarkFailure(description: "probe: no case \(caseName) or implementation \(implementation)")
        }
        // Warm the runtime (threads, metadata, allocator) on a small tree of the same shape.
        var warmUp = benchmark
        warmUp.leaves = min(benchmark.leaves, 1_000)
        warmUp.latencyMilliseconds = min(benchmark.latencyMilliseconds, 1)
        _ = try await runOnce(warmUp, implementation)
        let reset = ResidentMemory.resetPeak()
        guard let baseline = ResidentMemory.current() else { throw BenchmarkFailure(description: "probe: no /proc") }
        _ = try await runOnce(benchmark, implementation)
        let peak = reset ? (ResidentMemory.peak() ?? baseline) : (ResidentMemory.current() ?? baseline)
        print(max(0, peak - baseline), max(peak, baseline))
    }
}
