import IteratedAmplification
import Testing

/// The README's usage example, verbatim but for the prints, so the example cannot rot.
struct ReadmeExampleTests {
    @Test func readmeExampleSumsARangeWithinItsBudget() async throws {
        // H splits a range in two and adds the halves; X answers single elements.
        let supervisor = ClosureSupervisor<Range<Int>, Int> { range, consultation in
            guard range.count > 1 else { return try await consultation.askAssistant(range) }
            let middle = range.lowerBound + range.count / 2
            let halves = try await consultation.askAll([range.lowerBound..<middle, middle..<range.upperBound])
            return halves.reduce(0, +)
        }
        let assistant = ClosureAssistant<Range<Int>, Int> { range in range.first ?? 0 }

        var configuration = HCHConfiguration()
        configuration.maximumConcurrentAssistantCalls = 8  // a rate-limited model
        configuration.budget = Budget(maximumNodes: 10_000)
        configuration.tracing = true

        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = await engine.run(0..<1_000)

        #expect(try outcome.result.get() == (0..<1_000).reduce(0, +))
        #expect(outcome.statistics.assistantCalls == 1_000)
        // 999 splitting nodes, 1,000 leaf supervisor nodes, and 1,000 assistant nodes under them.
        #expect(outcome.trace?.nodes.count == 2_999)
    }
}
