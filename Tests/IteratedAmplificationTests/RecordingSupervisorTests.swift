import Testing

@testable import IteratedAmplification

/// A supervisor's transcripts, recorded by wrapping it: every subquestion with its answer, in order, whichever way
/// it was asked, and a consultation that behaves as the engine's own.
struct RecordingSupervisorTests {
    /// Sums `1...n`: asks `n - 1` alone, then `1` and `n - 1` again in parallel, and checks nothing. Odd but
    /// deterministic: every way of asking leaves exchanges in the transcript.
    struct Asker: Supervisor {
        func respond(to question: Int, consulting consultation: Consultation<Int, Int>) async throws -> Int {
            guard question > 1, consultation.canConsult else { return question }
            let below = try await consultation.ask(question - 1)
            let pair = try await consultation.askAll([1, question - 1])
            let checked = try await consultation.ask(question - 1, maximumAttempts: 1) { _ in .accept }
            guard pair[1] == below, checked == below else {
                throw EngineError(code: .supervisorFailed, message: "answers differ", path: consultation.path)
            }
            return below + question
        }
    }

    /// Records what its consultation says about the node, then fails where asked.
    struct Inspector: Supervisor {
        let seen: SupervisorTranscriptRecording<[Int], Int>
        func respond(to question: Int, consulting consultation: Consultation<Int, Int>) async throws -> Int {
            seen.append(
                SupervisorTranscript(
                    question: consultation.path,
                    exchanges: [],
                    answer: consultation.depth * 100 + (consultation.canConsult ? 1 : 0)
                ))
            if question == 7 { throw Seven() }
            guard question > 1, consultation.canConsult else { return question }
            return try await consultation.askAll([question - 1, 7]).reduce(0, +)
        }
    }

    struct Seven: Error {}

    static let configurations: [(String, HCHConfiguration)] = {
        var traced = HCHConfiguration()
        traced.depth = 2
        traced.tracing = true
        var fast = HCHConfiguration()
        fast.depth = 2
        return [("fast path", fast), ("traced", traced)]
    }()

    @Test(arguments: [0, 1])
    func aTranscriptHoldsEveryExchangeInTheOrderItsAnswersArrived(configuration index: Int) async throws {
        let recording = SupervisorTranscriptRecording<Int, Int>()
        let engine = HCHEngine(
            supervisor: RecordingSupervisor(Asker(), recording: recording),
            assistant: ClosureAssistant<Int, Int> { $0 * 1000 },
            configuration: Self.configurations[index].1
        )
        let answer = try await engine.run(4).result.get()
        // Depth 2: the root asks copies of HCH_1, which ask the assistant: 3 → 2000 + 3, and 4 → 2003 + 4.
        #expect(answer == 2007)
        let transcripts = recording.entries
        let root = try #require(transcripts.first { $0.question == 4 })
        #expect(
            root.exchanges == [
                SupervisorExchange(question: 3, answer: 2003), SupervisorExchange(question: 1, answer: 1),
                SupervisorExchange(question: 3, answer: 2003), SupervisorExchange(question: 3, answer: 2003),
            ])
        #expect(root.answer == 2007)
        let inner = try #require(transcripts.first { $0.question == 3 })
        #expect(inner.exchanges.map(\.question) == [2, 1, 2, 2])
        #expect(inner.exchanges.map(\.answer) == [2000, 1000, 2000, 2000])
        // One transcript per supervisor node: the root, three nodes asking 3 (memoization is off) and one asking 1.
        #expect(transcripts.count == 5)
    }

    @Test
    func stepsSplitATranscriptIntoItsDecisions() {
        let transcript = SupervisorTranscript(
            question: "q",
            exchanges: [SupervisorExchange(question: "a", answer: 1), SupervisorExchange(question: "b", answer: 2)],
            answer: 3
        )
        #expect(
            transcript.steps == [
                SupervisorStep(state: SupervisorState(question: "q"), action: .ask("a")),
                SupervisorStep(
                    state: SupervisorState(question: "q", exchanges: [SupervisorExchange(question: "a", answer: 1)]),
                    action: .ask("b")),
                SupervisorStep(
                    state: SupervisorState(question: "q", exchanges: transcript.exchanges), action: .answer(3)),
            ])
    }

    @Test(arguments: [0, 1])
    func theWrappedSupervisorSeesTheEnginesConsultationAndAFailedNodeLeavesNoTranscript(
        configuration index: Int
    ) async throws {
        let seen = SupervisorTranscriptRecording<[Int], Int>()
        let recording = SupervisorTranscriptRecording<Int, Int>()
        let engine = HCHEngine(
            supervisor: RecordingSupervisor(Inspector(seen: seen), recording: recording),
            assistant: ClosureAssistant<Int, Int> { $0 },
            configuration: Self.configurations[index].1
        )
        let outcome = await engine.run(3)
        let error = try #require(outcome.result.failure as? EngineError)
        #expect(error.path.map { $0 as? Int } == [3, 7])
        // The root saw depth 0 and could consult; its children at depth 1 could too (depth 2 in all).
        let paths = Set(seen.entries.map { "\($0.question):\($0.answer)" })
        #expect(paths.contains("[3]:1"))
        #expect(paths.contains("[3, 7]:101"))
        // Node 7 threw and the root failed with it; only the node asking 2 (which may have finished) can remain.
        #expect(recording.entries.allSatisfy { $0.question == 2 })
    }

    @Test
    func removeAllHandsOverTheTranscriptsAndEmptiesTheRecording() {
        let recording = SupervisorTranscriptRecording<Int, Int>()
        recording.append(SupervisorTranscript(question: 1, exchanges: [], answer: 1))
        #expect(recording.removeAll().map(\.question) == [1])
        #expect(recording.count == 0)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
