import Foundation
import TestSupport
import Testing

@testable import AmplificationLanguageModels

/// `amplify human --assistant model`: a person as H whose subquestions go to a (scripted) model, Amp(H, X).
struct HumanWithModelCommandTests {
    @Test func thePersonsSubquestionsGoToTheModelAndAResumedSessionAsksItNothingAgain() async throws {
        let server = try ScriptedModel.server(LanguageModelSupervisorTests.arithmeticModel)
        let session = FileManager.default.temporaryDirectory.appendingPathComponent("ia-human-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: session) }
        let environment = ["LLM_BASE_URL": server.baseURL.absoluteString, "LLM_MODEL": "m"]
        let arguments = ["human", "--assistant", "model", "--session", session.path, "Sum 1+2"]
        let first = try await BuiltExecutable.run(
            "amplify", arguments, environment: environment, input: "ask Sum 1 | Sum 2\nanswer 3\n")
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("Your subquestions go to the model (Amp(H, X))."))
        #expect(first.output.contains("  1. Sum 1 → 1\n  2. Sum 2 → 2"), "\(first.output)")
        #expect(first.output.contains("Answer: 3"))
        #expect(server.requests.count == 2)

        // The same question again: answered from the session, with no input, no prompt and no model call.
        let again = try await BuiltExecutable.run("amplify", arguments, environment: environment, input: "")
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("Answer: 3"))
        #expect(!again.output.contains("h> "))
        #expect(server.requests.count == 2)
    }
}
