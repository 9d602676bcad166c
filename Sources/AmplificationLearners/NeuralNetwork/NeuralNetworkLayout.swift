import IteratedAmplification

/// Where every parameter of a network lives in one flat buffer, and the widths of its activations.
///
/// The buffer holds, in order: the input table (one row per feature value, all features' values numbered
/// together, see ``EncodingShape/featureOffsets``), the bias of the first hidden layer when the input is one-hot,
/// then each dense layer's weights (`inputSize` rows of `outputSize`) and bias. The last dense layer produces
/// the logits of the answer classes.
struct NeuralNetworkLayout: Hashable, Sendable {
    /// A fully connected layer: `output = input · weights + bias`, rectified unless it is the last.
    struct DenseLayer: Hashable, Sendable {
        let inputSize: Int
        let outputSize: Int
        let weightOffset: Int
        let biasOffset: Int
    }

    let shape: EncodingShape
    let input: NeuralNetworkConfiguration.Input
    let hiddenLayerSizes: [Int]
    /// The width of each input table row: the first hidden layer (one-hot) or the embedding dimension.
    let tableWidth: Int
    let tableRows: Int
    /// Where the first hidden layer's bias lives (one-hot input only).
    let inputBiasOffset: Int?
    let denseLayers: [DenseLayer]
    let parameterCount: Int
    /// The widths of the activations: the input stage's output, then each dense layer's output.
    let activationWidths: [Int]

    init(shape: EncodingShape, configuration: NeuralNetworkConfiguration) {
        self.shape = shape
        self.input = configuration.input
        self.hiddenLayerSizes = configuration.hiddenLayerSizes
        var offset = 0
        var widths: [Int] = []
        var denseSizes: [Int]
        switch configuration.input.value {
        case .oneHot:
            tableWidth = configuration.hiddenLayerSizes[0]
            tableRows = shape.totalFeatureValues
            offset = tableRows * tableWidth
            inputBiasOffset = offset
            offset += tableWidth
            widths.append(tableWidth)
            denseSizes = Array(configuration.hiddenLayerSizes.dropFirst())
        case .embedding(let dimension):
            tableWidth = dimension
            tableRows = shape.totalFeatureValues
            offset = tableRows * tableWidth
            inputBiasOffset = nil
            widths.append(dimension * shape.featureCount)
            denseSizes = configuration.hiddenLayerSizes
        }
        denseSizes.append(shape.answerClassCount)
        var layers: [DenseLayer] = []
        for outputSize in denseSizes {
            let inputSize = widths[widths.count - 1]
            let weightOffset = offset
            offset += inputSize * outputSize
            layers.append(
                DenseLayer(inputSize: inputSize, outputSize: outputSize, weightOffset: weightOffset, biasOffset: offset)
            )
            offset += outputSize
            widths.append(outputSize)
        }
        denseLayers = layers
        parameterCount = offset
        activationWidths = widths
    }

    /// Whether the input stage's output is rectified (one-hot: it is the first hidden layer).
    var inputIsRectified: Bool {
        if case .oneHot = input.value { return true }
        return false
    }

    /// The first parameter after the input table: everything from here on is updated densely.
    var denseRegionStart: Int { tableRows * tableWidth }

    var widestActivation: Int { activationWidths.max() ?? 0 }

    /// Returns freshly initialised parameters drawn from a generator.
    ///
    /// Rectified layers get He-uniform weights (variance 2 / fan-in); the one-hot table counts the number of
    /// features as its fan-in, since that many rows are summed; embedding rows have unit variance; the output
    /// layer gets Glorot-uniform weights. Biases start at 0.
    func initialParameters(generator: inout SeededRandomNumberGenerator) -> [Float] {
        var parameters = [Float](repeating: 0, count: parameterCount)
        let tableBound: Float
        switch input.value {
        case .oneHot: tableBound = (6 / Float(shape.featureCount)).squareRoot()
        case .embedding: tableBound = Float(3).squareRoot()
        }
        for index in 0..<(tableRows * tableWidth) {
            parameters[index] = generator.nextFloat(symmetricBound: tableBound)
        }
        for (position, layer) in denseLayers.enumerated() {
            let isOutput = position == denseLayers.count - 1
            let bound =
                isOutput
                ? (6 / Float(layer.inputSize + layer.outputSize)).squareRoot()
                : (6 / Float(layer.inputSize)).squareRoot()
            for index in layer.weightOffset..<(layer.weightOffset + layer.inputSize * layer.outputSize) {
                parameters[index] = generator.nextFloat(symmetricBound: bound)
            }
        }
        return parameters
    }

    /// Computes the logits of one example into `logits`, using `scratch` (two buffers of the widest
    /// activation) for the hidden activations.
    ///
    /// - Parameter globalFeatureValues: The example's feature values, numbered across all features.
    func logits(
        globalFeatureValues: UnsafeBufferPointer<Int32>,
        parameters: UnsafePointer<Float>,
        scratch: UnsafeMutablePointer<Float>,
        into logits: UnsafeMutablePointer<Float>
    ) {
        let widest = widestActivation
        var current = scratch
        var next = scratch + widest
        computeInputStage(globalFeatureValues: globalFeatureValues, parameters: parameters, into: current)
        for (position, layer) in denseLayers.enumerated() {
            let isOutput = position == denseLayers.count - 1
            let output = isOutput ? logits : next
            computeDense(layer, input: current, parameters: parameters, rectify: !isOutput, into: output)
            swap(&current, &next)
        }
    }

    /// Computes the input stage's output for one example.
    @inline(__always)
    func computeInputStage(
        globalFeatureValues: UnsafeBufferPointer<Int32>,
        parameters: UnsafePointer<Float>,
        into output: UnsafeMutablePointer<Float>
    ) {
        if let inputBiasOffset {
            output.update(from: parameters + inputBiasOffset, count: tableWidth)
            for value in globalFeatureValues {
                add(parameters + Int(value) * tableWidth, output, tableWidth)
            }
            rectify(output, tableWidth)
        } else {
            for (position, value) in globalFeatureValues.enumerated() {
                (output + position * tableWidth).update(from: parameters + Int(value) * tableWidth, count: tableWidth)
            }
        }
    }

    /// Computes one dense layer's output for one example; zero inputs (common after rectification) are skipped.
    @inline(__always)
    func computeDense(
        _ layer: DenseLayer,
        input: UnsafePointer<Float>,
        parameters: UnsafePointer<Float>,
        rectify shouldRectify: Bool,
        into output: UnsafeMutablePointer<Float>
    ) {
        output.update(from: parameters + layer.biasOffset, count: layer.outputSize)
        let weights = parameters + layer.weightOffset
        for row in 0..<layer.inputSize {
            let value = input[row]
            if value != 0 {
                axpy(value, weights + row * layer.outputSize, output, layer.outputSize)
            }
        }
        if shouldRectify {
            rectify(output, layer.outputSize)
        }
    }
}
