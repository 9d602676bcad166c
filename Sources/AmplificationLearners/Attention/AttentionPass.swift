import Foundation
import IteratedAmplification

/// One forward pass of the attention model over a batch, keeping what the backward pass needs.
///
/// The pass reads the facts and the question as tokens, encodes the facts with self-attention, lets the question
/// attend to them, and scores every output: "unknown", each word of the answer vocabulary, and each position of
/// the facts (a pointer). One softmax per example runs over all of them. Buffers live in the pass's arena and
/// come from an arena; a pass is used by one thread at a time, inside one call.
final class AttentionPass {
    /// What one layer keeps for the backward pass.
    struct LayerActivations {
        var attentionNormalized: UnsafeMutablePointer<Float>
        var attentionReciprocal: UnsafeMutablePointer<Float>
        /// The normalised input, after gain and bias: what the queries (and in the encoder, keys) are made from.
        var attentionInput: UnsafeMutablePointer<Float>
        var query: UnsafeMutablePointer<Float>
        var keyValue: UnsafeMutablePointer<Float>
        var probabilities: UnsafeMutablePointer<Float>
        var attended: UnsafeMutablePointer<Float>
        var feedForwardNormalized: UnsafeMutablePointer<Float>
        var feedForwardReciprocal: UnsafeMutablePointer<Float>
        var feedForwardInput: UnsafeMutablePointer<Float>
        var preActivation: UnsafeMutablePointer<Float>
        var activation: UnsafeMutablePointer<Float>
    }

    let layout: AttentionLayout
    let batch: AttentionBatch
    let threads: Int
    let factGroups: AttentionGroups
    let questionGroups: AttentionGroups
    private let arena: FloatArena
    /// The bytes the pass's buffers hold so far.
    private(set) var allocatedBytes = 0

    // The forward pass's values.
    var factInputs: UnsafeMutablePointer<Float>! = nil
    var encoderState: UnsafeMutablePointer<Float>! = nil
    var encoderLayers: [LayerActivations] = []
    var memory: UnsafeMutablePointer<Float>! = nil
    var memoryNormalized: UnsafeMutablePointer<Float>! = nil
    var memoryReciprocal: UnsafeMutablePointer<Float>! = nil
    var questionInputs: UnsafeMutablePointer<Float>! = nil
    var decoderState: UnsafeMutablePointer<Float>! = nil
    var decoderLayers: [LayerActivations] = []
    var output: UnsafeMutablePointer<Float>! = nil
    var outputNormalized: UnsafeMutablePointer<Float>! = nil
    var outputReciprocal: UnsafeMutablePointer<Float>! = nil
    var pointerKeys: UnsafeMutablePointer<Float>! = nil
    /// Every example's output probabilities: words first (`"unknown"` at 0), then facts × slots.
    var probabilities: UnsafeMutablePointer<Float>! = nil
    /// Where each example's outputs start in ``probabilities``; `count + 1` entries.
    let outputStarts: [Int]
    /// The mean loss over the batch (when it has targets).
    var loss: Float = 0

    /// Creates a pass whose buffers come from `arena` (a fresh one by default): they stay valid until the
    /// arena is reset.
    init(layout: AttentionLayout, batch: AttentionBatch, threads: Int, arena: FloatArena = FloatArena()) {
        self.arena = arena
        self.layout = layout
        self.batch = batch
        self.threads = threads
        factGroups = AttentionGroups(
            queryStarts: batch.factStarts, keyStarts: batch.factStarts, width: layout.width, heads: layout.heads
        )
        questionGroups = AttentionGroups(
            queryStarts: batch.exampleStarts, keyStarts: batch.factStarts, width: layout.width,
            heads: layout.heads
        )
        var starts = [0]
        for example in 0..<batch.count {
            let facts = batch.factRange(ofExample: example).count
            starts.append(starts[example] + layout.shape.wordOutputs + facts * layout.shape.factWidth)
        }
        outputStarts = starts
    }

