import IteratedAmplification
import Testing

@testable import AmplificationLearners

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The hand-written backward pass against finite differences of the loss, parameter by parameter.
struct NeuralNetworkGradientTests {
    static let inputs: [NeuralNetworkConfiguration.Input] = [.oneHot, .embedding(dimension: 3)]

    @Test(arguments: inputs)
    func backpropagatedGradientsMatchFiniteDifferences(input: NeuralNetworkConfiguration.Input) throws {
        let encoding = TupleEncoding(featureCardinalities: [3, 4], answerClassCount: 3)
        let shape = try EncodingShape(encoding)
        let configuration = NeuralNetworkConfiguration(input: input, hiddenLayerSizes: [6, 5], seed: 8)
        var model = NeuralNetworkModel(layout: NeuralNetworkLayout(shape: shape, configuration: configuration), seed: 8)
        let questions = [TupleQuestion(0, 1), TupleQuestion(2, 3), TupleQuestion(1, 0), TupleQuestion(2, 1)]
        let labels = [2, 0, 1, 1]
        let rows = questions.map { question in
            question.values.indices.map { Int32(shape.featureOffsets[$0] + question.values[$0]) }
        }

        // The analytic gradient of the mean cross-entropy over the four examples.
        let state = TrainingState(model: model, batchSize: questions.count)
        defer { state.deallocate() }
        for (sample, values) in rows.enumerated() {
            values.withUnsafeBufferPointer { values in
                _ = state.forward(
                    sample: sample,
                    globalFeatureValues: values,
                    label: labels[sample],
                    lossScale: 1 / Float(questions.count)
                )
            }
        }
        state.backwardThroughDenseLayers(count: questions.count)
        for (sample, values) in rows.enumerated() {
            values.withUnsafeBufferPointer {
                _ = Array(state.accumulateInputGradients(sample: sample, globalFeatureValues: $0))
            }
        }
        let analytic = Array(UnsafeBufferPointer(start: state.gradients, count: model.layout.parameterCount))

        // The same gradient by central differences, in double precision around float parameters.
        func loss(_ model: NeuralNetworkModel) -> Double {
            var total = 0.0
            for (sample, values) in rows.enumerated() {
                let probabilities = values.withUnsafeBufferPointer { model.probabilities(globalFeatureValues: $0) }
                total -= log(Double(probabilities[labels[sample]]))
            }
            return total / Double(questions.count)
        }
        let step: Float = 1e-2
        var mismatches: [String] = []
        for index in 0..<model.layout.parameterCount {
            let original = model.parameters[index]
            model.parameters[index] = original + step
            let above = loss(model)
            model.parameters[index] = original - step
            let below = loss(model)
            model.parameters[index] = original
            let numeric = (above - below) / Double(2 * step)
            if abs(numeric - Double(analytic[index])) > 2e-3 + 0.02 * abs(numeric) {
                mismatches.append("parameter \(index): analytic \(analytic[index]), numeric \(numeric)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(analytic.contains { abs($0) > 1e-3 }, "the gradient should not vanish")
    }
}
