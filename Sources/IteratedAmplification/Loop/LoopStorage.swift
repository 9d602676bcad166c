import Foundation

/// Where the loop keeps its progress: nowhere, or a ``LoopDirectory``.
protocol LoopStorage<Question, Answer>: Sendable {
    associatedtype Question: Sendable
    associatedtype Answer: Sendable

    /// What the storage held when the loop started.
    var resumption: LoopResumption<Question, Answer> { get }

    /// Appends demonstrations of the round in flight.
    func append(_ demonstrations: [Demonstration<Question, Answer>], round: Int) throws(AmplificationLoopError)

    /// Makes the round's demonstrations durable.
    func syncDemonstrations(round: Int) throws(AmplificationLoopError)

    /// Completes a round: stores its report durably and returns it as stored.
    func commit(_ report: RoundReport) throws(AmplificationLoopError) -> RoundReport
}

/// Storage that keeps nothing: a loop in memory.
struct MemoryLoopStorage<Question: Sendable, Answer: Sendable>: LoopStorage {
    var resumption: LoopResumption<Question, Answer> { LoopResumption() }

    func append(_ demonstrations: [Demonstration<Question, Answer>], round: Int) throws(AmplificationLoopError) {}

    func syncDemonstrations(round: Int) throws(AmplificationLoopError) {}

    func commit(_ report: RoundReport) throws(AmplificationLoopError) -> RoundReport { report }
}

/// Storage in a directory of JSON Lines files, opened for resuming: the interrupted round's data is cut off.
final class DirectoryLoopStorage<Question: Codable & Sendable, Answer: Codable & Sendable>: LoopStorage {
    let resumption: LoopResumption<Question, Answer>
    private let directory: LoopDirectory<Question, Answer>
    private let demonstrations: JSONLinesWriter
    private let reports: JSONLinesWriter
    private let lock: DirectoryLock

    init(_ directory: LoopDirectory<Question, Answer>) throws(AmplificationLoopError) {
        self.directory = directory
        try directory.create()
        do {
            lock = try DirectoryLock(file: directory.url.appendingPathComponent("loop.lock"))
        } catch {
            switch error {
            case .held(let path):
                throw AmplificationLoopError(
                    code: .storageFailed, message: "another loop is running in this directory", path: path)
            case .failed(let path, let message):
                throw AmplificationLoopError(code: .storageFailed, message: message, path: path)
            }
        }
        let contents = try directory.scan()
        resumption = contents.resumption
        do throws(JSONLinesError) {
            demonstrations = try JSONLinesWriter(
                url: directory.demonstrationsURL, truncatingTo: contents.committedDemonstrationBytes)
            reports = try JSONLinesWriter(url: directory.reportsURL, truncatingTo: contents.committedReportBytes)
            // Make the cut durable before anything new is written after it.
            try demonstrations.sync()
            try reports.sync()
        } catch {
            throw AmplificationLoopError(
                code: .storageFailed, message: "cannot open the loop's files for appending", path: error.path,
                line: error.line, underlyingError: error)
        }
    }

    func append(_ demonstrations: [Demonstration<Question, Answer>], round: Int) throws(AmplificationLoopError) {
        do {
            try self.demonstrations.append(contentsOf: demonstrations)
        } catch {
            throw AmplificationLoopError(
                code: .storageFailed, message: "cannot append demonstrations", round: round, path: error.path,
                line: error.line, underlyingError: error)
        }
    }

    func syncDemonstrations(round: Int) throws(AmplificationLoopError) {
        do {
            try demonstrations.sync()
        } catch {
            throw AmplificationLoopError(
                code: .storageFailed, message: "cannot sync demonstrations", round: round, path: error.path,
                underlyingError: error)
        }
    }

    func commit(_ report: RoundReport) throws(AmplificationLoopError) -> RoundReport {
        var report = report
        report.checkpoint = LoopCheckpoint(
            demonstrationBytes: demonstrations.byteCount, demonstrationLines: demonstrations.lineCount)
        do {
            // The demonstrations are already durable, so a report on disk always has its data.
            try demonstrations.sync()
            try reports.append(report)
            try reports.sync()
        } catch {
            throw AmplificationLoopError(
                code: .storageFailed, message: "cannot store the round's report", round: report.round,
                path: error.path, line: error.line, underlyingError: error)
        }
        return report
    }
}
