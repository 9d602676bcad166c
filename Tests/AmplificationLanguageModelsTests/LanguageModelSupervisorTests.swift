import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct LanguageModelSupervisorTests {
    /// Splits "a+b+c…" questions in two, answers single numbers, and sums synthesized pairs.
    static func arithmeticModel(_ call: ScriptedModel.Call) -> String {
        if call.isDecomposition {
            let question = call.lastUser.replacingOccurrences(of: "Question: Sum ", with: "")
            let terms = question.split(separator: "+")
            guard terms.count > 1 else { return "{\"subquestions\": []}" }
            let middle = terms.count / 2
            let halves = [terms[..<middle], terms[middle...]].map { "Sum " + $0.joined(separator: "+") }
            return "{\"subquestions\": [\"\(halves[0])\", \"\(halves[1])\"]}"
        }
        if call.isSynthesis {
            let numbers = call.lastUser.components(separatedBy: "A: ").dropFirst().compactMap {
                Int($0.prefix { $0.isNumber })
            }
            return String(numbers.reduce(0, +))
        }
        return call.lastUser.replacingOccurrences(of: "Sum ", with: "")
    }

    @Test func theDefaultSynthesisPromptListsTheSubanswersInOrder() throws {
        let server = try ScriptedModel.server { _ in "" }
        let supervisor = try LanguageModelSupervisor(client: try makeClient(server))
        let messages = supervisor.synthesisMessages(
            for: "How far?", subquestions: ["Leg one?", "Leg two?"], subanswers: ["3 km", "4 km"]
        )
        #expect(messages.map(\.role) == [.system, .user])
        #expect(messages[0].content.contains("answers to its subquestions"))
        #expect(
            messages[1].content == """
                Question: How far?

                Subquestions and their answers:
                1. Q: Leg one?
                   A: 3 km
                2. Q: Leg two?
                   A: 4 km

                Answer to the question:
                """)
    }

    @Test func theDefaultPromptsUseTheirPlaceholders() {
        #expect(LanguageModelSupervisorPrompts.defaultSynthesize.placeholders == ["question", "subanswers"])
        #expect(LanguageModelSupervisorPrompts.defaultAnswerAlone.placeholders == ["question"])
        #expect(LanguageModelDecomposer.defaultPrompt.placeholders == ["question", "maximumSubquestions"])
    }

    /// Model-backed HCH on a client whose server runs ``arithmeticModel``: the supervisor splits a sum in two, the
    /// assistant answers the leaves; traced.
    static func arithmeticRun(
        _ client: ChatCompletionsClient,
        _ question: String = "Sum 1+2+3+4",
        depth: Int = 2,
        recordsModelCalls: Bool = false
    ) async throws -> RunOutcome<String, String> {
        let supervisor = try LanguageModelSupervisor(client: client, maximumSubquestions: 2)
        let assistant = try LanguageModelAssistant(client: client)
        var configuration = HCHConfiguration()
        configuration.depth = .levels(depth)
        configuration.tracing = true
        configuration.recordsModelCalls = recordsModelCalls
        return await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
            .run(question)
    }

    @Test func decomposesConsultsAndSynthesizesInAnHCHRun() async throws {
        let server = try ScriptedModel.server(Self.arithmeticModel)
        let outcome = try await Self.arithmeticRun(try makeClient(server))
        #expect(try outcome.result.get() == "10")
        let trace = try #require(outcome.trace)
        let root = try #require(trace.root)
        #expect(trace.children(of: root).map(\.question) == ["Sum 1+2", "Sum 3+4"])
        let leaves = trace.nodes.filter { $0.depth == 2 }
        #expect(leaves.map(\.question) == ["Sum 1", "Sum 2", "Sum 3", "Sum 4"])
        #expect(leaves.allSatisfy { $0.role == .assistant })
        #expect(outcome.statistics.cost > 0)
        #expect(outcome.statistics.cost == trace.nodes.reduce(0) { $0 + $1.cost })
    }

    @Test func answersAloneWhereItMayNotConsult() async throws {
        let server = try ScriptedModel.server { call in call.isDecomposition ? "{\"subquestions\": [\"x?\"]}" : "alone"
        }
        let supervisor = try LanguageModelSupervisor(client: try makeClient(server))
        var configuration = HCHConfiguration()
        configuration.depth = 0
        let answer = try await HCHEngine(supervisor: supervisor, configuration: configuration).answer("q?")
        #expect(answer == "alone")
        #expect(server.requests.count == 1)
        #expect(!ScriptedModel.call(from: server.requests[0]).isDecomposition)
    }

    @Test func answersAtomicQuestionsAloneWithoutAnAssistant() async throws {
        let server = try ScriptedModel.server { call in call.isDecomposition ? "{\"subquestions\": []}" : "direct" }
        let supervisor = try LanguageModelSupervisor(client: try makeClient(server))
        #expect(try await HCHEngine(supervisor: supervisor).answer("q?") == "direct")
        #expect(server.requests.count == 2)
    }

    @Test func aTokenBudgetStopsTheRunOnceTheTokensAreSpent() async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: 200, body: Reply.completion("ok", promptTokens: 20, completionTokens: 1))
        }
        let assistant = try LanguageModelAssistant(client: try makeClient(server))
        // Asks the assistant one question after another, so each call's tokens are charged before the next.
        let supervisor = ClosureSupervisor<String, String> { question, consultation in
            var answers: [String] = []
            for index in 1...5 { answers.append(try await consultation.askAssistant("\(question) \(index)")) }
            return answers.joined(separator: ",")
        }
        var configuration = HCHConfiguration()
        configuration.budget = Budget(maximumCost: 50)
        let outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
            .run("q")
        let error = try #require(throws: EngineError.self) { try outcome.result.get() }
        #expect(error.code == .costBudgetExhausted)
        // 21 tokens per call: the third call starts at 42 < 50, the fourth is refused at 63.
        #expect(server.requests.count == 3)
        #expect(outcome.statistics.cost == 63)
    }

    @Test func aTraceKeepsEveryModelCallOnItsNodeAndNeverTheKey() async throws {
        let server = try ScriptedModel.server(Self.arithmeticModel)
        let client = try makeClient(server, apiKey: APIKey("sk-secret-908"))
        let outcome = try await Self.arithmeticRun(client, "Sum 1+2", depth: 1, recordsModelCalls: true)
        let trace = try #require(outcome.trace)
        let root = try #require(trace.root)
        // The root decomposed and synthesized; each leaf answered in one call.
        #expect(root.modelCalls.count == 2)
        #expect(root.modelCalls.last?.output == "3")
        for leaf in trace.children(of: root) {
            #expect(leaf.modelCalls.count == 1)
            #expect(leaf.modelCalls.first?.messages.last?.content == leaf.question)
            #expect(leaf.modelCalls.first?.output == leaf.answer)
        }
        #expect(trace.nodes.reduce(0) { $0 + $1.modelCalls.count } == server.requests.count)
        #expect(!String(decoding: try trace.jsonData(), as: UTF8.self).contains("sk-secret-908"))
    }

    @Test func rejectsASynthesisPromptWithoutSubanswers() throws {
        let server = try ScriptedModel.server { _ in "" }
        let prompts = LanguageModelSupervisorPrompts(
            synthesize: PromptTemplate(user: "{{question}}"), answerAlone: LanguageModelAssistant.defaultPrompt
        )
        let error = try #require(throws: LanguageModelError.self) {
            try LanguageModelSupervisor(client: try makeClient(server), prompts: prompts)
        }
        #expect(error.message.contains("{{subanswers}}"))
    }
}
