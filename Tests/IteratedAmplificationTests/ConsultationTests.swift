import IteratedAmplification
import Synchronization
import Testing

struct ConsultationTests {
    /// Each question depends on the previous answer: 1 -> 2 -> 4 -> 8, asked one after another.
    @Test func sequentialAsksCanDependOnEarlierAnswers() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard question == 0 else { return try await consultation.askAssistant(question) }
            var value = 1
            for _ in 0..<3 { value = try await consultation.ask(value) }
            return value
        }
        let assistant = InstrumentedAssistant<Int, Int> { $0 * 2 }
        var configuration = HCHConfiguration()
        configuration.tracing = true
        let outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration).run(0)
        #expect(outcome.answer == 8)
        let trace = try #require(outcome.trace)
        let root = try #require(trace.root)
        // The trace keeps the order the supervisor asked in.
        #expect(trace.children(of: root).map(\.question) == [1, 2, 4])
        #expect(trace.children(of: root).map(\.answer) == [2, 4, 8])
    }

    @Test func askEachShowsWhichSubquestionsFailedAndLetsTheOthersFinish() async throws {
        let probe = ConcurrencyProbe()
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { question in
            if question == 2 { throw TestFailure("two") }
            await Task.yield()
            return question * 10
        }
        let seen = Mutex<[Result<Int, EngineError>]>([])
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            let outcomes = try await consultation.askEach([1, 2, 3])
            seen.withLock { $0 = outcomes }
            return outcomes.reduce(0) { $0 + ((try? $1.get()) ?? 0) }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        #expect(try await engine.answer(0) == 40)
        let outcomes = seen.withLock { $0 }
        #expect(outcomes.count == 3)
        #expect(try outcomes[0].get() == 10)
        #expect(try outcomes[2].get() == 30)
        guard case .failure(let error) = outcomes[1] else {
            Issue.record("the failing subquestion succeeded")
            return
        }
        #expect(error.code == .assistantFailed)
        #expect(error.questionPath(as: Int.self) == [0, 2])
        #expect(probe.snapshot.started == 3)
    }

    @Test func verifyAcceptsAfterReaskingAndMarksOnlyTheAcceptedAnswerVerified() async throws {
        let calls = Mutex(0)
        let assistant = InstrumentedAssistant<Int, Int> { _ in
            calls.withLock { calls -> Int in
                calls += 1
                return calls
            }
        }
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1, maximumAttempts: 5) { answer in answer >= 3 ? .accept : .reask }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.memoization = true  // a re-ask must bypass it
        configuration.tracing = true
        let outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration).run(0)
        #expect(outcome.answer == 3)
        #expect(calls.withLock { $0 } == 3)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.dropFirst().map(\.answer) == [1, 2, 3])
        #expect(trace.nodes.dropFirst().map(\.verified) == [false, false, true])
    }

    @Test func verifyRejectsWithTheReasonAndPath() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1) { _ in .reject(reason: "off by one") }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let outcome = await HCHEngine(supervisor: supervisor, assistant: indexAssistant(), configuration: configuration)
            .run(4)
        let error = try #require(outcome.engineError)
        #expect(error.code == .answerRejected)
        #expect(error.message.contains("off by one"))
        #expect(error.questionPath(as: Int.self) == [4, 5])
    }

    @Test func verifyGivesUpWhenAttemptsRunOut() async throws {
        let probe = ConcurrencyProbe()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.ask(question + 1, maximumAttempts: 2) { _ in .reask }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let outcome = await HCHEngine(
            supervisor: supervisor, assistant: indexAssistant(probe: probe), configuration: configuration
        ).run(4)
        #expect(outcome.engineError?.code == .answerRejected)
        #expect(outcome.engineError?.message.contains("2 attempts") == true)
        #expect(probe.snapshot.started == 2)
    }

    @Test func askAssistantAnswersAsALeafWhateverTheRemainingDepth() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            #expect(consultation.hasAssistant)
            return try await consultation.askAssistant(question + 1)
        }
        var configuration = HCHConfiguration()
        configuration.tracing = true
        let outcome = await HCHEngine(supervisor: supervisor, assistant: indexAssistant(), configuration: configuration)
            .run(1)
        #expect(outcome.answer == 2)
        #expect(outcome.trace?.nodes.map(\.role) == [.supervisor, .assistant])
        #expect(outcome.trace?.nodes.map(\.remainingDepth) == [.unlimited, .unlimited])
    }

    @Test func askAssistantWithoutAnAssistantFailsWithThePath() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            #expect(!consultation.hasAssistant)
            return try await consultation.askAssistant(question + 1)
        }
        let outcome = await HCHEngine(supervisor: supervisor).run(1)
        #expect(outcome.engineError?.code == .noAssistant)
        #expect(outcome.engineError?.questionPath(as: Int.self) == [1, 2])
    }

    @Test func atDepthZeroTheSupervisorCannotConsult() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            #expect(!consultation.canConsult)
            #expect(consultation.remainingDepth == 0)
            #expect(consultation.depth == 0)
            #expect(consultation.path == [question])
            await #expect(throws: EngineError.self) { try await consultation.ask(question + 1) }
            await #expect(throws: EngineError.self) { try await consultation.askAll([question + 1]) }
            await #expect(throws: EngineError.self) { try await consultation.askEach([question + 1]) }
            do {
                _ = try await consultation.ask(question + 1)
            } catch let error as EngineError {
                #expect(error.code == .depthExhausted)
                #expect(error.questionPath(as: Int.self) == [question])
            }
            return question * 2
        }
        var configuration = HCHConfiguration()
        configuration.depth = 0
        #expect(try await HCHEngine(supervisor: supervisor, configuration: configuration).answer(3) == 6)
    }

    /// HCH_0 is H alone, with or without an assistant configured.
    @Test func depthZeroWithAnAssistantIsStillTheSupervisorAlone() async throws {
        let probe = ConcurrencyProbe()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            #expect(!consultation.canConsult)
            return question * 2
        }
        var configuration = HCHConfiguration()
        configuration.depth = 0
        let engine = HCHEngine(
            supervisor: supervisor, assistant: indexAssistant(probe: probe), configuration: configuration)
        #expect(try await engine.answer(3) == 6)
        #expect(probe.snapshot.started == 0)
    }

    /// Amp(H, X): depth 1 sends the root's subquestions to the assistant; H runs at the root only.
    @Test func depthOneIsAmplificationOfTheAssistant() async throws {
        let tree = CompleteTree(branching: 5, height: 1)
        let configuration = tree.configuration { $0.tracing = true }
        let outcome = await HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration
        ).run(0)
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.statistics.supervisorCalls == 1)
        #expect(outcome.statistics.assistantCalls == 5)
        #expect(outcome.trace?.nodes.map(\.role) == [.supervisor] + Array(repeating: .assistant, count: 5))
    }

    @Test func theConsultationDescribesItsNode() async throws {
        let seen = Mutex<[String]>([])
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            seen.withLock {
                $0.append(
                    "\(consultation.question) \(consultation.depth) \(consultation.remainingDepth) \(consultation.path)"
                )
            }
            guard consultation.canConsult else { return 0 }
            return try await consultation.ask(question + 1)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 2
        _ = try await HCHEngine(supervisor: supervisor, configuration: configuration).answer(5)
        #expect(seen.withLock { $0 } == ["5 0 2 [5]", "6 1 1 [5, 6]", "7 2 0 [5, 6, 7]"])
    }

    @Test func aDecomposingSupervisorSplitsAsksAndSynthesizes() async throws {
        let decomposer = ClosureDecomposer<Range<Int>> { range in
            if range.count <= 1 { return .atomic }
            let middle = range.lowerBound + range.count / 2
            return .subquestions([range.lowerBound..<middle, middle..<range.upperBound])
        }
        let supervisor = DecomposingSupervisor(decomposer: decomposer) { _, _, answers in answers.reduce(0, +) }
        let engine = HCHEngine(supervisor: supervisor, assistant: ClosureAssistant<Range<Int>, Int> { $0.first ?? 0 })
        #expect(try await engine.answer(0..<100) == (0..<100).reduce(0, +))
    }

    @Test func aDecomposingSupervisorThatMayNotConsultAnswersAloneOrSaysWhy() async throws {
        let decomposer = ClosureDecomposer<Int> { $0 > 1 ? .subquestions([$0 - 1, $0 - 2]) : .atomic }
        var configuration = HCHConfiguration()
        configuration.depth = 2
        let alone = DecomposingSupervisor(decomposer: decomposer, answerAlone: { _ in 1 }) { _, _, answers in
            answers.reduce(0, +)
        }
        // Fibonacci-like to depth 2, leaves answering 1: 5 -> (4 -> 3, 2), (3 -> 2, 1).
        #expect(try await HCHEngine(supervisor: alone, configuration: configuration).answer(5) == 4)
        let helpless = DecomposingSupervisor<ClosureDecomposer<Int>, Int>(decomposer: decomposer) { _, _, answers in
            answers.reduce(0, +)
        }
        // At depth 1, both subquestions (4 and 3) split again but may not consult.
        configuration.depth = 1
        let outcome = await HCHEngine(supervisor: helpless, configuration: configuration).run(5)
        #expect(outcome.engineError?.code == .depthExhausted)
        #expect(outcome.engineError?.questionPath(as: Int.self)?.count == 2)
    }
}
