import IteratedAmplification
import Testing

struct ConfigurationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var mistake: String
        var adjust: @Sendable (inout HCHConfiguration) -> Void
        var testDescription: String { mistake }
    }

    static let cases: [Case] = [
        Case(mistake: "depth") { $0.depth = -1 },
        Case(mistake: "maximumConcurrentAssistantCalls") { $0.maximumConcurrentAssistantCalls = 0 },
        Case(mistake: "maximumConcurrentSupervisorCalls") { $0.maximumConcurrentSupervisorCalls = -2 },
        Case(mistake: "maximumLiveTasks") { $0.maximumLiveTasks = -1 },
        Case(mistake: "assistantTimeout") { $0.assistantTimeout = .zero },
        Case(mistake: "supervisorTimeout") { $0.supervisorTimeout = .seconds(-1) },
        Case(mistake: "budget.maximumNodes") { $0.budget.maximumNodes = -1 },
        Case(mistake: "budget.maximumAssistantCalls") { $0.budget.maximumAssistantCalls = -5 },
        Case(mistake: "budget.maximumCost") { $0.budget.maximumCost = .nan },
        Case(mistake: "budget.deadline") { $0.budget.deadline = .seconds(-3) },
        Case(mistake: "assistantRetries.maximumAttempts") { $0.assistantRetries = RetryPolicy(maximumAttempts: 0) },
        Case(mistake: "supervisorRetries.multiplier") {
            $0.supervisorRetries = RetryPolicy(maximumAttempts: 2, multiplier: 0.5)
        },
        Case(mistake: "supervisorRetries.jitter") {
            $0.supervisorRetries = RetryPolicy(maximumAttempts: 2, jitter: 1.5)
        },
        Case(mistake: "assistantRetries backoffs") {
            $0.assistantRetries = RetryPolicy(maximumAttempts: 2, initialBackoff: .seconds(-1))
        },
    ]

    @Test(arguments: cases)
    func anImpossibleSettingFailsTheRunWithAnErrorNamingIt(_ example: Case) async throws {
        var configuration = HCHConfiguration()
        example.adjust(&configuration)
        #expect(configuration.validationErrors().count == 1)
        let probe = ConcurrencyProbe()
        let supervisor = ClosureSupervisor<Int, Int> { question, _ in
            probe.enter()
            probe.leave()
            return question
        }
        let outcome = await HCHEngine(supervisor: supervisor, configuration: configuration).run(8)
        let error = try #require(outcome.engineError)
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains(example.mistake))
        #expect(error.questionPath(as: Int.self) == [8])
        #expect(probe.snapshot.started == 0)
    }

    @Test func everyMistakeIsReportedAtOnce() async throws {
        var configuration = HCHConfiguration()
        configuration.depth = -1
        configuration.maximumConcurrentAssistantCalls = 0
        configuration.budget.maximumCost = -1
        #expect(configuration.validationErrors().count == 3)
        let outcome = await HCHEngine(
            supervisor: ClosureSupervisor<Int, Int> { q, _ in q }, configuration: configuration
        ).run(1)
        let message = try #require(outcome.engineError?.message)
        #expect(
            message.contains("depth") && message.contains("maximumConcurrentAssistantCalls")
                && message.contains("maximumCost"))
    }

    @Test func theDefaultsAreValid() {
        let configuration = HCHConfiguration()
        #expect(configuration.validationErrors().isEmpty)
        #expect(configuration.depth == .unlimited)
        #expect(configuration.budget == .unlimited)
        #expect(configuration.exhaustionPolicy == .fail)
        #expect(configuration.cyclePolicy == .fail)
        #expect(!configuration.memoization && !configuration.tracing)
    }

    @Test func theLiveTaskAllowanceFollowsTheAssistantCap() {
        var configuration = HCHConfiguration()
        #expect(configuration.effectiveMaximumLiveTasks == 65_536)
        configuration.maximumConcurrentAssistantCalls = 10
        #expect(configuration.effectiveMaximumLiveTasks == 1_024)
        configuration.maximumConcurrentAssistantCalls = 1_000
        #expect(configuration.effectiveMaximumLiveTasks == 16_000)
        configuration.maximumLiveTasks = 7
        #expect(configuration.effectiveMaximumLiveTasks == 7)
    }

    @Test func policiesNameThemselves() {
        #expect(ExhaustionPolicy.answerWithoutHelp.description == "answerWithoutHelp")
        #expect(CyclePolicy.ignore.description == "ignore")
        #expect(EngineError.Code.cycleDetected.description == "cycleDetected")
        #expect(EngineError.Code.deadlineExceeded.isBudgetExhaustion)
        #expect(!EngineError.Code.timedOut.isBudgetExhaustion)
    }
}
