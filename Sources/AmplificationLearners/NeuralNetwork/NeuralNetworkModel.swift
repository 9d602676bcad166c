import IteratedAmplification

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(ucrt)
    import ucrt
#endif

/// A network's parameters and its optimiser's state, and the training loop.
struct NeuralNetworkModel: Sendable {
    let layout: NeuralNetworkLayout
    var parameters: [Float]
    /// Adam's running mean of each parameter's gradient.
    var firstMoments: [Float]
    /// Adam's running mean of each parameter's squared gradient.
    var secondMoments: [Float]
    /// Adam steps taken so far, across all distillations (drives the bias correction).
    var optimizerSteps: Int
    /// Distillations this model has gone through; 0 for a freshly initialised one.
    var trainingRounds: Int

    /// Creates a freshly initialised model: weights from the seed's initialisation stream, zero optimiser state.
    init(layout: NeuralNetworkLayout, seed: UInt64) {
        self.layout = layout
        var generator = SeededRandomNumberGenerator(seed: seed, stream: 0)
        parameters = layout.initialParameters(generator: &generator)
        firstMoments = [Float](repeating: 0, count: layout.parameterCount)
        secondMoments = [Float](repeating: 0, count: layout.parameterCount)
        optimizerSteps = 0
        trainingRounds = 0
    }

    /// Returns the index of the class with the highest logit (the lowest index among ties) and, when asked for,
    /// its probability (1 otherwise: the softmax is skipped).
    func predict(
        globalFeatureValues: UnsafeBufferPointer<Int32>,
        computingProbability: Bool = true
    ) -> (answerClass: Int, probability: Float) {
        let classCount = layout.shape.answerClassCount
        let widest = layout.widestActivation
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * widest + classCount) { scratch in
            let base = scratch.baseAddress.unsafelyUnwrapped
            let logits = base + 2 * widest
            parameters.withUnsafeBufferPointer { parameters in
                layout.logits(
                    globalFeatureValues: globalFeatureValues,
                    parameters: parameters.baseAddress.unsafelyUnwrapped,
                    scratch: base,
                    into: logits
                )
            }
            var best = 0
            for index in 1..<classCount where logits[index] > logits[best] {
                best = index
            }
            guard computingProbability else { return (best, 1) }
            var sum: Float = 0
            for index in 0..<classCount {
                sum += exp(logits[index] - logits[best])
            }
            return (best, 1 / sum)
        }
    }

    /// Returns the probability of every class for one example.
    func probabilities(globalFeatureValues: UnsafeBufferPointer<Int32>) -> [Float] {
        let classCount = layout.shape.answerClassCount
        let widest = layout.widestActivation
        var result = [Float](repeating: 0, count: classCount)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * widest) { scratch in
            result.withUnsafeMutableBufferPointer { logits in
                let logits = logits.baseAddress.unsafelyUnwrapped
                parameters.withUnsafeBufferPointer { parameters in
                    layout.logits(
                        globalFeatureValues: globalFeatureValues,
                        parameters: parameters.baseAddress.unsafelyUnwrapped,
                        scratch: scratch.baseAddress.unsafelyUnwrapped,
                        into: logits
                    )
                }
                var largest = logits[0]
                for index in 1..<classCount where logits[index] > largest { largest = logits[index] }
                var sum: Float = 0
                for index in 0..<classCount {
                    logits[index] = exp(logits[index] - largest)
                    sum += logits[index]
                }
                for index in 0..<classCount { logits[index] /= sum }
            }
        }
        return result
    }
}
