import IteratedAmplification
import Testing

@testable import AmplificationLearners

/// The attention model learns rules that need the facts, from worlds whose symbols are renamed every time, and
/// answers worlds it never saw; given another world's facts, it is at chance.
struct AttentionLearningTests {
    struct Outcome {
        var heldOutAccuracy: Double
        var otherWorldAccuracy: Double
    }

    /// Trains on `trainingWorlds` fresh worlds (one question each) and grades 500 worlds drawn from another seed.
    static func learn(_ worlds: LookupWorlds, trainingWorlds: Int, steps: Int) async throws -> Outcome {
        let configuration = AttentionConfiguration(
            width: 32, heads: 2, encoderLayers: 1, decoderLayers: 2, feedForwardWidth: 64, batchSize: 32,
            learningRate: 0.003, warmUpSteps: 50, teacherDecay: 0.99, seed: 5
        )
        let distiller = AttentionDistiller(
            encoding: worlds.encoding, configuration: configuration, trainingSteps: steps
        )
        let student = try await distiller.distill(worlds.demonstrations(count: trainingWorlds, seed: 1))
        let heldOut = worlds.demonstrations(count: 500, seed: 2)
        var correct = 0
        for demonstration in heldOut where try await student.answer(demonstration.question) == demonstration.answer {
            correct += 1
        }
        // The same questions, each shown the facts of the next held-out world instead of its own.
        var otherWorldCorrect = 0
        for (index, demonstration) in heldOut.enumerated() {
            var question = demonstration.question
            question.facts = heldOut[(index + 1) % heldOut.count].question.facts
            if try await student.answer(question) == demonstration.answer { otherWorldCorrect += 1 }
        }
        return Outcome(
            heldOutAccuracy: Double(correct) / Double(heldOut.count),
            otherWorldAccuracy: Double(otherWorldCorrect) / Double(heldOut.count)
        )
    }

    @Test func learnsOneLookupOnWorldsItNeverSaw() async throws {
        let worlds = LookupWorlds(tokenCount: 24, symbols: 6, hops: 1)
        let outcome = try await Self.learn(worlds, trainingWorlds: 4_000, steps: 600)
        #expect(outcome.heldOutAccuracy >= 0.99)
        // Chance is about one in six: a symbol of the wrong world is the right answer only by coincidence.
        #expect(outcome.otherWorldAccuracy <= 0.25)
    }

    @Test func learnsTwoLookupsOnWorldsItNeverSaw() async throws {
        let worlds = LookupWorlds(tokenCount: 24, symbols: 6, hops: 2)
        let outcome = try await Self.learn(worlds, trainingWorlds: 8_000, steps: 1_500)
        #expect(outcome.heldOutAccuracy >= 0.99)
        #expect(outcome.otherWorldAccuracy <= 0.25)
    }
}
