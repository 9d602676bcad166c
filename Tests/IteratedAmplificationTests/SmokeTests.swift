import IteratedAmplification
import Testing

struct SmokeTests {
    @Test func sumsARange() async throws {
        let supervisor = ClosureSupervisor<Range<Int>, Int> { range, consultation in
            if range.count <= 1 { return try await consultation.askAssistant(range) }
            let middle = range.lowerBound + range.count / 2
            return try await consultation.ask([range.lowerBound..<middle, middle..<range.upperBound]).reduce(0, +)
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: ClosureAssistant<Range<Int>, Int> { $0.first ?? 0 })
        #expect(try await engine.answer(0..<100) == 4950)
    }
}
