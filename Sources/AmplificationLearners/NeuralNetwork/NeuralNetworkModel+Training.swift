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

extension NeuralNetworkModel {
    /// Trains the model on examples with minibatch Adam, continuing from its current parameters and optimiser
    /// state, and returns what the training did.
    ///
    /// The order of examples comes from the seed's stream for this round (`trainingRounds + 1`), so a round
    /// is reproducible and differs from the other rounds. It yields to other tasks every 32 steps. Single-threaded and in a fixed order: the same
    /// model, examples and configuration give bit-identical parameters.
    mutating func train(
        on examples: EncodedExamples,
        configuration: NeuralNetworkConfiguration
    ) async throws -> NeuralNetworkTrainingSummary {
        let exampleCount = examples.count
        let batchSize = min(configuration.batchSize, exampleCount)
        let stepsPerPass = (exampleCount + batchSize - 1) / batchSize
        let totalSteps: Int
        switch configuration.trainingLength.value {
        case .epochs(let count): totalSteps = count * stepsPerPass
        case .steps(let count): totalSteps = count
        }
        let featureCount = layout.shape.featureCount
        var generator = SeededRandomNumberGenerator(seed: configuration.seed, stream: UInt64(trainingRounds + 1))
        // Raw buffers for the whole distillation; the arrays are copied back at the end.
        let state = TrainingState(model: self, batchSize: batchSize)
        defer { state.deallocate() }
        let features = UnsafeMutableBufferPointer<Int32>.allocate(capacity: examples.globalFeatureValues.count)
        _ = features.initialize(from: examples.globalFeatureValues)
        let order = UnsafeMutableBufferPointer<Int32>.allocate(capacity: exampleCount)
        _ = order.initialize(from: 0..<Int32(exampleCount))
        defer {
            features.deallocate()
            order.deallocate()
        }
        var rowStamps = [Int](repeating: -1, count: layout.tableRows)
        var touchedRows: [Int] = []
        touchedRows.reserveCapacity(batchSize * featureCount)

        var position = exampleCount
        var lastPassLoss: Double = 0
        var lastPassCorrect = 0
        var lastPassExamples = 0
        let lastPassStart = max(0, totalSteps - stepsPerPass)
        for step in 0..<totalSteps {
            if step % 32 == 0 {
                try Task.checkCancellation()
                // Training is long CPU work on the shared concurrency pool: let other tasks run now and then.
                await Task.yield()
            }
            if position >= exampleCount {
                generator.shuffle(order)
                position = 0
            }
            let count = min(batchSize, exampleCount - position)
            let batch = UnsafeBufferPointer(rebasing: order[position..<position + count])
            var batchLoss: Double = 0
            var batchCorrect = 0
            for (sample, example) in batch.enumerated() {
                let outcome = state.forward(
                    sample: sample,
                    globalFeatureValues: UnsafeBufferPointer(
                        start: features.baseAddress.unsafelyUnwrapped + Int(example) * featureCount,
                        count: featureCount
                    ),
                    label: Int(examples.labels[Int(example)]),
                    lossScale: 1 / Float(count)
                )
                batchLoss += outcome.loss
                if outcome.isCorrect { batchCorrect += 1 }
            }
            guard batchLoss.isFinite else {
                throw LearnerError(
                    code: .trainingDiverged,
                    message: "the loss became \(batchLoss) at step \(step + 1) of \(totalSteps) (training round "
                        + "\(trainingRounds + 1)); lower the learning rate"
                )
            }
            state.backwardThroughDenseLayers(count: count)
            for (sample, example) in batch.enumerated() {
                let start = Int(example) * featureCount
                for row in state.accumulateInputGradients(
                    sample: sample,
                    globalFeatureValues: UnsafeBufferPointer(rebasing: features[start..<start + featureCount])
                ) where rowStamps[row] != step {
                    rowStamps[row] = step
                    touchedRows.append(row)
                }
            }

            // Adam: the dense region every step, the input table only in the rows this minibatch touched.
            optimizerSteps += 1
            let update = state.adamUpdate(configuration: configuration, step: optimizerSteps)
            update.apply(from: layout.denseRegionStart, to: layout.parameterCount)
            for row in touchedRows {
                update.apply(from: row * layout.tableWidth, to: (row + 1) * layout.tableWidth)
            }
            touchedRows.removeAll(keepingCapacity: true)

            position += count
            if step >= lastPassStart {
                lastPassLoss += batchLoss
                lastPassCorrect += batchCorrect
                lastPassExamples += count
            }
        }
        state.copy(into: &self)
        trainingRounds += 1
        return NeuralNetworkTrainingSummary(
            exampleCount: exampleCount,
            skippedDemonstrationCount: examples.skippedWithoutClass,
            steps: totalSteps,
            finalPassLoss: Float(lastPassLoss / Double(max(1, lastPassExamples))),
            finalPassAccuracy: Double(lastPassCorrect) / Double(max(1, lastPassExamples))
        )
    }
}

