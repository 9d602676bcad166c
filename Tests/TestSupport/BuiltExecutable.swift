public import Foundation

/// The package's executables, built next to the test bundle, run as subprocesses: the command-line tools are tested
/// as a person runs them.
public enum BuiltExecutable {
    /// An executable of the package, built next to the test bundle.
    ///
    /// - Throws: ``BuiltExecutableError`` when none is found (run `swift build` first).
    public static func url(named name: String) throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() {
            candidates.append(bundle.appendingPathComponent(name))
        }
        candidates.append(
            Bundle(for: BundleToken.self).bundleURL.deletingLastPathComponent().appendingPathComponent(name))
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw BuiltExecutableError(
                message: "no \(name) executable at \(candidates.map(\.path)); run swift build first")
        }
        return found
    }

    /// Runs a built executable with arguments; returns its exit status and its output (standard output and standard
    /// error together).
    ///
    /// - Parameters:
    ///   - name: The executable.
    ///   - arguments: Its arguments.
    ///   - environment: Variables to set on top of the test process's environment.
    ///   - input: Text for its standard input, which is then closed; without it, the input is the test's.
    public static func run(
        _ name: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        input: String? = nil
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try url(named: name)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let inputPipe = input.map { _ in Pipe() }
        if let inputPipe { process.standardInput = inputPipe }
        try process.run()
        if let input, let inputPipe {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        let output = try await offTheConcurrencyPool {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return output
        }
        return (process.terminationStatus, output)
    }

    /// Runs blocking work on a Dispatch thread, so that waiting for a subprocess never holds one of the few
    /// threads of the concurrency pool that every other test shares.
    public static func offTheConcurrencyPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private final class BundleToken {}
}

/// A built executable that cannot be found or run as a test expects.
public struct BuiltExecutableError: Error, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
