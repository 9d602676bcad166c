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
    /// is reproducible and differs from the other rounds. Single-threaded and in a fixed order: the same
    /// model, examples and configuration give bit-identical parameters.
    mutating func train(
        on examples: EncodedExamples,
        configuration: NeuralNetworkConfiguration
    ) throws -> NeuralNetworkTrainingSummary {
        let exampleCount = examples.count
        let batchSize = min(configuration.batchSize, exampleCount)
        let stepsPerPass = (exampleCount + batchSize - 1) / batchSize
        let totalSteps: Int
        switch configuration.trainingLength.value {
        case .epochs(let count): totalSteps = count * stepsPerPass
        case .steps(let count): totalSteps = count
        }
        var generator = SplitMix64(seed: configuration.seed, stream: UInt64(trainingRounds + 1))
        let layout = self.layout
        let featureCount = layout.shape.featureCount
        let classCount = layout.shape.answerClassCount
        let widths = layout.activationWidths

        // One workspace for the whole distillation: activations and deltas per layer, gradients, row stamps.
        var activationOffsets: [Int] = []
        var workspaceSize = 0
        for width in widths {
            activationOffsets.append(workspaceSize)
            workspaceSize += batchSize * width
        }
        let activations = UnsafeMutablePointer<Float>.allocate(capacity: workspaceSize)
        let deltas = UnsafeMutablePointer<Float>.allocate(capacity: workspaceSize)
        let gradients = UnsafeMutablePointer<Float>.allocate(capacity: layout.parameterCount)
        gradients.initialize(repeating: 0, count: layout.parameterCount)
        activations.initialize(repeating: 0, count: workspaceSize)
        deltas.initialize(repeating: 0, count: workspaceSize)
        var rowStamps = [Int](repeating: -1, count: layout.tableRows)
        var touchedRows: [Int] = []
        touchedRows.reserveCapacity(batchSize * featureCount)
        var order = (0..<Int32(exampleCount)).map { $0 }
        defer {
            activations.deallocate()
            deltas.deallocate()
            gradients.deallocate()
        }

        var position = exampleCount
        var lastPassLoss: Double = 0
        var lastPassCorrect = 0
        var lastPassExamples = 0
        let lastPassStart = max(0, totalSteps - stepsPerPass)
        let beta1 = configuration.firstMomentDecay
        let beta2 = configuration.secondMomentDecay

        try parameters.withUnsafeMutableBufferPointer { parameterBuffer in
            try firstMoments.withUnsafeMutableBufferPointer { firstBuffer in
                try secondMoments.withUnsafeMutableBufferPointer { secondBuffer in
                    try examples.globalFeatureValues.withUnsafeBufferPointer { featureBuffer in
                        try examples.labels.withUnsafeBufferPointer { labels in
                            try order.withUnsafeMutableBufferPointer { order in
                                let parameters = parameterBuffer.baseAddress.unsafelyUnwrapped
                                let firstMoments = firstBuffer.baseAddress.unsafelyUnwrapped
                                let secondMoments = secondBuffer.baseAddress.unsafelyUnwrapped
                                let features = featureBuffer.baseAddress.unsafelyUnwrapped
                                for step in 0..<totalSteps {
                                    if step % 32 == 0 { try Task.checkCancellation() }
                                    if position >= exampleCount {
                                        generator.shuffle(order)
                                        position = 0
                                    }
                                    let count = min(batchSize, exampleCount - position)

                                    // Forward, softmax and the loss's gradient with respect to the logits.
                                    var batchLoss: Double = 0
                                    var batchCorrect = 0
                                    let inverseCount = 1 / Float(count)
                                    for sample in 0..<count {
                                        let example = Int(order[position + sample])
                                        let values = UnsafeBufferPointer(
                                            start: features + example * featureCount,
                                            count: featureCount
                                        )
                                        layout.computeInputStage(
                                            globalFeatureValues: values,
                                            parameters: parameters,
                                            into: activations + activationOffsets[0] + sample * widths[0]
                                        )
                                        for (index, layer) in layout.denseLayers.enumerated() {
                                            layout.computeDense(
                                                layer,
                                                input: activations + activationOffsets[index] + sample * widths[index],
                                                parameters: parameters,
                                                rectify: index < layout.denseLayers.count - 1,
                                                into: activations + activationOffsets[index + 1]
                                                    + sample * widths[index + 1]
                                            )
                                        }
                                        let last = widths.count - 1
                                        let logits = activations + activationOffsets[last] + sample * classCount
                                        let delta = deltas + activationOffsets[last] + sample * classCount
                                        let label = Int(labels[example])
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
                                        let scale = inverseCount / sum
                                        for index in 0..<classCount {
                                            delta[index] *= scale
                                        }
                                        delta[label] -= inverseCount
                                        batchLoss += Double(log(sum) - (logits[label] - largest))
                                        if best == label { batchCorrect += 1 }
                                    }

                                    // Backward through the dense layers, last first.
                                    for index in layout.denseLayers.indices.reversed() {
                                        let layer = layout.denseLayers[index]
                                        let inputs = activations + activationOffsets[index]
                                        let outputDeltas = deltas + activationOffsets[index + 1]
                                        let inputDeltas = deltas + activationOffsets[index]
                                        let weights = parameters + layer.weightOffset
                                        let weightGradients = gradients + layer.weightOffset
                                        let biasGradients = gradients + layer.biasOffset
                                        let inputIsRectified = index > 0 || layout.inputIsRectified
                                        for sample in 0..<count {
                                            let input = inputs + sample * layer.inputSize
                                            let outputDelta = outputDeltas + sample * layer.outputSize
                                            let inputDelta = inputDeltas + sample * layer.inputSize
                                            add(outputDelta, biasGradients, layer.outputSize)
                                            for row in 0..<layer.inputSize {
                                                let value = input[row]
                                                if value != 0 {
                                                    axpy(
                                                        value,
                                                        outputDelta,
                                                        weightGradients + row * layer.outputSize,
                                                        layer.outputSize
                                                    )
                                                }
                                                if inputIsRectified && value <= 0 {
                                                    inputDelta[row] = 0
                                                } else {
                                                    inputDelta[row] = dot(
                                                        weights + row * layer.outputSize,
                                                        outputDelta,
                                                        layer.outputSize
                                                    )
                                                }
                                            }
                                        }
                                    }

                                    // Into the input table (and the first hidden layer's bias, one-hot).
                                    let tableWidth = layout.tableWidth
                                    for sample in 0..<count {
                                        let example = Int(order[position + sample])
                                        let inputDelta = deltas + activationOffsets[0] + sample * widths[0]
                                        if let inputBiasOffset = layout.inputBiasOffset {
                                            add(inputDelta, gradients + inputBiasOffset, tableWidth)
                                        }
                                        for feature in 0..<featureCount {
                                            let row = Int(features[example * featureCount + feature])
                                            let source = layout.inputIsRectified
                                                ? inputDelta : inputDelta + feature * tableWidth
                                            add(source, gradients + row * tableWidth, tableWidth)
                                            if rowStamps[row] != step {
                                                rowStamps[row] = step
                                                touchedRows.append(row)
                                            }
                                        }
                                    }

                                    // Adam: the dense region every step, the input table only in touched rows.
                                    optimizerSteps += 1
                                    let firstCorrection = 1 - pow(beta1, Float(optimizerSteps))
                                    let secondCorrection = 1 - pow(beta2, Float(optimizerSteps))
                                    let update = AdamUpdate(
                                        parameters: parameters,
                                        gradients: gradients,
                                        firstMoments: firstMoments,
                                        secondMoments: secondMoments,
                                        learningRate: configuration.learningRate,
                                        beta1: beta1,
                                        beta2: beta2,
                                        epsilon: configuration.epsilon,
                                        weightDecay: configuration.weightDecay,
                                        firstCorrection: firstCorrection,
                                        secondCorrection: secondCorrection
                                    )
                                    update.apply(from: layout.denseRegionStart, to: layout.parameterCount)
                                    for row in touchedRows {
                                        update.apply(from: row * tableWidth, to: (row + 1) * tableWidth)
                                    }
                                    touchedRows.removeAll(keepingCapacity: true)

                                    position += count
                                    if step >= lastPassStart {
                                        lastPassLoss += batchLoss
                                        lastPassCorrect += batchCorrect
                                        lastPassExamples += count
                                    }
                                    if !batchLoss.isFinite {
                                        throw LearnerError(
                                            code: .trainingDiverged,
                                            message: "the loss became \(batchLoss) at step \(step + 1) of "
                                                + "\(totalSteps) (training round \(trainingRounds + 1)); "
                                                + "lower the learning rate"
                                        )
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
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

    @inline(__always)
    func apply(from start: Int, to end: Int) {
        let stepSize = learningRate / firstCorrection
        let inverseSecondCorrection = 1 / secondCorrection
        let decay = learningRate * weightDecay
        for index in start..<end {
            let gradient = gradients[index]
            let first = beta1 * firstMoments[index] + (1 - beta1) * gradient
            let second = beta2 * secondMoments[index] + (1 - beta2) * gradient * gradient
            firstMoments[index] = first
            secondMoments[index] = second
            let parameter = parameters[index]
            parameters[index] = parameter - stepSize * first / ((second * inverseSecondCorrection).squareRoot() + epsilon)
                - decay * parameter
            gradients[index] = 0
        }
    }
}
