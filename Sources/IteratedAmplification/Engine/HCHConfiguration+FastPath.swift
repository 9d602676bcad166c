extension HCHConfiguration {
    /// Whether a run with this configuration takes the engine's fast path, the node pipeline compiled with its
    /// essential steps alone (``EssentialSteps``): nothing recorded, memoized, budgeted, capped, timed or retried,
    /// and a cycle fails the run, so a node needs only its counts, its checks and its call. (A run with a shared
    /// cache or an event stream uses every step too; the engine checks those.)
    ///
    /// Every property of the configuration is listed in ``propertiesTheFastPathConsidered``, and a test fails when
    /// one is not: a new feature that the pipeline puts behind `Steps.includesOptionalSteps` has to be excluded
    /// here, or the fast path would leave it out in silence.
    @usableFromInline
    var allowsFastPath: Bool {
        !tracing && budget == .unlimited && !memoization
            && maximumConcurrentAssistantCalls == nil && maximumConcurrentSupervisorCalls == nil
            && assistantTimeout == nil && supervisorTimeout == nil
            && assistantRetries.maximumAttempts == 1 && supervisorRetries.maximumAttempts == 1
            && cyclePolicy != .answerWithoutHelp
    }

    /// The properties whose effect on the fast path was decided: those ``allowsFastPath`` reads, and those whose
    /// steps are essential, so that the fast path honours them as the full path does (`depth`,
    /// `exhaustionPolicy`, which only acts on a budget, `maximumLiveTasks`, and `recordsModelCalls`, which only
    /// acts with tracing).
    static let propertiesTheFastPathConsidered: Set<String> = [
        "depth", "budget", "exhaustionPolicy", "cyclePolicy", "maximumConcurrentAssistantCalls",
        "maximumConcurrentSupervisorCalls", "maximumLiveTasks", "assistantRetries", "supervisorRetries",
        "assistantTimeout", "supervisorTimeout", "memoization", "tracing", "recordsModelCalls",
    ]
}
