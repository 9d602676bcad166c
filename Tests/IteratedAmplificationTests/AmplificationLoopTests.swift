import Foundation
import IteratedAmplification
import Synchronization
import Testing

struct AmplificationLoopTests {
    @Test func horizonGrowsByOneBitPerRound() async throws {
        // Round k's student knows every number of at most k + 1 bits: H adds one bit to what X knows.
        let reports = try await BitCountTask.loop(rounds: 6).run()
        #expect(reports.map(\.round) == Array(0..<6))
        #expect(reports.map { $0.evaluation?.horizon() } == (0..<6).map { $0 + 1 })
        #expect(reports.last?.evaluation?.accuracy == 1)
    }

    @Test func reportsCountCallsAndDemonstrationsOfEachRound() async throws {
        let questionsByRound = [[0, 1, 2, 3], [5, 9, 1], [], [63, 62, 2, 0]]
        let curriculum = ClosureCurriculum<Int> { round, _ in questionsByRound[round] }
        let reports = try await BitCountTask.loop(rounds: questionsByRound.count, curriculum: curriculum).run()
        for (round, questions) in questionsByRound.enumerated() {
            let report = reports[round]
            #expect(report.questions == questions.count)
            #expect(report.demonstrations == questions.count)  // the root of each question
            #expect(report.supervisorCalls == questions.count)  // depth 1: H once per question
            #expect(report.assistantCalls == questions.filter { $0 > 1 }.count)  // H asks X unless n <= 1
        }
    }

    @Test func everySupervisorNodeScopeKeepsInnerNodes() async throws {
        let questions = [0, 1, 2, 7, 12]
        let loop = BitCountTask.loop(
            rounds: 1, curriculum: ClosureCurriculum { _, _ in questions },
            configure: {
                $0.depth = 2
                $0.demonstrationScope = .everySupervisorNode
            })
        let report = try #require(try await loop.run().first)
        // At depth 2 a question n > 1 has a second supervisor node, for n >> 1.
        #expect(report.demonstrations == questions.map { $0 > 1 ? 2 : 1 }.reduce(0, +))
        #expect(report.supervisorCalls == report.demonstrations)
    }

    @Test(.timeLimit(.minutes(1))) func reportsStreamWhileTheLoopRuns() async throws {
        // Round 1 cannot start until the first report has reached the consumer, so a loop that reported
        // only at its end would never finish.
        let (firstReportSeen, signal) = AsyncStream<Void>.makeStream()
        let curriculum = ClosureCurriculum<Int> { round, _ in
            if round == 1 { for await _ in firstReportSeen { break } }
            return Array(0..<8)
        }
        let rounds = try await BitCountTask.loop(rounds: 2, curriculum: curriculum).run { session in
            var rounds: [Int] = []
            for try await report in session.reports {
                rounds.append(report.round)
                signal.yield()
            }
            return rounds
        }
        #expect(rounds == [0, 1])
    }

    @Test func curriculumSeesTheLastEvaluation() async throws {
        let seen = Mutex<[StudentEvaluation?]>([])
        let curriculum = ClosureCurriculum<Int> { _, lastEvaluation in
            seen.withLock { $0.append(lastEvaluation) }
            return Array(0..<16)
        }
        let reports = try await BitCountTask.loop(rounds: 3, curriculum: curriculum).run()
        #expect(seen.withLock { $0 } == [nil] + reports.dropLast().map(\.evaluation))
    }

    @Test func allRoundsWindowTrainsOnEveryDemonstrationSoFar() async throws {
        let reports = try await BitCountTask.loop(
            rounds: 3, curriculum: ClosureCurriculum { _, _ in Array(0..<10) },
            configure: { $0.trainingWindow = .allRounds }
        ).run()
        #expect(reports.map(\.trainingDemonstrations) == [10, 20, 30])
        let latest = try await BitCountTask.loop(rounds: 3, curriculum: ClosureCurriculum { _, _ in Array(0..<10) })
            .run()
        #expect(latest.map(\.trainingDemonstrations) == [10, 10, 10])
    }

    @Test func failedQuestionStopsTheLoopNamingRoundAndQuestion() async throws {
        let loop = BitCountTask.loop(rounds: 2, supervisor: BitCountTask.supervisor(failingOn: 13))
        let error = try await #require(throws: AmplificationLoopError.self) { try await loop.run() }
        #expect(error.code == .questionFailed)
        #expect(error.round == 0)
        #expect(error.question as? Int == 13)
    }

    @Test func failedQuestionCanBeSkippedAndCounted() async throws {
        let loop = BitCountTask.loop(
            rounds: 1, configure: { $0.questionFailurePolicy = .skipQuestion },
            supervisor: BitCountTask.supervisor(failingOn: 13))
        let report = try #require(try await loop.run().first)
        #expect(report.questions == 64)
        #expect(report.failedQuestions == 1)
        #expect(report.demonstrations == 63)
    }

    @Test func distillerFailureNamesTheRound() async throws {
        let distiller = ClosureDistiller<MemoryStudent> { demonstrations, previous in
            if demonstrations.count == 7 { throw BitCountTask.FailureForTest(number: 7) }
            return previous ?? MemoryStudent(table: [:])
        }
        let curriculum = ClosureCurriculum<Int> { round, _ in Array(0..<(round == 2 ? 7 : 3)) }
        let loop = BitCountTask.loop(rounds: 4, curriculum: curriculum, distiller: distiller)
        let error = try await #require(throws: AmplificationLoopError.self) { try await loop.run() }
        #expect(error.code == .distillationFailed && error.round == 2)
    }

    @Test func impossibleConfigurationIsRejectedBeforeAnyRound() async throws {
        let called = Mutex(false)
        let curriculum = ClosureCurriculum<Int> { _, _ in
            called.withLock { $0 = true }
            return [1]
        }
        let loop = BitCountTask.loop(rounds: 2, curriculum: curriculum, configure: { $0.depth = 0 })
        let error = try await #require(throws: AmplificationLoopError.self) { try await loop.run() }
        #expect(error.code == .invalidConfiguration)
        #expect(!called.withLock { $0 })
    }

    @Test func loopWithoutEvaluatorReportsNoEvaluation() async throws {
        let reports = try await BitCountTask.loop(rounds: 2, evaluator: nil).run()
        #expect(reports.count == 2 && reports.allSatisfy { $0.evaluation == nil })
    }

    @Test func groundTruthIsReachedOnlyThroughTheEvaluator() async throws {
        // Every oracle call is counted; the evaluator asks it once per held-out question and round, so any
        // further call would have come from the loop itself.
        let oracleCalls = Mutex(0)
        let heldOut = Array(0..<32)
        let evaluator = OracleEvaluator<MemoryStudent>(
            questions: heldOut, difficulty: BitCountTask.difficulty,
            oracle: { number in
                oracleCalls.withLock { $0 += 1 }
                return BitCountTask.oracle(number)
            })
        let rounds = 4
        let reports = try await BitCountTask.loop(rounds: rounds, evaluator: evaluator).run()
        #expect(reports.count == rounds)
        #expect(oracleCalls.withLock { $0 } == rounds * heldOut.count)
    }
}
