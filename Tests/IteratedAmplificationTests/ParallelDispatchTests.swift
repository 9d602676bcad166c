import IteratedAmplification
import Testing

struct ParallelDispatchTests {
    @Test func parallelSubquestionsOverlap() async throws {
        let tree = CompleteTree(branching: 8, height: 1)
        let rendezvous = Rendezvous(parties: 8)
        let probe = ConcurrencyProbe()
        // Each leaf waits until all eight are in flight: the run finishes only if they truly overlap.
        let assistant = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
            try await rendezvous.arrive()
            return leaf
        }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: assistant, configuration: tree.configuration())
        let answer = try await withWatchdog { try await engine.answer(0) }
        #expect(answer == tree.leafIndexSum)
        #expect(probe.snapshot.maximum == 8)
        #expect(probe.snapshot.started == 8)
    }

    @Test func answersComeBackInQuestionOrderWhateverOrderTheyFinish() async throws {
        let count = 6
        let finished = ArrivalSignal()
        // Question q finishes only after every question after it has finished: completion in reverse order.
        let assistant = InstrumentedAssistant<Int, Int> { question in
            try await finished.wait(forCount: count - question)
            finished.arrive()
            return question * 10
        }
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            let answers = try await consultation.askAll(Array(1...count))
            return answers.reduce(0) { $0 * 100 + $1 }
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let answer = try await withWatchdog { try await engine.answer(0) }
        let expected = (1...count).map { $0 * 10 }.reduce(0) { $0 * 100 + $1 }
        #expect(answer == expected)
    }

    /// A failing subquestion cancels its siblings, wherever they run, and the run fails with its error.
    @Test(arguments: [0, 1, 2])
    func failingSubquestionCancelsSiblingsAndFailsTheAsk(failingIndex: Int) async throws {
        let questions = [10, 11, 12]
        let failing = questions[failingIndex]
        let cancelledSiblings = ArrivalSignal()
        let siblingsInFlight = ArrivalSignal()
        let assistant = InstrumentedAssistant<Int, Int> { question in
            if question == failing {
                // Fail only once both siblings are in flight, so the failure has someone to cancel.
                try await siblingsInFlight.wait(forCount: 2)
                throw TestFailure("leaf \(question)")
            }
            siblingsInFlight.arrive()
            do {
                try await Gate().wait()  // never opens: only cancellation ends the wait
            } catch {
                cancelledSiblings.arrive()
                throw error
            }
            return question
        }
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            try await consultation.askAll(questions).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = try await withWatchdog(.seconds(120)) { await engine.run(0) }
        let error = try #require(outcome.engineError)
        #expect(error.code == .assistantFailed)
        #expect(error.questionPath(as: Int.self) == [0, failing])
        #expect((error.underlyingError as? TestFailure) == TestFailure("leaf \(failing)"))
        #expect(cancelledSiblings.count == 2)
    }

    @Test func liveTaskAllowanceOfZeroAnswersEverySubquestionInline() async throws {
        let tree = CompleteTree(branching: 3, height: 3)
        let probe = ConcurrencyProbe()
        let configuration = tree.configuration { $0.maximumLiveTasks = 0 }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(probe: probe), configuration: configuration
        )
        let outcome = await engine.run(0)
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.statistics.nodes == tree.nodeCount)
        // With no child tasks at all, the leaves are answered one after another.
        #expect(probe.snapshot.maximum == 1)
        #expect(probe.snapshot.started == tree.leafCount)
    }

    @Test func emptyParallelAskAnswersAtOnce() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            let answers = try await consultation.askAll([Int]())
            let outcomes = try await consultation.askEach([Int]())
            return answers.count + outcomes.count
        }
        let engine = HCHEngine(supervisor: supervisor)
        #expect(try await engine.answer(1) == 0)
    }
}
