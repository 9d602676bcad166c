import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct LanguageModelDecomposerTests {
    typealias Parsed = Result<[String], LanguageModelDecomposer.ParseProblem>

    @Test(arguments: [
        ("{\"subquestions\": [\"What is 2?\", \"What is 3?\"]}", ["What is 2?", "What is 3?"]),
        ("[\"a?\", \"b?\"]", ["a?", "b?"]),
        ("Sure!\n```json\n{\"subquestions\": [\"a?\"]}\n```", ["a?"]),
        ("{\"subquestions\": []}", []),
        ("{\"subquestions\": [\" a? \", \"a?\", \"b?\"]}", ["a?", "b?"]),
    ])
    func acceptsAListOfSubquestions(reply: String, expected: [String]) {
        let parsed = LanguageModelDecomposer.parse(reply, question: "What is 2 + 3?", maximumSubquestions: 3)
        #expect(parsed == Parsed.success(expected))
    }

    @Test(arguments: [
        ("no json here", "contains no JSON"),
        ("{\"subquestions\": [\"a?\"", "incomplete"),
        ("{\"subquestions\": [\"a?\" \"b?\"]}", "not valid JSON"),
        ("{\"questions\": [\"a?\"]}", "no \"subquestions\" member"),
        ("{\"subquestions\": \"a?\"}", "not an array"),
        ("{\"subquestions\": [1, 2]}", "not a string"),
        ("{\"subquestions\": [\"  \"]}", "blank"),
        ("{\"subquestions\": [\"what is 2 + 3\"]}", "repeats the question"),
        ("{\"subquestions\": [\"a\", \"b\", \"c\", \"d\"]}", "more than 3"),
    ])
    func rejectsUnusableReplies(reply: String, reason: String) throws {
        let parsed = LanguageModelDecomposer.parse(reply, question: "What is 2 + 3?", maximumSubquestions: 3)
        guard case .failure(let problem) = parsed else {
            Issue.record("accepted \(reply)")
            return
        }
        #expect(problem.reason.contains(reason))
    }

    @Test func asksForTheSubquestionSchemaWithTheDefaultPrompt() async throws {
        let server = try ScriptedModel.server { _ in "{\"subquestions\": [\"What is 2?\", \"What is 3?\"]}" }
        let decomposer = try LanguageModelDecomposer(client: try makeClient(server), maximumSubquestions: 2)
        let decomposition = try await decomposer.decompose("What is 2 + 3?")
        #expect(decomposition == .subquestions(["What is 2?", "What is 3?"]))
        let call = ScriptedModel.call(from: try #require(server.requests.first))
        #expect(call.responseFormat == "json_schema")
        #expect(call.system.contains("at most 2 subquestions"))
        #expect(call.system.contains("{\"subquestions\": []}"))
        #expect(call.lastUser == "Question: What is 2 + 3?")
    }

    @Test func anEmptyListMeansAtomic() async throws {
        let server = try ScriptedModel.server { _ in "{\"subquestions\": []}" }
        let decomposer = try LanguageModelDecomposer(client: try makeClient(server))
        #expect(try await decomposer.decompose("What is 2?") == .atomic)
    }

    @Test func reasksWithTheProblemAfterAMalformedReply() async throws {
        let counter = Counter()
        let server = try ScriptedModel.server { _ in
            counter.increment() == 1 ? "{\"subquestions\": [\"a?\", " : "{\"subquestions\": [\"a?\", \"b?\"]}"
        }
        let decomposer = try LanguageModelDecomposer(client: try makeClient(server))
        #expect(try await decomposer.decompose("q?") == .subquestions(["a?", "b?"]))
        #expect(server.requests.count == 2)
        let second = ScriptedModel.call(from: server.requests[1])
        #expect(second.messages.count == 4)
        #expect(second.messages[2] == ["role": "assistant", "content": "{\"subquestions\": [\"a?\", "])
        #expect(second.lastUser.contains("cannot be used"))
        #expect(second.lastUser.contains("incomplete"))
    }

    @Test func givesUpAfterTheLastAttemptWithTheRawText() async throws {
        let server = try ScriptedModel.server { _ in "I think you should ask about apples." }
        let decomposer = try LanguageModelDecomposer(client: try makeClient(server), maximumAttempts: 3)
        let error = try await #require(throws: LanguageModelError.self) { try await decomposer.decompose("q?") }
        #expect(error.code == .malformedOutput)
        #expect(error.rawOutput == "I think you should ask about apples.")
        #expect(error.attempts == 3)
        #expect(error.message.contains("no JSON"))
        #expect(server.requests.count == 3)
    }

    @Test func theDefaultSchemaRequiresTheSubquestions() async throws {
        let server = try ScriptedModel.server { _ in "{\"subquestions\": [\"a?\"]}" }
        _ = try await LanguageModelDecomposer(client: try makeClient(server), maximumSubquestions: 2).decompose("q?")
        let format = try #require(server.requests.first?.json?["response_format"] as? [String: Any])
        let schema = (format["json_schema"] as? [String: Any])?["schema"] as? [String: Any]
        #expect((schema?["required"] as? [String]) == ["subquestions"])
        let items = (schema?["properties"] as? [String: Any])?["subquestions"] as? [String: Any]
        #expect(items?["maxItems"] as? Int == 2)
    }

    @Test func canAskInPlainJSONMode() async throws {
        let server = try ScriptedModel.server { _ in "{\"subquestions\": [\"a?\"]}" }
        let decomposer = try LanguageModelDecomposer(client: try makeClient(server), responseFormat: .jsonObject)
        _ = try await decomposer.decompose("q?")
        #expect(ScriptedModel.call(from: try #require(server.requests.first)).responseFormat == "json_object")
    }

    @Test func rejectsImpossibleLimits() throws {
        let server = try ScriptedModel.server { _ in "" }
        let error = try #require(throws: LanguageModelError.self) {
            try LanguageModelDecomposer(client: try makeClient(server), maximumSubquestions: 0)
        }
        #expect(error.code == .invalidConfiguration)
    }
}
