import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct FewShotExamplesTests {
    @Test func similarityIsOneForTheSameWordsAndZeroForNone() {
        #expect(FewShotExamples.similarity("What is 3 + 4?", "what is 3 + 4 ?") == 1)
        #expect(FewShotExamples.similarity("apples", "oranges") == 0)
        let close = FewShotExamples.similarity("What is 3 + 4?", "What is 3 + 5?")
        let far = FewShotExamples.similarity("What is 3 + 4?", "Name a river.")
        #expect(close > far)
        #expect(FewShotExamples.similarity("3 + 4", "3 * 4") < 1)
    }

    @Test func picksTheMostSimilarWithinTheCountTheMostSimilarLast() {
        let pool = ["Name a river.", "What is 1 + 1?", "What is 3 + 4?", "What is 3 + 5?"]
            .map { WorkedExample(question: $0, answer: "x") }
        let chosen = FewShotExamples(pool: pool, maximumCount: 2).select(for: "What is 3 + 4?")
        #expect(chosen.map(\.question) == ["What is 3 + 5?", "What is 3 + 4?"])
    }

    @Test func staysWithinTheTokenBudgetSkippingExamplesThatDoNotFit() {
        let long = WorkedExample(question: "What is 3 + 4? " + String(repeating: "Explain. ", count: 50), answer: "7")
        let short = WorkedExample(question: "What is 3 + 5?", answer: "8")
        let other = WorkedExample(question: "Name a river.", answer: "Nile")
        let cost = { (example: WorkedExample) in
            FewShotExamples.estimatedTokens(example.question) + FewShotExamples.estimatedTokens(example.answer)
        }
        let budget = cost(short) + cost(other)
        #expect(cost(long) > budget)
        let chosen = FewShotExamples(pool: [long, short, other], tokenBudget: budget).select(for: "What is 3 + 4?")
        #expect(Set(chosen) == [short, other])
        #expect(chosen.reduce(0) { $0 + cost($1) } <= budget)
    }

    @Test func anEmptyPoolOrZeroBudgetChoosesNothing() {
        #expect(FewShotExamples.none.select(for: "q").isEmpty)
        let pool = [WorkedExample(question: "q", answer: "a")]
        #expect(FewShotExamples(pool: pool, tokenBudget: 0).select(for: "q").isEmpty)
    }
}

struct FewShotDistillerTests {
    func distiller(maximumPoolSize: Int = 100) throws -> (FewShotDistiller, TestHTTPServer) {
        let server = try ScriptedModel.server { _ in "answer" }
        let base = try LanguageModelAssistant(client: try makeClient(server))
        return (
            FewShotDistiller(
                base: base, tokenBudget: 500, maximumExamplesPerPrompt: 3, maximumPoolSize: maximumPoolSize), server
        )
    }

    @Test func turnsDemonstrationsIntoWorkedExamples() async throws {
        let (distiller, _) = try distiller()
        let student = try await distiller.distill([
            Demonstration(question: "What is 2 + 2?", answer: "4"),
            Demonstration(question: "What is 3 + 3?", answer: "6"),
        ])
        #expect(
            student.examples.pool == [
                WorkedExample(question: "What is 2 + 2?", answer: "4"),
                WorkedExample(question: "What is 3 + 3?", answer: "6"),
            ])
        #expect(student.examples.tokenBudget == 500)
        #expect(student.examples.maximumCount == 3)
    }

    @Test func continuingKeepsEarlierExamplesAndTheNewestAnswerPerQuestion() async throws {
        let (distiller, _) = try distiller()
        let first = try await distiller.distill([
            Demonstration(question: "a?", answer: "1"), Demonstration(question: "b?", answer: "2"),
        ])
        let second = try await distiller.distill(
            [Demonstration(question: "b?", answer: "two"), Demonstration(question: "c?", answer: "3")],
            continuing: first
        )
        #expect(second.examples.pool.map(\.question) == ["a?", "b?", "c?"])
        #expect(second.examples.pool.map(\.answer) == ["1", "two", "3"])
    }

    @Test func thePoolKeepsTheNewestExamples() async throws {
        let (distiller, _) = try distiller(maximumPoolSize: 2)
        let student = try await distiller.distill((1...4).map { Demonstration(question: "q\($0)?", answer: "\($0)") })
        #expect(student.examples.pool.map(\.question) == ["q3?", "q4?"])
    }

    @Test func theStudentsPromptShowsTheExamples() async throws {
        let (distiller, server) = try distiller()
        let student = try await distiller.distill([Demonstration(question: "What is 2 + 2?", answer: "4")])
        _ = try await student.answer("What is 2 + 3?")
        let messages = try #require(server.requests.first?.json?["messages"] as? [[String: String]])
        #expect(messages.contains(["role": "assistant", "content": "4"]))
        #expect(messages.last == ["role": "user", "content": "What is 2 + 3?"])
    }
}
