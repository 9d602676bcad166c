import Testing

@testable import AmplificationLearners

struct AmplificationLearnersModuleTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
