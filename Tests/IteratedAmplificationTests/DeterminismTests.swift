import IteratedAmplification
import Testing

struct DeterminismTests {
    /// f(n) = f(n/2) + f(n/3) + n for n > 1; the assistant answers 0 and 1. Many subquestions repeat at one depth.
    private static func expected(_ n: Int) -> Int {
        n <= 1 ? n : expected(n / 2) + expected(n / 3) + n
    }

    private struct Setting: Sendable, CustomTestStringConvertible {
        var maximumLiveTasks: Int?
        var assistantCap: Int?
        var supervisorCap: Int?
        var testDescription: String {
            "live \(maximumLiveTasks.map(String.init) ?? "-") X \(assistantCap.map(String.init) ?? "-") H \(supervisorCap.map(String.init) ?? "-")"
        }
    }

    private static func run(_ setting: Setting, seed: Int) async -> RunOutcome<Int, Int> {
        // Each call yields a different number of times: the scheduling differs from run to run.
        let scramble: @Sendable (Int) async -> Void = { question in
            for _ in 0..<((question &* 2_654_435_761 &+ seed) & 3) { await Task.yield() }
        }
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            await scramble(question)
            if question <= 1 { return try await consultation.askAssistant(question) }
            let answers = try await consultation.askAll([question / 2, question / 3])
            await scramble(question + 1)
            return answers.reduce(question, +)
        }
        let assistant = InstrumentedAssistant<Int, Int> { question in
            await scramble(question + 2)
            return question
        }
        var configuration = HCHConfiguration()
        configuration.memoization = true
        configuration.tracing = true
        configuration.maximumLiveTasks = setting.maximumLiveTasks
        configuration.maximumConcurrentAssistantCalls = setting.assistantCap
        configuration.maximumConcurrentSupervisorCalls = setting.supervisorCap
        return await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration).run(1_000)
    }

    @Test func answerAndTraceAreTheSameWhateverTheScheduling() async throws {
        // The reference: no child tasks, so every subquestion is answered in order.
        let reference = await Self.run(Setting(maximumLiveTasks: 0), seed: 0)
        #expect(reference.answer == Self.expected(1_000))
        let referenceTrace = try #require(reference.trace).withoutTimings
        #expect(referenceTrace.nodes.contains { $0.cache == .memoized })

        let settings = [
            Setting(), Setting(maximumLiveTasks: 3), Setting(assistantCap: 1),
            Setting(assistantCap: 3, supervisorCap: 2),
            Setting(supervisorCap: 1),
        ]
        for (index, setting) in settings.enumerated() {
            for seed in 1...3 {
                let outcome = await Self.run(setting, seed: seed &* 7 &+ index)
                #expect(outcome.answer == reference.answer, "\(setting.testDescription) seed \(seed)")
                #expect(outcome.trace?.withoutTimings == referenceTrace, "\(setting.testDescription) seed \(seed)")
                #expect(outcome.statistics == reference.statistics, "\(setting.testDescription) seed \(seed)")
            }
        }
    }
}
