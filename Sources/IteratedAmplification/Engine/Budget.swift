/// Limits on what one run may spend.
///
/// The engine enforces node and assistant-call limits exactly, even under concurrency: a call that would
/// exceed a limit never starts. Cost is known only after a call returns, so no call starts once the cost
/// spent has reached ``maximumCost``; calls already in flight may carry the total past it.
public struct Budget: Hashable, Sendable {
    /// The most nodes the run may compute (memoized and cached answers are free).
    public var maximumNodes: Int?
    /// The most assistant calls the run may make, retries included.
    public var maximumAssistantCalls: Int?
    /// The most cost units (reported with ``CostMeter/report(_:)``) the run may spend.
    public var maximumCost: Double?
    /// How long after its start the run may go on.
    public var deadline: Duration?

    /// A budget with no limits.
    public static let unlimited = Budget()

    /// Creates a budget.
    ///
    /// - Parameters:
    ///   - maximumNodes: The most nodes, or `nil`.
    ///   - maximumAssistantCalls: The most assistant calls, or `nil`.
    ///   - maximumCost: The most cost units, or `nil`.
    ///   - deadline: The longest run time, or `nil`.
    public init(
        maximumNodes: Int? = nil,
        maximumAssistantCalls: Int? = nil,
        maximumCost: Double? = nil,
        deadline: Duration? = nil
    ) {
        self.maximumNodes = maximumNodes
        self.maximumAssistantCalls = maximumAssistantCalls
        self.maximumCost = maximumCost
        self.deadline = deadline
    }

    func validationErrors() -> [String] {
        var errors: [String] = []
        if let value = maximumNodes, value < 0 { errors.append("budget.maximumNodes must not be negative") }
        if let value = maximumAssistantCalls, value < 0 {
            errors.append("budget.maximumAssistantCalls must not be negative")
        }
        if let value = maximumCost, !(value >= 0) { errors.append("budget.maximumCost must be a non-negative number") }
        if let value = deadline, value < .zero { errors.append("budget.deadline must not be negative") }
        return errors
    }
}
