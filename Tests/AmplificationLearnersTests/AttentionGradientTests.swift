import IteratedAmplification
import Testing

@testable import AmplificationLearners

/// Every tensor of the attention model (so every layer) has its analytic gradient checked against central
/// finite differences of the loss, on a small model and a batch whose targets include a word, "unknown" and a
/// pointer whose token appears at several positions, and two questions about the same facts (which the batch lays
/// out and encodes once).
struct AttentionGradientTests {
    static func shape() throws -> FactShape {
        try FactShape(tokenCount: 7, factWidth: 2, questionWidth: 2, answerWordCount: 2)
    }

    static func batch() -> [FactExample] {
        [
            FactExample(
                context: FactContext(facts: [[0, 1], [2, 3], [4, 1]], question: [0, 5]),
                target: .pointer(fact: 0, slot: 1)  // token 1, at two positions
            ),
            FactExample(context: FactContext(facts: [[6, 2], [3, 0]], question: [2, 2]), target: .word(1)),
            FactExample(
                context: FactContext(facts: [[5, 4], [1, 6], [0, 0], [2, 2]], question: [4, 1]), target: .unknown
            ),
            FactExample(
                context: FactContext(facts: [[5, 4], [1, 6], [0, 0], [2, 2]], question: [1, 6]),
                target: .pointer(fact: 1, slot: 0)
            ),
        ]
    }

    static func model(threads: Int = 1) throws -> AttentionModel {
        let configuration = AttentionConfiguration(
            width: 8, heads: 2, encoderLayers: 2, decoderLayers: 2, feedForwardWidth: 12, seed: 3, threads: threads
        )
        return try AttentionModel(configuration: configuration, shape: try shape())
    }

    /// The analytic gradient of the batch's loss at the model's latest weights, as a training step computes it.
    static func analyticGradient(_ model: AttentionModel, _ examples: [FactExample]) -> [Float] {
        let arena = FloatArena()
        return withExtendedLifetime(arena) {
            let gradient = model.gradientPass(examples, arena: arena).gradient
            return Array(UnsafeBufferPointer(start: gradient, count: model.parameterCount))
        }
    }

    static func tensorNames(_ layout: AttentionLayout) -> [(name: String, offset: Int)] {
        var names: [(String, Int)] = [
            ("embedding", layout.embedding), ("factInput", layout.factInput), ("factInputBias", layout.factInputBias),
            ("questionInput", layout.questionInput), ("questionInputBias", layout.questionInputBias),
            ("encoderNormGain", layout.encoderNormGain), ("encoderNormBias", layout.encoderNormBias),
            ("decoderNormGain", layout.decoderNormGain), ("decoderNormBias", layout.decoderNormBias),
            ("wordOutput", layout.wordOutput), ("wordOutputBias", layout.wordOutputBias), ("pointer", layout.pointer),
        ]
        for (stack, layers) in [("encoder", layout.encoder), ("decoder", layout.decoder)] {
            for (index, layer) in layers.enumerated() {
                let prefix = "\(stack)[\(index)]."
                names += [
                    (prefix + "attention.normGain", layer.attention.normGain),
                    (prefix + "attention.normBias", layer.attention.normBias),
                    (prefix + "attention.query", layer.attention.query),
                    (prefix + "attention.keyValue", layer.attention.keyValue),
                    (prefix + "attention.output", layer.attention.output),
                    (prefix + "feedForward.normGain", layer.feedForward.normGain),
                    (prefix + "feedForward.normBias", layer.feedForward.normBias),
                    (prefix + "feedForward.up", layer.feedForward.up),
                    (prefix + "feedForward.upBias", layer.feedForward.upBias),
                    (prefix + "feedForward.down", layer.feedForward.down),
                    (prefix + "feedForward.downBias", layer.feedForward.downBias),
                ]
            }
        }
        return names
    }

    @Test func everyWeightsGradientMatchesFiniteDifferences() throws {
        var model = try Self.model()
        // Every weight drawn at random, layer-norm gains and biases included, so that a backward pass that
        // dropped a gain or swapped a gain and a bias would show.
        var generator = SeededRandomNumberGenerator(seed: 11)
        for index in model.weights.indices { model.weights[index] = generator.nextFloat(symmetricBound: 0.8) }
        for tensor in model.layout.tensors {
            if case .ones = tensor.initialization {
                for index in tensor.offset..<(tensor.offset + tensor.count) { model.weights[index] += 1 }
            }
        }
        let examples = Self.batch()
        let gradient = Self.analyticGradient(model, examples)
        let names = Self.tensorNames(model.layout)
        #expect(names.count == model.layout.tensors.count)
        let step: Float = 2e-3
        for (name, offset) in names {
            let tensor = try #require(model.layout.tensors.first { $0.offset == offset })
            var largest: Float = 0
            for index in offset..<(offset + tensor.count) {
                var plus = model
                plus.weights[index] += step
                var minus = model
                minus.weights[index] -= step
                let numeric =
                    (try plus.loss(on: examples, using: .latest) - minus.loss(on: examples, using: .latest))
                    / (2 * step)
                let analytic = gradient[index]
                largest = max(largest, abs(analytic))
                #expect(
                    abs(numeric - analytic) <= 5e-4 + 0.05 * abs(analytic),
                    "\(name), element \(index - offset): analytic \(analytic), numeric \(numeric)"
                )
            }
            // The check means something only where gradients stand out of the tolerance.
            #expect(largest > 1e-3, "\(name): the largest gradient is \(largest)")
        }
    }

    @Test func theGradientIsBitIdenticalOnOneThreadAndTwo() throws {
        let one = Self.analyticGradient(try Self.model(threads: 1), Self.batch())
        let two = Self.analyticGradient(try Self.model(threads: 2), Self.batch())
        #expect(one == two)
        #expect(one.contains { $0 != 0 })
    }

    @Test func questionsThatShareTheirFactsGetWhatTheyGetApart() throws {
        let model = try Self.model()
        let shared = Array(Self.batch().suffix(2))
        let batch = AttentionBatch(examples: shared)
        #expect(batch.worldCount == 1)
        #expect(batch.factRows == 4)
        let together = Self.analyticGradient(model, shared)
        let apart = shared.map { Self.analyticGradient(model, [$0]) }
        // The batch's loss is the mean of its examples' losses, so its gradient is the mean of theirs.
        for index in together.indices {
            let mean = (apart[0][index] + apart[1][index]) / 2
            #expect(abs(together[index] - mean) <= 1e-5 + 1e-4 * abs(mean), "weight \(index)")
        }
        let losses = try shared.map { try model.loss(on: [$0], using: .latest) }
        #expect(abs(try model.loss(on: shared, using: .latest) - (losses[0] + losses[1]) / 2) <= 1e-5)
        let predictions = try model.predict(shared.map(\.context), using: .latest)
        #expect(predictions == (try shared.map { try model.predict([$0.context], using: .latest)[0] }))
    }
}
