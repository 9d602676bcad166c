public import Foundation

/// The directory in which an ``AmplificationLoop`` stores its progress, and a reader of it.
///
/// Two JSON Lines files, appended as the loop runs:
/// - `demonstrations.jsonl`: one ``Demonstration`` per line, in the order Amp(H, X) produced them, each with
///   its round in ``DemonstrationProvenance/round``; the dataset.
/// - `reports.jsonl`: one ``RoundReport`` per completed round. A round is complete when its report is on
///   disk; the report's ``RoundReport/checkpoint`` says where the round's demonstrations end.
///
/// A running loop also holds an exclusive lock on `loop.lock`, so a second loop in the same directory fails
/// at once instead of appending to the same files; the lock goes when the process does.
///
/// Reading checks the files against each other and never drops data silently: a corrupt line throws,
/// naming its file and line; the lines of an interrupted round (after the last report's checkpoint) and a
/// cut-off last report are left out and counted in the ``LoopResumption``.
public struct LoopDirectory<Question: Codable & Sendable, Answer: Codable & Sendable>: Sendable {
    /// The directory.
    public var url: URL

    /// Creates a reader of a loop directory.
    ///
    /// - Parameter url: The directory.
    public init(url: URL) {
        self.url = url
    }

    /// The file of demonstrations.
    public var demonstrationsURL: URL { url.appendingPathComponent("demonstrations.jsonl") }
    /// The file of round reports.
    public var reportsURL: URL { url.appendingPathComponent("reports.jsonl") }

    /// Returns the completed rounds' reports and demonstrations, changing no file.
    ///
    /// - Throws: ``AmplificationLoopError/Code/storageFailed`` naming the file and line of a malformed line
    ///   or an unreadable file; ``AmplificationLoopError/Code/inconsistentStorage`` when the files
    ///   contradict each other.
    public func read() throws(AmplificationLoopError) -> LoopResumption<Question, Answer> {
        try scan().resumption
    }

    /// What a scan found: the resumption, and where the committed data of each file ends.
    struct Scan {
        var resumption: LoopResumption<Question, Answer>
        var committedDemonstrationBytes: Int
        var committedReportBytes: Int
    }

    func create() throws(AmplificationLoopError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw AmplificationLoopError(
                code: .storageFailed, message: "cannot create the loop's directory", path: url.path,
                underlyingError: error)
        }
    }

    func scan() throws(AmplificationLoopError) -> Scan {
        let files = FileManager.default
        var reports: [RoundReport] = []
        var reportTail: JSONLinesDroppedTail?
        var committedReportBytes = 0
        if files.fileExists(atPath: reportsURL.path) {
            let recovery = try storageRead { () throws(JSONLinesError) in
                try JSONLinesReader<RoundReport>(url: reportsURL).recover()
            }
            reports = recovery.records
            reportTail = recovery.droppedTail
            committedReportBytes = recovery.wholeByteCount
        }
        var committed = LoopCheckpoint(demonstrationBytes: 0, demonstrationLines: 0)
        for (index, report) in reports.enumerated() {
            guard report.round == index else {
                throw inconsistency(
                    "the report of round \(report.round) stands where round \(index)'s belongs", file: reportsURL,
                    line: index + 1)
            }
            guard let checkpoint = report.checkpoint,
                checkpoint.demonstrationBytes >= committed.demonstrationBytes,
                checkpoint.demonstrationLines == committed.demonstrationLines + report.demonstrations
            else {
                throw inconsistency(
                    "the report of round \(index) has no checkpoint consistent with the rounds before it",
                    file: reportsURL, line: index + 1)
            }
            committed = checkpoint
        }

        var demonstrations: [Demonstration<Question, Answer>] = []
        var discardedLines = 0
        var discardedBytes = 0
        if files.fileExists(atPath: demonstrationsURL.path) {
            let (records, cutOff, contents) = try storageRead { () throws(JSONLinesError) in
                try JSONLinesReader<Demonstration<Question, Answer>>(url: demonstrationsURL)
                    .read(prefix: committed.demonstrationBytes)
            }
            guard contents.count >= committed.demonstrationBytes else {
                throw inconsistency(
                    "the reports commit \(committed.demonstrationBytes) bytes of demonstrations, but the file has "
                        + "\(contents.count)", file: demonstrationsURL, line: nil)
            }
            if let cutOff {
                throw inconsistency(
                    "the last report's checkpoint falls inside this line", file: demonstrationsURL, line: cutOff.line)
            }
            demonstrations = records
            let uncommitted = contents.dropFirst(committed.demonstrationBytes)
            discardedBytes = uncommitted.count
            discardedLines = uncommitted.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                + (uncommitted.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
        } else if committed.demonstrationBytes > 0 {
            throw inconsistency(
                "the reports count \(committed.demonstrationLines) demonstrations, but the file is missing",
                file: demonstrationsURL, line: nil)
        }
        try checkRounds(of: demonstrations, against: reports)
        return Scan(
            resumption: LoopResumption(
                reports: reports, demonstrations: demonstrations, discardedDemonstrationLines: discardedLines,
                discardedDemonstrationBytes: discardedBytes, discardedReportTail: reportTail),
            committedDemonstrationBytes: committed.demonstrationBytes,
            committedReportBytes: committedReportBytes)
    }

    /// Checks that the committed demonstrations come round by round, as many as each report counts.
    private func checkRounds(
        of demonstrations: [Demonstration<Question, Answer>],
        against reports: [RoundReport]
    ) throws(AmplificationLoopError) {
        let expectedLines = reports.reduce(0) { $0 + $1.demonstrations }
        guard demonstrations.count == expectedLines else {
            throw inconsistency(
                "the reports count \(expectedLines) demonstrations, but their bytes hold \(demonstrations.count)",
                file: demonstrationsURL, line: nil)
        }
        var line = 0
        for report in reports {
            for _ in 0..<report.demonstrations {
                let round = demonstrations[line].provenance.round
                line += 1
                guard round == report.round else {
                    throw inconsistency(
                        "the demonstration belongs to round \(round.map(String.init) ?? "none"), but round "
                            + "\(report.round)'s demonstrations stand here", file: demonstrationsURL, line: line)
                }
            }
        }
    }

    private func storageRead<Value>(
        _ body: () throws(JSONLinesError) -> Value
    ) throws(AmplificationLoopError) -> Value {
        do {
            return try body()
        } catch {
            throw AmplificationLoopError(
                code: .storageFailed, message: "cannot read the loop's progress: \(error.message)", path: error.path,
                line: error.line, underlyingError: error)
        }
    }

    private func inconsistency(_ message: String, file: URL, line: Int?) -> AmplificationLoopError {
        AmplificationLoopError(code: .inconsistentStorage, message: message, path: file.path, line: line)
    }
}