/// The buffers of one distillation: parameters and Adam moments (copied from the model), gradients, and per layer
/// the activations and deltas of a minibatch, example-major.
struct TrainingState {
    let layout: NeuralNetworkLayout
    let parameters: UnsafeMutablePointer<Float>
    let firstMoments: UnsafeMutablePointer<Float>
    let secondMoments: UnsafeMutablePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    let activations: UnsafeMutablePointer<Float>
    let deltas: UnsafeMutablePointer<Float>
    /// Where each activation layer of the minibatch starts in ``activations`` and ``deltas``.
    let activationOffsets: [Int]
    let activationSize: Int

    init(model: NeuralNetworkModel, batchSize: Int) {
        layout = model.layout
        var offsets: [Int] = []
        var size = 0
        for width in layout.activationWidths {
            offsets.append(size)
            size += batchSize * width
        }
        activationOffsets = offsets
        activationSize = size
        let count = layout.parameterCount
        parameters = .allocate(capacity: count)
        parameters.initialize(from: model.parameters, count: count)
        firstMoments = .allocate(capacity: count)
        firstMoments.initialize(from: model.firstMoments, count: count)
        secondMoments = .allocate(capacity: count)
        secondMoments.initialize(from: model.secondMoments, count: count)
        gradients = .allocate(capacity: count)
        gradients.initialize(repeating: 0, count: count)
        activations = .allocate(capacity: size)
        activations.initialize(repeating: 0, count: size)
        deltas = .allocate(capacity: size)
        deltas.initialize(repeating: 0, count: size)
    }

    func deallocate() {
        for buffer in [parameters, firstMoments, secondMoments, gradients, activations, deltas] {
            buffer.deallocate()
        }
    }

    /// Writes the trained parameters and moments back into the model's arrays.
    func copy(into model: inout NeuralNetworkModel) {
        let count = layout.parameterCount
        model.parameters.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: parameters, count: count) }
        model.firstMoments.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: firstMoments, count: count) }
        model.secondMoments.withUnsafeMutableBufferPointer {
            $0.baseAddress?.update(from: secondMoments, count: count)
        }
    }

    @inline(__always)
    func activation(_ layer: Int, sample: Int) -> UnsafeMutablePointer<Float> {
        activations + activationOffsets[layer] + sample * layout.activationWidths[layer]
    }

    @inline(__always)
    func delta(_ layer: Int, sample: Int) -> UnsafeMutablePointer<Float> {
        deltas + activationOffsets[layer] + sample * layout.activationWidths[layer]
    }

    /// Runs one example forward, stores the softmax cross-entropy's gradient with respect to the logits (scaled
    /// by `lossScale`, one over the minibatch size) in the last delta layer, and returns the example's loss.
    @inline(__always)
    func forward(
        sample: Int,
        globalFeatureValues: UnsafeBufferPointer<Int32>,
        label: Int,
        lossScale: Float
    ) -> (loss: Double, isCorrect: Bool) {
        layout.computeInputStage(
            globalFeatureValues: globalFeatureValues,
            parameters: parameters,
            into: activation(0, sample: sample)
        )
        let denseLayers = layout.denseLayers
        for (index, layer) in denseLayers.enumerated() {
            layout.computeDense(
                layer,
                input: activation(index, sample: sample),
                parameters: parameters,
                rectify: index < denseLayers.count - 1,
                into: activation(index + 1, sample: sample)
            )
        }
        let classCount = layout.shape.answerClassCount
        let logits = activation(denseLayers.count, sample: sample)
        let delta = delta(denseLayers.count, sample: sample)
        var best = 0
        for index in 1..<classCount where logits[index] > logits[best] {
            best = index
        }
        let largest = logits[best]
        var sum: Float = 0
        for index in 0..<classCount {
            let value = exp(logits[index] - largest)
            delta[index] = value
            sum += value
        }
        let scale = lossScale / sum
        for index in 0..<classCount {
            delta[index] *= scale
        }
        delta[label] -= lossScale
        return (Double(log(sum) - (logits[label] - largest)), best == label)
    }

    /// Propagates the logits' deltas back through the dense layers, last first, accumulating their gradients and
    /// leaving the input stage's delta in the first delta layer.
    func backwardThroughDenseLayers(count: Int) {
        for index in layout.denseLayers.indices.reversed() {
            let layer = layout.denseLayers[index]
            let weights = parameters + layer.weightOffset
            let weightGradients = gradients + layer.weightOffset
            let biasGradients = gradients + layer.biasOffset
            // The input of a layer is rectified unless it is the concatenated embeddings.
            let inputIsRectified = index > 0 || layout.inputIsRectified
            for sample in 0..<count {
                let input = activation(index, sample: sample)
                let outputDelta = delta(index + 1, sample: sample)
                let inputDelta = delta(index, sample: sample)
                add(outputDelta, biasGradients, layer.outputSize)
                for row in 0..<layer.inputSize {
                    let value = input[row]
                    if value != 0 {
                        axpy(value, outputDelta, weightGradients + row * layer.outputSize, layer.outputSize)
                    }
                    if inputIsRectified && value <= 0 {
                        inputDelta[row] = 0
                    } else {
                        inputDelta[row] = dot(weights + row * layer.outputSize, outputDelta, layer.outputSize)
                    }
                }
            }
        }
    }

    /// Adds one example's input-stage delta to the gradients of its input table rows (and, one-hot, of the first
    /// hidden layer's bias), and returns those rows.
    @inline(__always)
    func accumulateInputGradients(
        sample: Int,
        globalFeatureValues: UnsafeBufferPointer<Int32>
    ) -> some Sequence<Int> {
        let tableWidth = layout.tableWidth
        let inputDelta = delta(0, sample: sample)
        if let inputBiasOffset = layout.inputBiasOffset {
            add(inputDelta, gradients + inputBiasOffset, tableWidth)
        }
        let concatenates = !layout.inputIsRectified
        for (feature, value) in globalFeatureValues.enumerated() {
            let source = concatenates ? inputDelta + feature * tableWidth : inputDelta
            add(source, gradients + Int(value) * tableWidth, tableWidth)
        }
        return globalFeatureValues.lazy.map { Int($0) }
    }

    /// Returns Adam's update for a step (1-based), with its bias corrections.
    func adamUpdate(configuration: NeuralNetworkConfiguration, step: Int) -> AdamUpdate {
        AdamUpdate(
            parameters: parameters,
            gradients: gradients,
            firstMoments: firstMoments,
            secondMoments: secondMoments,
            learningRate: configuration.learningRate,
            beta1: configuration.firstMomentDecay,
            beta2: configuration.secondMomentDecay,
            epsilon: configuration.epsilon,
            weightDecay: configuration.weightDecay,
            firstCorrection: 1 - pow(configuration.firstMomentDecay, Float(step)),
            secondCorrection: 1 - pow(configuration.secondMomentDecay, Float(step))
        )
    }
}

