import Testing

@testable import AmplificationLanguageModels

struct AmplificationLanguageModelsModuleTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
