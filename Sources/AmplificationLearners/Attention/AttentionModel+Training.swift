import Foundation
import IteratedAmplification

/// What a call to ``AttentionModel/train(on:steps:progress:)`` did.
public struct AttentionTrainingSummary: Hashable, Sendable {
    /// The optimiser steps taken in this call.
    public var steps: Int
    /// The examples seen (steps times the batch size, or fewer when a batch was smaller).
    public var examplesSeen: Int
    /// The mean loss of the first step's batch; `nil` when the call took no step.
    public var firstLoss: Float?
    /// The mean loss over the last (up to) 50 steps' batches; `nil` when the call took no step.
    public var finalLoss: Float?
}

extension AttentionModel {
    /// Adam's moment decay rates and guard, as in the Transformer literature.
    static let firstMomentDecay: Float = 0.9
    static let secondMomentDecay: Float = 0.98
    static let adamEpsilon: Float = 1e-8

    /// Trains on examples for a number of optimiser steps: minibatches of ``AttentionConfiguration/batchSize``
    /// drawn in shuffled passes over the examples (reshuffled at each pass, from the seed and the step count, so
    /// continued training reproduces too).
    ///
    /// - Parameters:
    ///   - examples: The training data.
    ///   - steps: How many optimiser steps to take.
    ///   - progress: Called after every step with the step's number within this call (from 1) and its loss.
    /// - Returns: A summary of the call.
    /// - Throws: ``LearnerError``: ``LearnerError/Code/noTrainingData`` without examples,
    ///   ``LearnerError/Code/invalidContext`` or ``LearnerError/Code/invalidTarget`` naming the example,
    ///   ``LearnerError/Code/invalidConfiguration`` for a negative step count, and
    ///   ``LearnerError/Code/trainingDiverged`` when the loss or the gradient stops being finite (the step that
    ///   found it changes nothing); `CancellationError` when the task running it is cancelled (checked before
    ///   every step). Steps taken before an error are kept.
    @discardableResult
    public mutating func train(
        on examples: [FactExample],
        steps: Int,
        progress: ((_ step: Int, _ loss: Float) -> Void)? = nil
    ) throws -> AttentionTrainingSummary {
        try train(on: examples, steps: steps, progress: progress) { try Task.checkCancellation() }
    }

    /// The training loop, with the cancellation check its caller chooses (a training run off the cooperative
    /// thread pool has no task to ask).
    @discardableResult
    mutating func train(
        on examples: [FactExample],
        steps: Int,
        progress: ((_ step: Int, _ loss: Float) -> Void)?,
        checkCancellation: () throws -> Void
    ) throws -> AttentionTrainingSummary {
        guard steps >= 0 else {
            throw LearnerError(code: .invalidConfiguration, message: "steps must not be negative, not \(steps)")
        }
        guard !examples.isEmpty else {
            throw LearnerError(code: .noTrainingData, message: "there are no examples to train on")
        }
        for (index, example) in examples.enumerated() { try example.validate(against: shape, exampleIndex: index) }
        var generator = SeededRandomNumberGenerator(seed: configuration.seed, stream: UInt64(step) &+ 1)
        var order = Array(examples.indices)
        var position = order.count
        var summary = AttentionTrainingSummary(steps: 0, examplesSeen: 0, firstLoss: nil, finalLoss: nil)
        var recentLosses: [Float] = []
        let arena = FloatArena()
        for stepInCall in 1...max(steps, 1) where steps > 0 {
            try checkCancellation()
            var batch: [FactExample] = []
            batch.reserveCapacity(configuration.batchSize)
            while batch.count < min(configuration.batchSize, examples.count) {
                if position == order.count {
                    generator.shuffle(&order)
                    position = 0
                }
                batch.append(examples[order[position]])
                position += 1
            }
            arena.reset()
            let loss = try trainStep(onValidated: batch, arena: arena)
            if stepInCall == 1 { summary.firstLoss = loss }
            recentLosses.append(loss)
            if recentLosses.count > 50 { recentLosses.removeFirst() }
            summary.steps += 1
            summary.examplesSeen += batch.count
            progress?(stepInCall, loss)
        }
        if !recentLosses.isEmpty { summary.finalLoss = recentLosses.reduce(0, +) / Float(recentLosses.count) }
        return summary
    }

    /// Takes one optimiser step on one minibatch (for data that streams, such as a fresh world per example).
    ///
    /// - Returns: The batch's mean loss before the step.
    /// - Throws: ``LearnerError`` as ``train(on:steps:progress:)`` does (no cancellation check).
    @discardableResult
    public mutating func trainStep(on batch: [FactExample]) throws -> Float {
        guard !batch.isEmpty else {
            throw LearnerError(code: .noTrainingData, message: "the batch is empty")
        }
        for (index, example) in batch.enumerated() { try example.validate(against: shape, exampleIndex: index) }
        let arenas = arenas
        return try arenas.withArena { try trainStep(onValidated: batch, arena: $0) }
    }

