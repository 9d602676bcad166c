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
/// Outside a metered call, reports are dropped. A meter can also keep the model calls made inside it
/// (``record(_:)``), which the engine writes on the node when ``HCHConfiguration/recordsModelCalls`` is on.
public final class CostMeter: Sendable {
    @TaskLocal static var current: CostMeter?

    private let total = Mutex<Double>(0)
    private let keepsModelCalls: Bool
    private let keptCalls = Mutex<[ModelCall]>([])

    /// Creates a meter; use ``measure(_:)`` to open one around a piece of work.
    ///
    /// - Parameter keepingModelCalls: Whether the meter keeps the model calls recorded inside it.
    public init(keepingModelCalls: Bool = false) {
        keepsModelCalls = keepingModelCalls
    }

    /// The cost reported to this meter so far.
    public var reportedCost: Double { total.withLock { $0 } }

    /// The model calls recorded inside this meter so far, in order; empty unless it keeps them.
    public var modelCalls: [ModelCall] { keptCalls.withLock { $0 } }

    /// Records a model call on the meter of the call that is running, if there is one that keeps calls.
    ///
    /// The record is only built when it is kept, so a role can call this on every request.
    ///
    /// - Parameter call: The messages sent and the reply.
    public static func record(_ call: @autoclosure () -> ModelCall) {
        guard let meter = current, meter.keepsModelCalls else { return }
        let call = call()
        meter.keptCalls.withLock { $0.append(call) }
    }

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
