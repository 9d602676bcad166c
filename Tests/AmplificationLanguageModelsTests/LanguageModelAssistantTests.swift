import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct LanguageModelAssistantTests {
    @Test func sendsTheQuestionInThePromptAndTrimsTheAnswer() async throws {
        let server = try ScriptedModel.server { _ in "  Paris.\n" }
        let assistant = try LanguageModelAssistant(
            client: try makeClient(server),
            prompt: PromptTemplate(system: "Be terse.", user: "Q: {{question}}"),
            maximumTokens: 16
        )
        #expect(try await assistant.answer("Capital of France?") == "Paris.")
        let body = try #require(server.requests.first?.json)
        #expect(
            body["messages"] as? [[String: String]] == [
                ["role": "system", "content": "Be terse."], ["role": "user", "content": "Q: Capital of France?"],
            ])
        #expect(body["max_tokens"] as? Int == 16)
    }

    @Test func theDefaultPromptAsksForABriefDirectAnswer() throws {
        let prompt = LanguageModelAssistant.defaultPrompt
        #expect(prompt.placeholders == ["question"])
        let messages = prompt.render(["question": "What is 6 x 7?"])
        #expect(messages.map(\.role) == [.system, .user])
        #expect(messages[0].content.contains("briefly"))
        #expect(messages[1].content == "What is 6 x 7?")
    }

    @Test func aBlankAnswerIsAnError() async throws {
        let server = try ScriptedModel.server { _ in " \n " }
        let assistant = try LanguageModelAssistant(client: try makeClient(server))
        let error = try await #require(throws: LanguageModelError.self) { try await assistant.answer("anything?") }
        #expect(error.code == .emptyResponse)
        #expect(error.message.contains("anything?"))
    }

    @Test func rejectsAPromptWithoutTheQuestion() throws {
        let server = try ScriptedModel.server { _ in "x" }
        let error = try #require(throws: LanguageModelError.self) {
            try LanguageModelAssistant(client: try makeClient(server), prompt: PromptTemplate(user: "Answer!"))
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("{{question}}"))
    }

    @Test func showsTheChosenExamplesAsEarlierTurns() async throws {
        let server = try ScriptedModel.server { _ in "9" }
        let examples = FewShotExamples(
            pool: [
                WorkedExample(question: "What is the capital of Peru?", answer: "Lima"),
                WorkedExample(question: "What is 2 + 3?", answer: "5"),
                WorkedExample(question: "What is 4 + 4?", answer: "8"),
            ], maximumCount: 2)
        let assistant = try LanguageModelAssistant(client: try makeClient(server), examples: examples)
        _ = try await assistant.answer("What is 4 + 5?")
        let messages = try #require(server.requests.first?.json?["messages"] as? [[String: String]])
        #expect(messages.map { $0["role"] ?? "" } == ["system", "user", "assistant", "user", "assistant", "user"])
        // The two arithmetic examples, the closer one (sharing "4" twice) next to the question.
        #expect(messages[1]["content"] == "What is 2 + 3?")
        #expect(messages[2]["content"] == "5")
        #expect(messages[3]["content"] == "What is 4 + 4?")
        #expect(messages[5]["content"] == "What is 4 + 5?")
    }

    @Test func reportsItsTokensToTheEnginesCostMeter() async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: 200, body: Reply.completion("yes", promptTokens: 20, completionTokens: 1))
        }
        let assistant = try LanguageModelAssistant(client: try makeClient(server))
        let supervisor = ClosureSupervisor<String, String> { question, consultation in
            try await consultation.askAssistant(question)
        }
        var configuration = HCHConfiguration()
        configuration.tracing = true
        let outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
            .run("Is it?")
        #expect(outcome.answer == "yes")
        #expect(outcome.statistics.cost == 21)
        #expect(outcome.trace?.nodes.last?.cost == 21)
    }
}
