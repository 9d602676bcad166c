public import IteratedAmplification

/// A Transformer that reads a world's facts and answers a question about it, in pure Swift.
///
/// Each fact's tokens are embedded and projected, slot by slot, into one vector; self-attention layers (with no
/// order across facts) encode the facts; the question's tokens are embedded the same way and cross-attend to the
/// encoded facts. The output is one softmax over "unknown", the words of a small answer vocabulary, and every
/// position of the facts (a pointer, as in the copy mechanism of the 2018 model): positions holding the same
/// token give the same answer, so their probabilities add. All layers are pre-norm residual blocks.
///
/// The model keeps two copies of its weights: the ``WeightSet/latest`` ones that Adam updates, and the
/// ``WeightSet/teacher``, their exponential moving average, which answers by default and is what an
/// amplification loop should consult as X.
///
/// Training is deterministic: the same configuration (and seed), the same examples and the same calls give
/// bit-identical weights on the same machine, whatever ``AttentionConfiguration/threads`` is.
///
/// ```swift
/// var model = try AttentionModel(configuration: .init(seed: 1), shape: try FactShape(encoding))
/// let summary = try model.train(on: examples, steps: 2_000)
/// let answers = try model.predict(heldOutContexts)      // the teacher's answers
/// try model.save(to: URL(filePath: "model.iaattn"))
/// ```
public struct AttentionModel: Sendable {
    /// Which copy of the weights answers.
    public enum WeightSet: Hashable, Sendable {
        /// The exponential moving average of the weights: smoother, and the default.
        case teacher
        /// The weights as the last optimiser step left them.
        case latest
    }

    /// The architecture and training settings.
    public let configuration: AttentionConfiguration
    /// The sizes of what the model reads and writes.
    public let shape: FactShape
    /// The number of optimiser steps taken so far.
    public internal(set) var step: Int

    let layout: AttentionLayout
    var weights: [Float]
    var teacher: [Float]
    var firstMoment: [Float]
    var secondMoment: [Float]
    /// Buffers reused from pass to pass, shared by the model's copies.
    let arenas = FloatArenaPool()

    /// Creates a model with fresh weights drawn from the configuration's seed.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidConfiguration``.
    public init(configuration: AttentionConfiguration, shape: FactShape) throws {
        try configuration.validate()
        let layout = AttentionLayout(configuration: configuration, shape: shape)
        var generator = SeededRandomNumberGenerator(seed: configuration.seed)
        var weights = [Float](repeating: 0, count: layout.count)
        for tensor in layout.tensors {
            switch tensor.initialization {
            case .zeros:
                break
            case .ones:
                for index in tensor.offset..<(tensor.offset + tensor.count) { weights[index] = 1 }
            case .embedding:
                for index in tensor.offset..<(tensor.offset + tensor.count) {
                    weights[index] = generator.nextFloat(symmetricBound: 1)
                }
            case .glorot(let fanIn, let fanOut):
                let bound = (6 / Float(fanIn + fanOut)).squareRoot()
                for index in tensor.offset..<(tensor.offset + tensor.count) {
                    weights[index] = generator.nextFloat(symmetricBound: bound)
                }
            }
        }
        self.init(
            configuration: configuration, shape: shape, layout: layout, step: 0, weights: weights, teacher: weights,
            firstMoment: [Float](repeating: 0, count: layout.count),
            secondMoment: [Float](repeating: 0, count: layout.count)
        )
    }

