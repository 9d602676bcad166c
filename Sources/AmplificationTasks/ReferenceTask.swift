/// The five tasks of the 2018 experiments, by name, for command lines and reports that pick tasks at run time.
///
/// A generic function called with the existential opens it, so the experiment runs on the concrete type:
///
/// ```swift
/// func runExperiment<T: AlgorithmicTask>(on task: T) async throws { ... }
///
/// guard let reference = ReferenceTask(rawValue: "shortest-path") else { ... }
/// let task = try reference.makeTask(size: 64, seed: 1)   // any AlgorithmicTask
/// try await runExperiment(on: task)
/// ```
public enum ReferenceTask: String, CaseIterable, Codable, Hashable, Sendable {
    /// ``PermutationPoweringTask``.
    case permutationPowering = "permutation-powering"
    /// ``SequentialAssignmentsTask``.
    case sequentialAssignments = "sequential-assignments"
    /// ``WildcardSearchTask``.
    case wildcardSearch = "wildcard-search"
    /// ``ShortestPathTask``.
    case shortestPath = "shortest-path"
    /// ``UnionFindTask``.
    case unionFind = "union-find"

    /// The task's name, the same as its type's `name`.
    public var name: String { rawValue }

    /// The task's type.
    public var taskType: any AlgorithmicTask.Type {
        switch self {
        case .permutationPowering: PermutationPoweringTask.self
        case .sequentialAssignments: SequentialAssignmentsTask.self
        case .wildcardSearch: WildcardSearchTask.self
        case .shortestPath: ShortestPathTask.self
        case .unionFind: UnionFindTask.self
        }
    }

    /// Returns a world of the task.
    ///
    /// - Parameters:
    ///   - size: The number of elements, in `8...64`.
    ///   - seed: The seed of the world.
    /// - Throws: ``TaskError`` when `size` is out of range.
    public func makeTask(size: Int, seed: UInt64) throws -> any AlgorithmicTask {
        try taskType.init(size: size, seed: seed)
    }
}
