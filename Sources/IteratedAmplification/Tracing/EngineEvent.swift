/// A live report from a running engine, for progress displays.
///
/// Pass a continuation to ``HCHEngine/run(_:events:)``; the engine yields into it and leaves finishing it to you.
/// Event ids are the engine's record numbers: they pair a start with its finish, but unlike the ids of
/// a ``Trace``, they depend on scheduling.
public enum EngineEvent<Question: Sendable, Answer: Sendable>: Sendable {
    /// A node started.
    case nodeStarted(id: Int, parent: Int?, question: Question, role: NodeRole, depth: Int)
    /// A node finished, with its answer or its error.
    case nodeFinished(id: Int, result: Result<Answer, EngineError>, cache: CacheOutcome)
}