    init(
        configuration: AttentionConfiguration,
        shape: FactShape,
        layout: AttentionLayout,
        step: Int,
        weights: [Float],
        teacher: [Float],
        firstMoment: [Float],
        secondMoment: [Float]
    ) {
        self.configuration = configuration
        self.shape = shape
        self.layout = layout
        self.step = step
        self.weights = weights
        self.teacher = teacher
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// Returns the model with another configuration's training settings (batch size, step size, warm-up, clip,
    /// teacher decay, seed, threads), keeping its weights, teacher, optimiser state and step.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/incompatibleStudent`` when the configuration's
    ///   architecture differs, or ``LearnerError/Code/invalidConfiguration``.
    public func withTrainingSettings(of configuration: AttentionConfiguration) throws -> AttentionModel {
        try configuration.validate()
        guard configuration.hasSameArchitecture(as: self.configuration) else {
            throw LearnerError(
                code: .incompatibleStudent,
                message: "the model's architecture (width \(self.configuration.width), \(self.configuration.heads) "
                    + "heads, \(self.configuration.encoderLayers) + \(self.configuration.decoderLayers) layers, "
                    + "feed-forward \(self.configuration.feedForwardWidth)) differs from the configuration's"
            )
        }
        return AttentionModel(
            configuration: configuration, shape: shape, layout: layout, step: step, weights: weights,
            teacher: teacher, firstMoment: firstMoment, secondMoment: secondMoment
        )
    }

    /// The number of trainable weights.
    public var parameterCount: Int { layout.count }

    /// Returns the model's answers to contexts, computed in batches of at most 256.
    ///
    /// - Parameters:
    ///   - contexts: Questions with their facts.
    ///   - weightSet: Which weights answer; the teacher by default.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidContext`` for a context that breaks the
    ///   shape (its index is the error's `demonstrationIndex`).
    public func predict(_ contexts: [FactContext], using weightSet: WeightSet = .teacher) throws -> [FactTarget] {
        try evaluate(contexts, using: weightSet).map(\.target)
    }

    /// Returns the model's answers to contexts with the probability it gives each.
    ///
    /// - Parameters:
    ///   - contexts: Questions with their facts.
    ///   - weightSet: Which weights answer; the teacher by default.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidContext`` naming the context.
    public func evaluate(
        _ contexts: [FactContext],
        using weightSet: WeightSet = .teacher
    ) throws -> [(target: FactTarget, probability: Float)] {
        for (index, context) in contexts.enumerated() { try context.validate(against: shape, exampleIndex: index) }
        var results: [(target: FactTarget, probability: Float)] = []
        results.reserveCapacity(contexts.count)
        var start = 0
        while start < contexts.count {
            let end = min(start + 256, contexts.count)
            let batch = AttentionBatch(contexts: contexts[start..<end], targets: nil)
            arenas.withArena { arena in
                let pass = forwardPass(batch, using: weightSet, arena: arena)
                for example in 0..<batch.count { results.append(pass.prediction(example)) }
            }
            start = end
        }
        return results
    }

    /// Returns the mean loss (the negative log-probability of the target's answer) over examples.
    ///
    /// - Parameters:
    ///   - examples: The examples, with their targets.
    ///   - weightSet: Which weights answer; the teacher by default.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/noTrainingData`` without examples, or
    ///   ``LearnerError/Code/invalidContext`` or ``LearnerError/Code/invalidTarget`` naming the example.
    public func loss(on examples: [FactExample], using weightSet: WeightSet = .teacher) throws -> Float {
        guard !examples.isEmpty else {
            throw LearnerError(code: .noTrainingData, message: "there are no examples to compute a loss on")
        }
        for (index, example) in examples.enumerated() { try example.validate(against: shape, exampleIndex: index) }
        return arenas.withArena { forwardPass(AttentionBatch(examples: examples), using: weightSet, arena: $0).loss }
    }

    /// Runs the model forward on a batch with one set of weights, its buffers from `arena`.
    func forwardPass(
        _ batch: AttentionBatch,
        using weightSet: WeightSet,
        arena: FloatArena
    ) -> AttentionPass {
        let pass = AttentionPass(layout: layout, batch: batch, threads: configuration.threads, arena: arena)
        (weightSet == .teacher ? teacher : weights).withUnsafeBufferPointer { pass.forward($0.baseAddress!) }
        return pass
    }
}
