import Foundation
import IteratedAmplification
import Testing

struct ReplayTests {
    @Test func replayReproducesARecordedRunWithZeroAssistantCalls() async throws {
        let tree = CompleteTree(branching: 4, height: 3)
        let probe = ConcurrencyProbe()
        let model = InstrumentedAssistant<Int, Int>(probe: probe) { leaf in
            CostMeter.report(0.5)
            await Task.yield()
            return leaf * 3
        }
        let configuration = tree.configuration { $0.tracing = true }
        let recording = AssistantRecording<Int, Int>()
        let recorded = await HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: RecordingAssistant(model, recording: recording),
            configuration: configuration
        ).run(0)
        #expect(recorded.answer == 3 * tree.leafIndexSum)
        #expect(probe.snapshot.started == tree.leafCount)
        #expect(recording.count == tree.leafCount)

        // Saved to JSON and loaded back, as a user would between sessions.
        let saved = try JSONEncoder().encode(recording.entries)
        let loaded = try JSONDecoder().decode([RecordedAnswer<Int, Int>].self, from: saved)
        #expect(loaded == recording.entries)

        let replayed = await HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: ReplayingAssistant(entries: loaded), configuration: configuration
        ).run(0)
        #expect(probe.snapshot.started == tree.leafCount)  // not one more call
        #expect(replayed.answer == recorded.answer)
        #expect(replayed.statistics.cost == recorded.statistics.cost)
        #expect(replayed.statistics.cost == 0.5 * Double(tree.leafCount))
        #expect(replayed.trace?.withoutTimings == recorded.trace?.withoutTimings)
    }

    @Test func aQuestionMissingFromTheRecordingFailsWithItsPath() async throws {
        let tree = CompleteTree(branching: 2, height: 2)
        let entries = (tree.firstLeaf..<tree.nodeCount).dropLast().map { RecordedAnswer(question: $0, answer: $0) }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: ReplayingAssistant(entries: entries),
            configuration: tree.configuration()
        )
        let error = try #require(await engine.run(0).engineError)
        #expect(error.code == .replayMissing)
        #expect(error.questionPath(as: Int.self) == [0, 2, tree.nodeCount - 1])
    }

    @Test func aQuestionRecordedSeveralTimesReplaysItsAnswersInOrderThenTheLast() async throws {
        let replay = ReplayingAssistant(entries: [
            RecordedAnswer(question: 1, answer: 10), RecordedAnswer(question: 2, answer: 20),
            RecordedAnswer(question: 1, answer: 11),
        ])
        #expect(try await replay.answer(1) == 10)
        #expect(try await replay.answer(1) == 11)
        #expect(try await replay.answer(1) == 11)
        #expect(try await replay.answer(2) == 20)
    }

    @Test func aMalformedRecordingFileIsAClearDecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([RecordedAnswer<Int, Int>].self, from: Data(#"[{"question": 1}]"#.utf8))
        }
    }
}
