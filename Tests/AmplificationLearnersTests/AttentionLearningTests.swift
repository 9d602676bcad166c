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
        let answers = try student.answers(to: heldOut.map(\.question))
        let correct = zip(answers, heldOut).filter { $0 == $1.answer }.count
        // The same questions, each shown the facts of the next held-out world instead of its own.
        let otherWorldQuestions = heldOut.indices.map { index in
            var question = heldOut[index].question
            question.facts = heldOut[(index + 1) % heldOut.count].question.facts
            return question
        }
        let otherWorldAnswers = try student.answers(to: otherWorldQuestions)
        let otherWorldCorrect = zip(otherWorldAnswers, heldOut).filter { $0 == $1.answer }.count
        return Outcome(
            heldOutAccuracy: Double(correct) / Double(heldOut.count),
            otherWorldAccuracy: Double(otherWorldCorrect) / Double(heldOut.count)
        )
    }

    @Test func learnsOneLookupOnWorldsItNeverSaw() async throws {
        let worlds = LookupWorlds(tokenCount: 24, symbols: 6, hops: 1)
        let outcome = try await Self.learn(worlds, trainingWorlds: 2_000, steps: 200)
        #expect(outcome.heldOutAccuracy >= 0.99)
        #expect(abs(outcome.otherWorldAccuracy - worlds.chance) <= 0.03)
    }

    @Test func learnsTwoLookupsOnWorldsItNeverSaw() async throws {
        let worlds = LookupWorlds(tokenCount: 24, symbols: 6, hops: 2)
        let outcome = try await Self.learn(worlds, trainingWorlds: 5_000, steps: 450)
        #expect(outcome.heldOutAccuracy >= 0.99)
        #expect(abs(outcome.otherWorldAccuracy - worlds.chance) <= 0.03)
    }
}
