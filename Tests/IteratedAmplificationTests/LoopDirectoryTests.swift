import Dispatch
import Foundation
import IteratedAmplification
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct LoopDirectoryTests {
    typealias Directory = LoopDirectory<Int, Int?>

    /// A curriculum that draws, without replacement, 16 numbers of up to two bits beyond the last horizon,
    /// seeded by the round, so a resumed loop draws what an uninterrupted one drew.
    static let curriculum = ClosureCurriculum<Int> { round, lastEvaluation in
        let bits = min(6, (lastEvaluation?.horizon() ?? 0) + 2)
        var generator = SplitMix64(seed: UInt64(round) &+ 17)
        return Array(Array(0..<(1 << bits)).shuffled(using: &generator).prefix(16))
    }

    static func loop(rounds: Int) -> AmplificationLoop<ClosureSupervisor<Int, Int?>, ClosureDistiller<MemoryStudent>> {
        BitCountTask.loop(rounds: rounds, curriculum: curriculum)
    }

    static func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    /// The reports without their timings, which differ from run to run.
    static func timeless(_ reports: [RoundReport]) -> [RoundReport] {
        reports.map {
            var report = $0
            report.seconds = 0
            return report
        }
    }

    // MARK: Resuming in process

    @Test func resumedLoopEqualsUninterruptedLoop() async throws {
        let whole = try TemporaryDirectory()
        let split = try TemporaryDirectory()
        defer {
            whole.remove()
            split.remove()
        }
        let wholeReports = try await Self.loop(rounds: 6).run(storingIn: whole.url)
        _ = try await Self.loop(rounds: 2).run(storingIn: split.url)
        let splitReports = try await Self.loop(rounds: 6).run(storingIn: split.url)

        #expect(Self.timeless(splitReports) == Self.timeless(wholeReports))
        let files = [Directory(url: whole.url), Directory(url: split.url)]
        #expect(try Self.bytes(files[0].demonstrationsURL) == Self.bytes(files[1].demonstrationsURL))
    }

    @Test func completedDirectoryRunsNoRoundAndDuplicatesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await Self.loop(rounds: 3).run(storingIn: directory.url)
        let demonstrations = try Self.bytes(Directory(url: directory.url).demonstrationsURL)
        let newRounds = try await Self.loop(rounds: 3).run(storingIn: directory.url) { session in
            #expect(session.resumption.nextRound == 3)
            #expect(!session.resumption.discardedAnything)
            var count = 0
            for try await _ in session.reports { count += 1 }
            return count
        }
        #expect(newRounds == 0)
        #expect(try Self.bytes(Directory(url: directory.url).demonstrationsURL) == demonstrations)
        #expect(try Directory(url: directory.url).read().reports == first)
    }

    @Test func cutOffReportIsDiscardedAndItsRoundRunAgain() async throws {
        let whole = try TemporaryDirectory()
        let cut = try TemporaryDirectory()
        defer {
            whole.remove()
            cut.remove()
        }
        _ = try await Self.loop(rounds: 4).run(storingIn: whole.url)
        _ = try await Self.loop(rounds: 3).run(storingIn: cut.url)
        // Cut the last report in half, as a kill during its write would.
        let reportsURL = Directory(url: cut.url).reportsURL
        let reports = try Self.bytes(reportsURL)
        let lastLineStart = try #require(reports.dropLast().lastIndex(of: UInt8(ascii: "\n"))) + 1
        try reports.prefix(lastLineStart + (reports.count - lastLineStart) / 2).write(to: reportsURL)

        let resumption = try Directory(url: cut.url).read()
        #expect(resumption.nextRound == 2)
        #expect(resumption.discardedReportTail?.line == 3)
        #expect(resumption.discardedDemonstrationLines == 16)  // round 2's, now uncommitted

        _ = try await Self.loop(rounds: 4).run(storingIn: cut.url)
        let files = [Directory(url: whole.url), Directory(url: cut.url)]
        #expect(try Self.bytes(files[0].demonstrationsURL) == Self.bytes(files[1].demonstrationsURL))
        #expect(try Self.timeless(files[0].read().reports) == Self.timeless(files[1].read().reports))
    }

    @Test(.timeLimit(.minutes(1))) func secondLoopInTheSameDirectoryIsRefusedWhileTheFirstRuns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (firstRoundDone, signal) = AsyncStream<Void>.makeStream()
        let (secondTried, release) = AsyncStream<Void>.makeStream()
        // The first loop waits before its second round until the second loop has tried to start.
        let waiting = BitCountTask.loop(
            rounds: 2,
            curriculum: ClosureCurriculum { round, _ in
                if round == 1 {
                    signal.yield()
                    for await _ in secondTried { break }
                }
                return Array(0..<8)
            })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await waiting.run(storingIn: directory.url) }
            for await _ in firstRoundDone { break }
            let error = try await #require(throws: AmplificationLoopError.self) {
                try await Self.loop(rounds: 2).run(storingIn: directory.url)
            }
            #expect(error.code == .storageFailed && error.message.contains("another loop"))
            release.yield()
            try await group.waitForAll()
        }
        // Once the first loop has finished, the directory is free again.
        #expect(try await Self.loop(rounds: 2).run(storingIn: directory.url).count == 2)
    }

    // MARK: Corrupt files

    @Test func corruptDemonstrationNamesFileAndLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.loop(rounds: 2).run(storingIn: directory.url)
        let file = Directory(url: directory.url).demonstrationsURL
        var lines = try String(contentsOf: file, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        lines[4] = lines[4].replacing("\"question\"", with: "\"quest")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let before = try Self.bytes(file)

        let error = try await #require(throws: AmplificationLoopError.self) {
            try await Self.loop(rounds: 3).run(storingIn: directory.url)
        }
        #expect(error.code == .storageFailed)
        #expect(error.path == file.path)
        #expect(error.line == 5)
        #expect(try Self.bytes(file) == before)  // nothing was cut or appended
    }

    @Test func corruptReportNamesFileAndLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.loop(rounds: 3).run(storingIn: directory.url)
        let file = Directory(url: directory.url).reportsURL
        var lines = try String(contentsOf: file, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        lines[1] = "{not json"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let error = try #require(throws: AmplificationLoopError.self) { try Directory(url: directory.url).read() }
        #expect(error.code == .storageFailed && error.path == file.path && error.line == 2)
        #expect(error.description.contains("\(file.path):2"))
    }

    @Test func reportsCountingMissingDemonstrationsAreInconsistent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.loop(rounds: 2).run(storingIn: directory.url)
        let file = Directory(url: directory.url).demonstrationsURL
        let demonstrations = try Self.bytes(file)
        let lastLineStart = try #require(demonstrations.dropLast().lastIndex(of: UInt8(ascii: "\n"))) + 1
        try demonstrations.prefix(lastLineStart).write(to: file)  // one whole committed line lost

        let error = try await #require(throws: AmplificationLoopError.self) {
            try await Self.loop(rounds: 3).run(storingIn: directory.url)
        }
        #expect(error.code == .inconsistentStorage)
        #expect(error.path == file.path)
    }

    // MARK: Killed in a subprocess

    /// Where the kill lands: the round, the question (0-based) whose root is running, and how many questions
    /// run at once.
    struct KillPoint: Sendable, CustomTestStringConvertible {
        var round: Int
        var question: Int
        var concurrency: Int
        var testDescription: String { "round \(round), question \(question), \(concurrency) at once" }
    }

    @Test(
        "Resumes after SIGKILL as if never killed",
        .timeLimit(.minutes(2)),
        arguments: [
            KillPoint(round: 0, question: 0, concurrency: 1),
            KillPoint(round: 1, question: 5, concurrency: 1),
            KillPoint(round: 3, question: 15, concurrency: 1),
            KillPoint(round: 2, question: 9, concurrency: 4),
        ])
    func resumesAfterKillAsIfNeverKilled(_ point: KillPoint) async throws {
        let reference = try TemporaryDirectory()
        let killed = try TemporaryDirectory()
        defer {
            reference.remove()
            killed.remove()
        }
        let common = ["--rounds", "6", "--seed", "3", "--concurrency", "\(point.concurrency)"]

        let referenceRun = try await Fixture.run(common + ["--directory", reference.url.path])
        #expect(referenceRun.status == 0, "\(referenceRun.output)")

        try await Fixture.runUntilPausedThenKill(
            common + [
                "--directory", killed.url.path, "--pause-round", "\(point.round)",
                "--pause-question", "\(point.question)",
            ])
        let files = Directory(url: killed.url)
        let afterKill = try files.read()
        #expect(afterKill.nextRound == point.round)
        if point.concurrency == 1 {
            // One question at a time: every question before the paused one had stored its demonstration.
            #expect(afterKill.discardedDemonstrationLines == point.question)
        }
        // A kill inside a write leaves a cut-off line; add one, since a real kill rarely lands there.
        let handle = try FileHandle(forWritingTo: files.demonstrationsURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"answer":1,"provenance":{"dep"#.utf8))
        try handle.close()

        let resumedRun = try await Fixture.run(common + ["--directory", killed.url.path])
        #expect(resumedRun.status == 0, "\(resumedRun.output)")
        #expect(resumedRun.output.hasPrefix("resumed \(point.round) rounds"))

        let expected = Directory(url: reference.url)
        #expect(try Self.bytes(files.demonstrationsURL) == Self.bytes(expected.demonstrationsURL))
        #expect(try Self.timeless(files.read().reports) == Self.timeless(expected.read().reports))
        let dataset = try JSONLinesReader<Demonstration<Int, Int?>>(url: files.demonstrationsURL).read()
        let keys = dataset.map { "\($0.provenance.round ?? -1)/\($0.question)" }
        #expect(Set(keys).count == keys.count, "no demonstration is stored twice")
        #expect(dataset.count == (try expected.read().reports.reduce(0) { $0 + $1.demonstrations }))
    }
}

/// Runs `amplify _loop-fixture` in a subprocess.
enum Fixture {
    struct Finished: Sendable {
        var status: Int32
        var output: String
    }

    /// An executable of the package (`amplify` by default), built next to the test bundle.
    static func executable(named name: String = "amplify") throws -> URL {
        try BuiltExecutable.url(named: name)
    }

    /// Runs a built executable with arguments; returns its exit status and its output.
    static func run(executable name: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await BuiltExecutable.run(name, arguments)
    }

    static func offTheConcurrencyPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await BuiltExecutable.offTheConcurrencyPool(work)
    }

    static func run(_ arguments: [String]) async throws -> Finished {
        try await offTheConcurrencyPool { try runBlocking(arguments) }
    }

    static func runUntilPausedThenKill(_ arguments: [String]) async throws {
        try await offTheConcurrencyPool { try runUntilPausedThenKillBlocking(arguments) }
    }

    private static func runBlocking(_ arguments: [String]) throws -> Finished {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["_loop-fixture"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// Starts the fixture, reads its output until it says `paused`, and kills it with SIGKILL.
    private static func runUntilPausedThenKillBlocking(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["_loop-fixture"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var output = Data()
        while !String(decoding: output, as: UTF8.self).contains("paused\n") {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.waitUntilExit()
                throw FixtureError(
                    message: "the fixture ended without pausing: \(String(decoding: output, as: UTF8.self))")
            }
            output.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard process.terminationReason == .uncaughtSignal, process.terminationStatus == SIGKILL else {
            throw FixtureError(message: "the fixture was not killed: status \(process.terminationStatus)")
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// SplitMix64, a small seeded generator.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