    /// The step itself: forward, backward, clipping, Adam with warm-up, and the teacher's average.
    mutating func trainStep(onValidated examples: [FactExample], arena: FloatArena) throws -> Float {
        let (pass, gradient, _) = gradientPass(examples, arena: arena)
        let loss = pass.loss
        var squaredNorm: Float = 0
        for index in 0..<layout.count { squaredNorm += gradient[index] * gradient[index] }
        let norm = squaredNorm.squareRoot()
        guard loss.isFinite, norm.isFinite else {
            throw LearnerError(
                code: .trainingDiverged,
                message: "at step \(step + 1) the loss is \(loss) and the gradient's norm \(norm); lower the "
                    + "learning rate (\(configuration.learningRate)) or raise the warm-up "
                    + "(\(configuration.warmUpSteps) steps)"
            )
        }
        applyAdam(gradient, norm: norm)
        return loss
    }

    /// Clips the gradient to the configured global norm, takes one Adam step, and updates the teacher.
    mutating func applyAdam(_ gradient: UnsafePointer<Float>, norm: Float) {
        step += 1
        let clip = norm > configuration.gradientClipNorm ? configuration.gradientClipNorm / norm : 1
        let warmUp = configuration.warmUpSteps > 0 ? min(1, Float(step) / Float(configuration.warmUpSteps)) : 1
        let rate = configuration.learningRate * warmUp
        let beta1 = Self.firstMomentDecay
        let beta2 = Self.secondMomentDecay
        let firstCorrection = 1 / (1 - powf(beta1, Float(step)))
        let secondCorrection = 1 / (1 - powf(beta2, Float(step)))
        let decay = min(configuration.teacherDecay, Float(1 + step) / Float(10 + step))
        let count = layout.count
        weights.withUnsafeMutableBufferPointer { weights in
            teacher.withUnsafeMutableBufferPointer { teacher in
                firstMoment.withUnsafeMutableBufferPointer { first in
                    secondMoment.withUnsafeMutableBufferPointer { second in
                        adamUpdate(
                            count: count, gradient: gradient, clip: clip, rate: rate,
                            firstCorrection: firstCorrection, secondCorrection: secondCorrection, decay: decay,
                            weights: weights.baseAddress!, teacher: teacher.baseAddress!,
                            first: first.baseAddress!, second: second.baseAddress!
                        )
                    }
                }
            }
        }
    }
}

/// Adam's update of every weight and the teacher's average, eight at a time; the tail one at a time with the
/// same operations.
private func adamUpdate(
    count: Int, gradient: UnsafePointer<Float>, clip: Float, rate: Float, firstCorrection: Float,
    secondCorrection: Float, decay: Float, weights: UnsafeMutablePointer<Float>, teacher: UnsafeMutablePointer<Float>,
    first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>
) {
    typealias V = SIMD8<Float>
    let beta1 = AttentionModel.firstMomentDecay
    let beta2 = AttentionModel.secondMomentDecay
    @inline(__always) func load(_ pointer: UnsafePointer<Float>, _ index: Int) -> V {
        UnsafeRawPointer(pointer + index).loadUnaligned(as: V.self)
    }
    @inline(__always) func store(_ value: V, _ pointer: UnsafeMutablePointer<Float>, _ index: Int) {
        UnsafeMutableRawPointer(pointer + index).storeBytes(of: value, as: V.self)
    }
    var index = 0
    while index + 8 <= count {
        let g = load(gradient, index) * clip
        let m = beta1 * load(first, index) + (1 - beta1) * g
        let v = beta2 * load(second, index) + (1 - beta2) * g * g
        store(m, first, index)
        store(v, second, index)
        let update = m * firstCorrection / ((v * secondCorrection).squareRoot() + AttentionModel.adamEpsilon)
        let w = load(weights, index) - rate * update
        store(w, weights, index)
        store(decay * load(teacher, index) + (1 - decay) * w, teacher, index)
        index += 8
    }
    while index < count {
        let g = gradient[index] * clip
        first[index] = beta1 * first[index] + (1 - beta1) * g
        second[index] = beta2 * second[index] + (1 - beta2) * g * g
        let update =
            first[index] * firstCorrection
            / ((second[index] * secondCorrection).squareRoot() + AttentionModel.adamEpsilon)
        weights[index] -= rate * update
        teacher[index] = decay * teacher[index] + (1 - decay) * weights[index]
        index += 1
    }
}

extension AttentionModel {
    /// The bytes one training step on these examples holds beyond the model: the forward pass's activations,
    /// and all of a step's working memory (the activations, their gradients and the weights' gradient). For
    /// benchmarks that hold memory against what the model needs.
    package func stepMemory(_ examples: [FactExample]) -> (activationBytes: Int, workingBytes: Int) {
        let (pass, _, activationBytes) = gradientPass(examples, arena: FloatArena())
        return (activationBytes, pass.allocatedBytes + layout.count * MemoryLayout<Float>.stride)
    }

    /// Runs forward and backward over examples (already validated) with the latest weights: the pass, the
    /// weights' gradient (in the arena), and the bytes the forward pass alone took.
    func gradientPass(
        _ examples: [FactExample],
        arena: FloatArena
    ) -> (pass: AttentionPass, gradient: UnsafeMutablePointer<Float>, activationBytes: Int) {
        let gradient = arena.take(layout.count)
        let pass = forwardPass(AttentionBatch(examples: examples), using: .latest, arena: arena)
        let activationBytes = pass.allocatedBytes
        weights.withUnsafeBufferPointer { pass.backward($0.baseAddress!, into: gradient) }
        return (pass, gradient, activationBytes)
    }
}
