extension AttentionPass {
    /// Adds the gradient of the batch's mean loss to `gradient` (in the weights' layout). Call after
    /// ``forward(_:)`` on a batch with targets.
    func backward(_ weights: UnsafePointer<Float>, into gradient: UnsafeMutablePointer<Float>) {
        guard let targets = batch.targets else { return }
        let width = layout.width
        let shape = layout.shape
        let words = shape.wordOutputs
        let slots = shape.factWidth
        let factRows = batch.factRows

        // The loss's gradient with respect to each score: p - p · [in the target set] / p(target set), averaged.
        let scoreGradient = buffer(outputStarts[batch.count])
        let batchScale = 1 / Float(batch.count)
        for example in 0..<batch.count {
            let start = outputStarts[example]
            let count = outputStarts[example + 1] - start
            for index in 0..<count { scoreGradient[start + index] = probabilities[start + index] * batchScale }
            let targetTotal = max(targetProbability(example, targets[example]), .leastNormalMagnitude)
            forEachOutput(giving: targets[example], example: example) { index in
                scoreGradient[start + index] -= probabilities[start + index] / targetTotal * batchScale
            }
        }

        // The word scores.
        let wordGradient = buffer(batch.count * words)
        for example in 0..<batch.count {
            (wordGradient + example * words).update(from: scoreGradient + outputStarts[example], count: words)
        }
        linearWeightGradient(
            output, rows: batch.count, inputWidth: width, wordGradient, outputWidth: words,
            into: gradient + layout.wordOutput
        )
        addColumnSums(of: wordGradient, rows: batch.count, width: words, to: gradient + layout.wordOutputBias)
        let outputGradient = buffer(batch.count * width)
        linearInputGradient(
            wordGradient, rows: batch.count, outputWidth: words, weights + layout.wordOutput, inputWidth: width,
            into: outputGradient, accumulate: false
        )

        // The pointer scores: query · key / √width for every position of the example's facts.
        let pointerScale = 1 / Float(width).squareRoot()
        let pointerKeyGradient = buffer(factRows * slots * width)
        for example in 0..<batch.count {
            let query = output + example * width
            let queryGradient = outputGradient + example * width
            var index = outputStarts[example] + words
            for fact in batch.factRange(ofExample: example) {
                for slot in 0..<slots {
                    let scaled = scoreGradient[index] * pointerScale
                    let key = (fact * slots + slot) * width
                    axpy(scaled, pointerKeys + key, queryGradient, width)
                    axpy(scaled, query, pointerKeyGradient + key, width)
                    index += 1
                }
            }
        }
        linearWeightGradient(
            memory, rows: factRows, inputWidth: width, pointerKeyGradient, outputWidth: slots * width,
            into: gradient + layout.pointer
        )
        let memoryGradient = buffer(factRows * width)
        linearInputGradient(
            pointerKeyGradient, rows: factRows, outputWidth: slots * width, weights + layout.pointer,
            inputWidth: width, into: memoryGradient, accumulate: false
        )

        // The decoder, last layer first.
        let decoderGradient = buffer(batch.count * width)
        layerNormBackward(
            outputGradient, rows: batch.count, width: width, normalized: outputNormalized,
            reciprocalDeviation: outputReciprocal, gain: weights + layout.decoderNormGain,
            gainGradient: gradient + layout.decoderNormGain, biasGradient: gradient + layout.decoderNormBias,
            inputGradient: decoderGradient
        )
        for (layer, activations) in zip(layout.decoder, decoderLayers).reversed() {
            layerBackward(
                layer, activations, weights, gradient, stateGradient: decoderGradient, groups: questionGroups,
                memory: memory, memoryGradient: memoryGradient
            )
        }
        let questionWidth = shape.questionWidth * width
        linearWeightGradient(
            questionInputs, rows: batch.count, inputWidth: questionWidth, decoderGradient, outputWidth: width,
            into: gradient + layout.questionInput
        )
        addColumnSums(of: decoderGradient, rows: batch.count, width: width, to: gradient + layout.questionInputBias)
        let questionInputGradient = buffer(batch.count * questionWidth)
        linearInputGradient(
            decoderGradient, rows: batch.count, outputWidth: width, weights + layout.questionInput,
            inputWidth: questionWidth, into: questionInputGradient, accumulate: false
        )
        scatter(questionInputGradient, batch.questionTokens, into: gradient + layout.embedding)

        // The encoder, last layer first.
        let encoderGradient = buffer(factRows * width)
        layerNormBackward(
            memoryGradient, rows: factRows, width: width, normalized: memoryNormalized,
            reciprocalDeviation: memoryReciprocal, gain: weights + layout.encoderNormGain,
            gainGradient: gradient + layout.encoderNormGain, biasGradient: gradient + layout.encoderNormBias,
            inputGradient: encoderGradient
        )
        for (layer, activations) in zip(layout.encoder, encoderLayers).reversed() {
            layerBackward(
                layer, activations, weights, gradient, stateGradient: encoderGradient, groups: factGroups,
                memory: nil, memoryGradient: nil
            )
        }
        let factWidth = slots * width
        linearWeightGradient(
            factInputs, rows: factRows, inputWidth: factWidth, encoderGradient, outputWidth: width,
            into: gradient + layout.factInput
        )
        addColumnSums(of: encoderGradient, rows: factRows, width: width, to: gradient + layout.factInputBias)
        let factInputGradient = buffer(factRows * factWidth)
        linearInputGradient(
            encoderGradient, rows: factRows, outputWidth: width, weights + layout.factInput, inputWidth: factWidth,
            into: factInputGradient, accumulate: false
        )
        scatter(factInputGradient, batch.factTokens, into: gradient + layout.embedding)
    }

