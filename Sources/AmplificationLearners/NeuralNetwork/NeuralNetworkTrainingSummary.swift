/// What one distillation of a ``NeuralNetworkDistiller`` did: how much it trained on and how well it fit.
public struct NeuralNetworkTrainingSummary: Hashable, Sendable, CustomStringConvertible {
    /// The examples trained on: demonstrations whose answer has a class.
    public var exampleCount: Int
    /// The demonstrations left out because their answer has no class (for example, unknown answers).
    public var skippedDemonstrationCount: Int
    /// The optimiser steps taken in this distillation.
    public var steps: Int
    /// The mean cross-entropy over the last pass through the examples (the last `ceil(examples / batch)`
    /// steps), each example measured before the step that trained on it.
    public var finalPassLoss: Float
    /// The fraction of examples the network answered correctly over the same last pass, measured the same way.
    public var finalPassAccuracy: Double

    /// Creates a summary.
    ///
    /// - Parameters:
    ///   - exampleCount: The examples trained on.
    ///   - skippedDemonstrationCount: The demonstrations left out.
    ///   - steps: The optimiser steps taken.
    ///   - finalPassLoss: The mean cross-entropy over the last pass.
    ///   - finalPassAccuracy: The training accuracy over the last pass.
    public init(
        exampleCount: Int,
        skippedDemonstrationCount: Int,
        steps: Int,
        finalPassLoss: Float,
        finalPassAccuracy: Double
    ) {
        self.exampleCount = exampleCount
        self.skippedDemonstrationCount = skippedDemonstrationCount
        self.steps = steps
        self.finalPassLoss = finalPassLoss
        self.finalPassAccuracy = finalPassAccuracy
    }

    /// The summary in one line.
    public var description: String {
        "\(exampleCount) examples (\(skippedDemonstrationCount) skipped), \(steps) steps, "
            + "last pass: loss \(finalPassLoss), accuracy \(finalPassAccuracy)"
    }
}
