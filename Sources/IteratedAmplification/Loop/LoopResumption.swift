/// What an amplification loop found in its directory when it started: the completed rounds it keeps and
/// the data of an interrupted round it discards.
public struct LoopResumption<Question: Sendable, Answer: Sendable>: Sendable {
    /// The reports of the completed rounds, in order.
    public var reports: [RoundReport]
    /// The demonstrations of the completed rounds, in the order they were produced.
    public var demonstrations: [Demonstration<Question, Answer>]
    /// The demonstration lines after the last completed round (the interrupted round's), which the loop
    /// discards and produces again; a cut-off last line counts.
    public var discardedDemonstrationLines: Int
    /// The bytes of those lines.
    public var discardedDemonstrationBytes: Int
    /// A cut-off last line of the reports file (a report whose write was interrupted), which the loop discards.
    public var discardedReportTail: JSONLinesDroppedTail?

    /// Creates a resumption.
    ///
    /// - Parameters:
    ///   - reports: The reports of the completed rounds.
    ///   - demonstrations: Their demonstrations.
    ///   - discardedDemonstrationLines: The lines of the interrupted round.
    ///   - discardedDemonstrationBytes: Their bytes.
    ///   - discardedReportTail: A cut-off last line of the reports file.
    public init(
        reports: [RoundReport] = [],
        demonstrations: [Demonstration<Question, Answer>] = [],
        discardedDemonstrationLines: Int = 0,
        discardedDemonstrationBytes: Int = 0,
        discardedReportTail: JSONLinesDroppedTail? = nil
    ) {
        self.reports = reports
        self.demonstrations = demonstrations
        self.discardedDemonstrationLines = discardedDemonstrationLines
        self.discardedDemonstrationBytes = discardedDemonstrationBytes
        self.discardedReportTail = discardedReportTail
    }

    /// The first round not completed: the round the loop runs next.
    public var nextRound: Int { reports.count }

    /// Whether the directory held anything the loop discards.
    public var discardedAnything: Bool { discardedDemonstrationBytes > 0 || discardedReportTail != nil }
}