    /// Adds each slot's gradient to its token's embedding row, in order.
    private func scatter(
        _ rowsGradient: UnsafePointer<Float>,
        _ tokens: [Int],
        into embeddingGradient: UnsafeMutablePointer<Float>
    ) {
        let width = layout.width
        for (position, token) in tokens.enumerated() {
            add(rowsGradient + position * width, embeddingGradient + token * width, width)
        }
    }

    /// The backward pass of one layer. On entry `stateGradient` is the gradient of the layer's output; on exit,
    /// of its input. A decoder layer adds the gradient of the memory it read to `memoryGradient`.
    private func layerBackward(
        _ layer: AttentionLayerLayout,
        _ activations: LayerActivations,
        _ weights: UnsafePointer<Float>,
        _ gradient: UnsafeMutablePointer<Float>,
        stateGradient: UnsafeMutablePointer<Float>,
        groups: AttentionGroups,
        memory: UnsafePointer<Float>?,
        memoryGradient: UnsafeMutablePointer<Float>?
    ) {
        let width = layout.width
        let hidden = layout.feedForwardWidth
        let rows = groups.queryStarts[groups.groupCount]
        let keyRows = groups.keyStarts[groups.groupCount]
        let attention = layer.attention
        let feedForward = layer.feedForward

        // Feed-forward: state += relu(norm(state) · up + upBias) · down + downBias.
        linearWeightGradient(
            activations.activation, rows: rows, inputWidth: hidden, stateGradient, outputWidth: width,
            into: gradient + feedForward.down
        )
        addColumnSums(of: stateGradient, rows: rows, width: width, to: gradient + feedForward.downBias)
        let hiddenGradient = buffer(rows * hidden)
        linearInputGradient(
            stateGradient, rows: rows, outputWidth: width, weights + feedForward.down, inputWidth: hidden,
            into: hiddenGradient, accumulate: false
        )
        rectifyBackward(activations.preActivation, hiddenGradient, rows * hidden)
        linearWeightGradient(
            activations.feedForwardInput, rows: rows, inputWidth: width, hiddenGradient, outputWidth: hidden,
            into: gradient + feedForward.up
        )
        addColumnSums(of: hiddenGradient, rows: rows, width: hidden, to: gradient + feedForward.upBias)
        let feedForwardInputGradient = buffer(rows * width)
        linearInputGradient(
            hiddenGradient, rows: rows, outputWidth: hidden, weights + feedForward.up, inputWidth: width,
            into: feedForwardInputGradient, accumulate: false
        )
        layerNormBackward(
            feedForwardInputGradient, rows: rows, width: width, normalized: activations.feedForwardNormalized,
            reciprocalDeviation: activations.feedForwardReciprocal, gain: weights + feedForward.normGain,
            gainGradient: gradient + feedForward.normGain, biasGradient: gradient + feedForward.normBias,
            inputGradient: stateGradient
        )

        // Attention: state += attend(norm(state) · query, source · keyValue) · output.
        linearWeightGradient(
            activations.attended, rows: rows, inputWidth: width, stateGradient, outputWidth: width,
            into: gradient + attention.output
        )
        let attendedGradient = buffer(rows * width)
        linearInputGradient(
            stateGradient, rows: rows, outputWidth: width, weights + attention.output, inputWidth: width,
            into: attendedGradient, accumulate: false
        )
        let queryGradient = buffer(rows * width)
        let keyValueGradient = buffer(keyRows * 2 * width)
        attentionBackward(
            groups, query: activations.query, keyValue: activations.keyValue,
            probabilities: activations.probabilities, attendedGradient: attendedGradient,
            queryGradient: queryGradient, keyValueGradient: keyValueGradient, threads: threads
        )
        linearWeightGradient(
            activations.attentionInput, rows: rows, inputWidth: width, queryGradient, outputWidth: width,
            into: gradient + attention.query
        )
        let attentionInputGradient = buffer(rows * width)
        linearInputGradient(
            queryGradient, rows: rows, outputWidth: width, weights + attention.query, inputWidth: width,
            into: attentionInputGradient, accumulate: false
        )
        let source = memory ?? UnsafePointer(activations.attentionInput)
        linearWeightGradient(
            source, rows: keyRows, inputWidth: width, keyValueGradient, outputWidth: 2 * width,
            into: gradient + attention.keyValue
        )
        linearInputGradient(
            keyValueGradient, rows: keyRows, outputWidth: 2 * width, weights + attention.keyValue, inputWidth: width,
            into: memoryGradient ?? attentionInputGradient, accumulate: true
        )
        layerNormBackward(
            attentionInputGradient, rows: rows, width: width, normalized: activations.attentionNormalized,
            reciprocalDeviation: activations.attentionReciprocal, gain: weights + attention.normGain,
            gainGradient: gradient + attention.normGain, biasGradient: gradient + attention.normBias,
            inputGradient: stateGradient
        )
    }
}