    /// Returns a zeroed buffer from the pass's arena.
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
        allocatedBytes += max(count, 1) * MemoryLayout<Float>.stride
        return arena.take(count)
    }

    // MARK: Matrix products

    /// `output (=|+=) input · weight`, for `rows` rows.
    func linear(
        _ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, _ weight: UnsafePointer<Float>, outputWidth: Int,
        into output: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        multiply(
            .normal(input, rowStride: inputWidth), .normal(weight, rowStride: outputWidth), into: output,
            cRowStride: outputWidth, m: rows, n: outputWidth, k: inputWidth, accumulate: accumulate,
            parallelism: threads
        )
    }

    /// `inputGradient (=|+=) outputGradient · weightᵀ`.
    func linearInputGradient(
        _ outputGradient: UnsafePointer<Float>, rows: Int, outputWidth: Int, _ weight: UnsafePointer<Float>,
        inputWidth: Int, into inputGradient: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        multiply(
            .normal(outputGradient, rowStride: outputWidth), .transposed(weight, rowStride: outputWidth),
            into: inputGradient, cRowStride: inputWidth, m: rows, n: inputWidth, k: outputWidth,
            accumulate: accumulate, parallelism: threads
        )
    }

    /// `weightGradient += inputᵀ · outputGradient`.
    func linearWeightGradient(
        _ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, _ outputGradient: UnsafePointer<Float>,
        outputWidth: Int, into weightGradient: UnsafeMutablePointer<Float>
    ) {
        multiply(
            .transposed(input, rowStride: inputWidth), .normal(outputGradient, rowStride: outputWidth),
            into: weightGradient, cRowStride: outputWidth, m: inputWidth, n: outputWidth, k: rows,
            accumulate: true, parallelism: threads
        )
    }

    // MARK: Forward

    /// Runs the model on the batch; with targets, sets ``loss``.
    func forward(_ weights: UnsafePointer<Float>) {
        let width = layout.width
        let shape = layout.shape
        let factRows = batch.factRows

        factInputs = buffer(factRows * shape.factWidth * width)
        gather(batch.factTokens, weights + layout.embedding, into: factInputs)
        encoderState = buffer(factRows * width)
        linear(
            factInputs, rows: factRows, inputWidth: shape.factWidth * width, weights + layout.factInput,
            outputWidth: width, into: encoderState
        )
        addBias(weights + layout.factInputBias, to: encoderState, rows: factRows, width: width)
        encoderLayers = layout.encoder.map { layer in
            layerForward(layer, weights, state: encoderState, groups: factGroups, memory: nil)
        }
        memoryNormalized = buffer(factRows * width)
        memoryReciprocal = buffer(factRows)
        memory = buffer(factRows * width)
        layerNormForward(
            encoderState, rows: factRows, width: width, gain: weights + layout.encoderNormGain,
            bias: weights + layout.encoderNormBias, normalized: memoryNormalized, output: memory,
            reciprocalDeviation: memoryReciprocal
        )

        questionInputs = buffer(batch.count * shape.questionWidth * width)
        gather(batch.questionTokens, weights + layout.embedding, into: questionInputs)
        decoderState = buffer(batch.count * width)
        linear(
            questionInputs, rows: batch.count, inputWidth: shape.questionWidth * width, weights + layout.questionInput,
            outputWidth: width, into: decoderState
        )
        addBias(weights + layout.questionInputBias, to: decoderState, rows: batch.count, width: width)
        decoderLayers = layout.decoder.map { layer in
            layerForward(layer, weights, state: decoderState, groups: questionGroups, memory: memory)
        }
        outputNormalized = buffer(batch.count * width)
        outputReciprocal = buffer(batch.count)
        output = buffer(batch.count * width)
        layerNormForward(
            decoderState, rows: batch.count, width: width, gain: weights + layout.decoderNormGain,
            bias: weights + layout.decoderNormBias, normalized: outputNormalized, output: output,
            reciprocalDeviation: outputReciprocal
        )
        scoreOutputs(weights)
    }

    /// Copies each token's embedding into its slot of the rows (`tokens.count / rows` slots per row).
    private func gather(_ tokens: [Int], _ embedding: UnsafePointer<Float>, into rows: UnsafeMutablePointer<Float>) {
        let width = layout.width
        for (position, token) in tokens.enumerated() {
            (rows + position * width).update(from: embedding + token * width, count: width)
        }
    }

    /// One pre-norm layer, updating the residual `state` in place: attention (to the state itself, or to the
    /// memory), then feed-forward.
    private func layerForward(
        _ layer: AttentionLayerLayout,
        _ weights: UnsafePointer<Float>,
        state: UnsafeMutablePointer<Float>,
        groups: AttentionGroups,
        memory: UnsafePointer<Float>?
    ) -> LayerActivations {
        let width = layout.width
        let rows = groups.queryStarts[groups.groupCount]
        let keyRows = groups.keyStarts[groups.groupCount]
        let attention = layer.attention
        let feedForward = layer.feedForward
        let activations = LayerActivations(
            attentionNormalized: buffer(rows * width),
            attentionReciprocal: buffer(rows),
            attentionInput: buffer(rows * width),
            query: buffer(rows * width),
            keyValue: buffer(keyRows * 2 * width),
            probabilities: buffer(groups.probabilityCount),
            attended: buffer(rows * width),
            feedForwardNormalized: buffer(rows * width),
            feedForwardReciprocal: buffer(rows),
            feedForwardInput: buffer(rows * width),
            preActivation: buffer(rows * layout.feedForwardWidth),
            activation: buffer(rows * layout.feedForwardWidth)
        )
        layerNormForward(
            state, rows: rows, width: width, gain: weights + attention.normGain, bias: weights + attention.normBias,
            normalized: activations.attentionNormalized, output: activations.attentionInput,
            reciprocalDeviation: activations.attentionReciprocal
        )
        linear(
            activations.attentionInput, rows: rows, inputWidth: width, weights + attention.query, outputWidth: width,
            into: activations.query
        )
        linear(
            memory ?? UnsafePointer(activations.attentionInput), rows: keyRows, inputWidth: width,
            weights + attention.keyValue, outputWidth: 2 * width, into: activations.keyValue
        )
        attentionForward(
            groups, query: activations.query, keyValue: activations.keyValue,
            probabilities: activations.probabilities, attended: activations.attended, threads: threads
        )
        linear(
            activations.attended, rows: rows, inputWidth: width, weights + attention.output, outputWidth: width,
            into: state, accumulate: true
        )

        layerNormForward(
            state, rows: rows, width: width, gain: weights + feedForward.normGain,
            bias: weights + feedForward.normBias, normalized: activations.feedForwardNormalized,
            output: activations.feedForwardInput, reciprocalDeviation: activations.feedForwardReciprocal
        )
        let hidden = layout.feedForwardWidth
        linear(
            activations.feedForwardInput, rows: rows, inputWidth: width, weights + feedForward.up,
            outputWidth: hidden, into: activations.preActivation
        )
        addBias(weights + feedForward.upBias, to: activations.preActivation, rows: rows, width: hidden)
        rectifyForward(activations.preActivation, activations.activation, rows * hidden)
        linear(
            activations.activation, rows: rows, inputWidth: hidden, weights + feedForward.down, outputWidth: width,
            into: state, accumulate: true
        )
        addBias(weights + feedForward.downBias, to: state, rows: rows, width: width)
        return activations
    }

    /// Scores every output of every example and turns the scores into probabilities; with targets, the loss.
    private func scoreOutputs(_ weights: UnsafePointer<Float>) {
        let width = layout.width
        let shape = layout.shape
        let words = shape.wordOutputs
        let slots = shape.factWidth
        let wordScores = buffer(batch.count * words)
        linear(
            output, rows: batch.count, inputWidth: width, weights + layout.wordOutput, outputWidth: words,
            into: wordScores)
        addBias(weights + layout.wordOutputBias, to: wordScores, rows: batch.count, width: words)
        pointerKeys = buffer(batch.factRows * slots * width)
        linear(
            memory, rows: batch.factRows, inputWidth: width, weights + layout.pointer, outputWidth: slots * width,
            into: pointerKeys)

        probabilities = buffer(outputStarts[batch.count])
        let pointerScale = 1 / Float(width).squareRoot()
        var totalLoss: Float = 0
        for example in 0..<batch.count {
            let scores = probabilities + outputStarts[example]
            scores.update(from: wordScores + example * words, count: words)
            let query = output + example * width
            var index = words
            for fact in batch.factRange(ofExample: example) {
                for slot in 0..<slots {
                    scores[index] = dot(query, pointerKeys + (fact * slots + slot) * width, width) * pointerScale
                    index += 1
                }
            }
            let count = outputStarts[example + 1] - outputStarts[example]
            softmaxInPlace(scores, count)
            if let targets = batch.targets {
                totalLoss -= logf(max(targetProbability(example, targets[example]), Float.leastNormalMagnitude))
            }
        }
        loss = batch.count > 0 ? totalLoss / Float(batch.count) : 0
    }

    /// Calls `body` with each output index of the example that gives the target's answer: its word, or every
    /// position of the facts holding the token the target points at.
    func forEachOutput(giving target: FactTarget, example: Int, _ body: (Int) -> Void) {
        let words = layout.shape.wordOutputs
        switch target {
        case .unknown:
            body(0)
        case .word(let word):
            body(1 + word)
        case .pointer(let fact, let slot):
            let slots = layout.shape.factWidth
            let firstFact = batch.factRange(ofExample: example).lowerBound
            let facts = batch.factRange(ofExample: example).count
            let token = batch.factTokens[(firstFact + fact) * slots + slot]
            for position in 0..<(facts * slots) where batch.factTokens[firstFact * slots + position] == token {
                body(words + position)
            }
        }
    }

    /// The probability the model gives the target's answer.
    func targetProbability(_ example: Int, _ target: FactTarget) -> Float {
        let scores = probabilities + outputStarts[example]
        var sum: Float = 0
        forEachOutput(giving: target, example: example) { sum += scores[$0] }
        return sum
    }

    /// The answer the model gives an example: the output whose answer has the highest probability, summing the
    /// positions that hold the same token; ties go to the earliest output.
    func prediction(_ example: Int) -> (target: FactTarget, probability: Float) {
        let shape = layout.shape
        let scores = probabilities + outputStarts[example]
        var best = (target: FactTarget.unknown, probability: scores[0])
        for word in 0..<shape.answerWordCount where scores[1 + word] > best.probability {
            best = (.word(word), scores[1 + word])
        }
        let slots = shape.factWidth
        let firstFact = batch.factRange(ofExample: example).lowerBound
        let positions = batch.factRange(ofExample: example).count * slots
        var tokenProbability: [Int: Float] = [:]
        for position in 0..<positions {
            tokenProbability[batch.factTokens[firstFact * slots + position], default: 0] +=
                scores[shape.wordOutputs + position]
        }
        for position in 0..<positions {
            let token = batch.factTokens[firstFact * slots + position]
            let probability = tokenProbability[token] ?? 0
            if probability > best.probability {
                best = (.pointer(fact: position / slots, slot: position % slots), probability)
            }
        }
        return best
    }
}
