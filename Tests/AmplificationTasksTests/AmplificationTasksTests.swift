import Testing

@testable import AmplificationTasks

struct AmplificationTasksModuleTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
