/// Which steps a run's node pipeline is compiled with.
///
/// A node always counts itself, checks for cancellation and cycles, and calls its supervisor or assistant. Every
/// other step is optional: memo, shared cache, recording and events, budgets, caps, metering, timeouts, retries and
/// answering without help. The engine runs one pipeline (`Run+NodePipeline`), generic over this type, and each
/// optional step sits behind ``includesOptionalSteps``: a run whose configuration uses none of them
/// (`HCHConfiguration.allowsFastPath`) is specialized with ``EssentialSteps``, where the optimiser removes those
/// steps, and the values they keep, from the code and the async frames of every node. That specialization is the
/// engine's fast path: not a second copy of the pipeline, so a step added to the pipeline is on both paths, and
/// one that is guarded by ``includesOptionalSteps`` must be excluded from the fast path's configurations.
@usableFromInline
protocol PipelineSteps: Sendable {
    /// Whether the pipeline includes its optional steps; a constant of each conforming type.
    static var includesOptionalSteps: Bool { get }
}

/// Every step of the pipeline: the runs that use an optional step.
@usableFromInline
enum AllSteps: PipelineSteps {
    @inlinable static var includesOptionalSteps: Bool { true }
}

/// The pipeline's essential steps alone: the fast path.
@usableFromInline
enum EssentialSteps: PipelineSteps {
    @inlinable static var includesOptionalSteps: Bool { false }
}
