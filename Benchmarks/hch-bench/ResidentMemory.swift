import Foundation

/// Resident memory of this process, read from /proc (Linux).
enum ResidentMemory {
    /// The resident set now, in bytes, or `nil` where /proc is missing.
    static func current() -> Int? {
        statusField("VmRSS:")
    }

    /// The highest resident set since the process started or since ``resetPeak()``, in bytes.
    static func peak() -> Int? {
        statusField("VmHWM:")
    }

    /// Resets the peak to the current resident set; returns whether the kernel allowed it.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    private static func statusField(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field) {
            let digits = line.dropFirst(field.count).filter(\.isNumber)
            return Int(digits).map { $0 * 1_024 }
        }
        return nil
    }
}

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