/// One Adam step over ranges of parameters, with bias correction and decoupled weight decay; gradients are
/// zeroed as they are consumed.
struct AdamUpdate {
    let parameters: UnsafeMutablePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    let firstMoments: UnsafeMutablePointer<Float>
    let secondMoments: UnsafeMutablePointer<Float>
    let learningRate: Float
    let beta1: Float
    let beta2: Float
    let epsilon: Float
    let weightDecay: Float
    let firstCorrection: Float
    let secondCorrection: Float

    /// Applies the step to the parameters in `start..<end`, eight at a time, then one at a time (the same
    /// arithmetic, so the result does not depend on the split).
    @inline(__always)
    func apply(from start: Int, to end: Int) {
        let stepSize = learningRate / firstCorrection
        let inverseSecondCorrection = 1 / secondCorrection
        let decay = learningRate * weightDecay
        var index = start
        let wideBeta1 = SIMD8<Float>(repeating: beta1)
        let wideBeta2 = SIMD8<Float>(repeating: beta2)
        let wideRemainder1 = SIMD8<Float>(repeating: 1 - beta1)
        let wideRemainder2 = SIMD8<Float>(repeating: 1 - beta2)
        let wideStepSize = SIMD8<Float>(repeating: stepSize)
        let wideInverseSecondCorrection = SIMD8<Float>(repeating: inverseSecondCorrection)
        let wideEpsilon = SIMD8<Float>(repeating: epsilon)
        let wideDecay = SIMD8<Float>(repeating: decay)
        while index + 8 <= end {
            let gradient = UnsafeRawPointer(gradients + index).loadUnaligned(as: SIMD8<Float>.self)
            let oldFirst = UnsafeRawPointer(firstMoments + index).loadUnaligned(as: SIMD8<Float>.self)
            let oldSecond = UnsafeRawPointer(secondMoments + index).loadUnaligned(as: SIMD8<Float>.self)
            let parameter = UnsafeRawPointer(parameters + index).loadUnaligned(as: SIMD8<Float>.self)
            let first = wideBeta1 * oldFirst + wideRemainder1 * gradient
            let second = wideBeta2 * oldSecond + wideRemainder2 * gradient * gradient
            let updated =
                parameter - wideStepSize * first / ((second * wideInverseSecondCorrection).squareRoot() + wideEpsilon)
                - wideDecay * parameter
            UnsafeMutableRawPointer(firstMoments + index).storeBytes(of: first, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(secondMoments + index).storeBytes(of: second, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(parameters + index).storeBytes(of: updated, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(gradients + index).storeBytes(of: SIMD8<Float>(), as: SIMD8<Float>.self)
            index += 8
        }
        while index < end {
            let gradient = gradients[index]
            let first = beta1 * firstMoments[index] + (1 - beta1) * gradient
            let second = beta2 * secondMoments[index] + (1 - beta2) * gradient * gradient
            firstMoments[index] = first
            secondMoments[index] = second
            let parameter = parameters[index]
            parameters[index] =
                parameter - stepSize * first / ((second * inverseSecondCorrection).squareRoot() + epsilon)
                - decay * parameter
            gradients[index] = 0
            index += 1
        }
    }
}
