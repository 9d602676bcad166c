import Synchronization

/// Reports the cost of the assistant or supervisor call that is running: tokens, money, or any unit.
///
/// The engine opens a meter around each call when the run has a cost budget or records a trace. Code
/// inside the call reports what it spent; the engine charges it to the budget and writes it on the node.
///
/// ```swift
/// struct ModelAssistant: Assistant {
///     func answer(_ question: String) async throws -> String {
///         let (text, tokens) = try await complete(question)
///         CostMeter.report(Double(tokens))
///         return text
///     }
/// }
/// ```
///
/// Outside a metered call, reports are dropped.
public final class CostMeter: Sendable {
    @TaskLocal static var current: CostMeter?

    private let total = Mutex<Double>(0)

    /// Creates a meter; use ``measure(_:)`` to open one around a piece of work.
    public init() {}

    /// The cost reported to this meter so far.
    public var reportedCost: Double { total.withLock { $0 } }

    /// Adds cost units to the meter of the call that is running, if there is one.
    ///
    /// - Parameter units: The cost to add; negative and non-finite values are ignored.
    public static func report(_ units: Double) {
        guard units.isFinite, units > 0, let meter = current else { return }
        meter.total.withLock { $0 += units }
    }

    /// Runs work with this meter open, so that ``report(_:)`` inside it adds to this meter.
    ///
    /// Wrapping assistants use it to see what the assistant they wrap reported.
    ///
    /// - Parameter work: The work to meter.
    /// - Returns: What `work` returns.
    public func measure<Result: Sendable>(_ work: () async throws -> Result) async rethrows -> Result {
        try await CostMeter.$current.withValue(self) { try await work() }
    }
}
