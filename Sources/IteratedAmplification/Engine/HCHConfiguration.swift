/// How the engine runs HCH: depth, budgets, limits, policies, memoization and tracing.
///
/// Every property has a default that suits a first experiment: unlimited depth, no budgets, no caps,
/// no retries, memoization and tracing off, cycles fail the run.
public struct HCHConfiguration: Sendable {
    /// The depth n of HCH_n: how many levels of help lie below the root.
    ///
    /// 0 is H alone. With an assistant, depth 1 is Amp(H, X): the root's subquestions go to the assistant.
    /// ``HCHDepth/unlimited`` (the default) lets the supervisor recurse until questions are atomic.
    public var depth: HCHDepth = .unlimited

    /// The run's budget: nodes, assistant calls, cost and time.
    public var budget: Budget = .unlimited

    /// What happens when a budget runs out.
    public var exhaustionPolicy: ExhaustionPolicy = .fail

    /// What happens when a question recurs on its own ancestor path.
    public var cyclePolicy: CyclePolicy = .fail

    /// The most assistant calls in flight at once, or `nil` for no cap.
    public var maximumConcurrentAssistantCalls: Int?

    /// The most supervisor calls in flight at once, or `nil` for no cap.
    ///
    /// A supervisor holds its slot only while it thinks: while it waits for subanswers the slot is free,
    /// so a cap of 1 (one human) cannot deadlock a deep tree.
    public var maximumConcurrentSupervisorCalls: Int?

    /// The most child tasks alive at once, or `nil` to derive it from the assistant cap.
    ///
    /// When the allowance is spent, parallel subquestions are answered inline, one after another, in the
    /// asking node's task. This bounds memory on huge trees: every live task holds a few kilobytes. A failing
    /// sibling cancels subquestions in child tasks at once, but one already running inline only when it next checks.
    /// The derived default is 16 times the assistant cap (at least 1,024), or 65,536 without a cap: without a cap
    /// every leaf may wait on the assistant at once, and a leaf answered inline waits after its siblings.
    public var maximumLiveTasks: Int?

    /// Retries for assistant calls that throw.
    public var assistantRetries: RetryPolicy = .none

    /// Retries for supervisor calls that throw errors of their own (not errors of their subquestions).
    public var supervisorRetries: RetryPolicy = .none

    /// The longest one assistant call may take, or `nil` for no limit.
    public var assistantTimeout: Duration?

    /// The longest one supervisor call may take, including the subquestions it waits for, or `nil`.
    public var supervisorTimeout: Duration?

    /// Whether a question asked more than once in one run is computed once.
    ///
    /// Off by default: it assumes the supervisor and assistant are deterministic, and it keeps every
    /// answer of the run in memory. A duplicate asked while the first is still being computed waits for it.
    /// At unlimited ``depth`` (with cycle checks on) HCH's answer to a question does not depend on the level it
    /// is asked at, so a question is computed once wherever it recurs in the tree; at a finite depth, once per
    /// depth, because HCH_n and HCH_m may answer it differently. The assistant's own answer to a question is
    /// computed once at any depth. A duplicate that would wait for a computation which itself waits, further
    /// down, for one of the duplicate's ancestors computes its own answer instead, and meets the cycle that the
    /// run without memoization meets.
    /// With cycle checks on (see ``cyclePolicy``), a node whose subtree asks a question on a duplicate's path
    /// is not shared with that duplicate, which computes its own answer. Neither is an answer that a cycle on
    /// the first asker's ancestors shaped. So every node gets the answer it would get without memoization.
    public var memoization: Bool = false

    /// Whether the run records its whole tree as a ``Trace``.
    public var tracing: Bool = false

    /// Whether the trace keeps, on each node, the model calls made while it ran: the messages sent and the raw
    /// replies, as model-backed roles record them with ``CostMeter/record(_:)`` (never a key). Off by default: a
    /// trace with every prompt is large. Takes effect with ``tracing``.
    public var recordsModelCalls: Bool = false

    /// Creates a configuration with the defaults.
    public init() {}

    /// The live-task allowance in force: ``maximumLiveTasks`` or its derived default.
    public var effectiveMaximumLiveTasks: Int {
        if let maximumLiveTasks { return max(0, maximumLiveTasks) }
        if let cap = maximumConcurrentAssistantCalls { return max(1_024, cap * 16) }
        return 65_536
    }

    /// Returns the reasons this configuration cannot work; empty when it is valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if let levels = depth.levels, levels < 0 { errors.append("depth must be at least 0, not \(levels)") }
        if let cap = maximumConcurrentAssistantCalls, cap < 1 {
            errors.append("maximumConcurrentAssistantCalls must be at least 1, not \(cap)")
        }
        if let cap = maximumConcurrentSupervisorCalls, cap < 1 {
            errors.append("maximumConcurrentSupervisorCalls must be at least 1, not \(cap)")
        }
        if let live = maximumLiveTasks, live < 0 { errors.append("maximumLiveTasks must not be negative") }
        if let timeout = assistantTimeout, timeout <= .zero { errors.append("assistantTimeout must be positive") }
        if let timeout = supervisorTimeout, timeout <= .zero { errors.append("supervisorTimeout must be positive") }
        errors += budget.validationErrors()
        errors += assistantRetries.validationErrors(named: "assistantRetries")
        errors += supervisorRetries.validationErrors(named: "supervisorRetries")
        return errors
    }
}

/// What the engine does when a budget runs out.
public struct ExhaustionPolicy: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable { case fail, answerWithoutHelp }
    let value: Value

    /// The run fails with an ``EngineError`` whose code names the budget.
    public static let fail = ExhaustionPolicy(value: .fail)
    /// The node whose consultation was refused is asked again to answer alone, as HCH_0 would.
    public static let answerWithoutHelp = ExhaustionPolicy(value: .answerWithoutHelp)

    /// The policy's name.
    public var description: String { value == .fail ? "fail" : "answerWithoutHelp" }
}

/// What the engine does when a question recurs on its own ancestor path.
public struct CyclePolicy: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable { case fail, answerWithoutHelp, ignore }
    let value: Value

    /// The run fails with ``EngineError/Code/cycleDetected``.
    public static let fail = CyclePolicy(value: .fail)
    /// The node that asked the recurring question is asked again to answer alone.
    public static let answerWithoutHelp = CyclePolicy(value: .answerWithoutHelp)
    /// Cycles are not looked for; a finite depth still ends the recursion. Saves a walk up the path per node.
    public static let ignore = CyclePolicy(value: .ignore)

    /// The policy's name.
    public var description: String {
        switch value {
        case .fail: "fail"
        case .answerWithoutHelp: "answerWithoutHelp"
        case .ignore: "ignore"
        }
    }
}
