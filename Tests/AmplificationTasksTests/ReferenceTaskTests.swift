import AmplificationTasks
import Testing

struct ReferenceTaskTests {
    private func name<T: AlgorithmicTask>(of task: T) -> String { T.name }

    @Test(arguments: ReferenceTask.allCases)
    func namesMatchTheirTasksAndMakeWorlds(reference: ReferenceTask) throws {
        #expect(reference.taskType.name == reference.name)
        let task = try reference.makeTask(size: 8, seed: 1)
        #expect(name(of: task) == reference.name)
        #expect(task.size == 8)
        #expect(ReferenceTask(rawValue: reference.name) == reference)
    }

    @Test func refusesUnknownNamesAndBadSizes() {
        #expect(ReferenceTask(rawValue: "sorting") == nil)
        let error = #expect(throws: TaskError.self) { try ReferenceTask.unionFind.makeTask(size: 100, seed: 1) }
        #expect(error?.code == .sizeOutOfRange)
    }

    @Test func namesAreDistinct() {
        #expect(Set(ReferenceTask.allCases.map(\.name)).count == 5)
    }
}
