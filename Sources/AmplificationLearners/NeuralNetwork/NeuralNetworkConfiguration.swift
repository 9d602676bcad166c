/// The architecture and training settings of a ``NeuralNetworkDistiller``.
///
/// The defaults suit the algorithmic tasks of `AmplificationTasks` at sizes up to 64: one-hot input, one hidden
/// layer of 256 rectified units, 20 epochs of Adam (step size 0.005) with minibatches of 32. Every random choice
/// (initial weights, the order of examples) comes from ``seed``, so the same seed and data give a bit-identical
/// student.
public struct NeuralNetworkConfiguration: Hashable, Sendable {
    /// How a question's categorical features enter the network.
    public struct Input: Hashable, Sendable, CustomStringConvertible {
        enum Value: Hashable, Sendable {
            case oneHot
            case embedding(dimension: Int)
        }

        let value: Value

        /// Each feature value one-hot, all features concatenated, into the first hidden layer.
        ///
        /// Implemented as a lookup: the first hidden layer's pre-activation is its bias plus, for each feature,
        /// the weight row of that feature's value. Cheap, and exact for memorising; it needs at least one
        /// hidden layer.
        public static let oneHot = Input(value: .oneHot)

        /// Each feature value looked up in a learned table of vectors of a dimension (one table per feature),
        /// the vectors concatenated and fed to the hidden layers.
        ///
        /// - Parameter dimension: The length of each feature's vectors.
        public static func embedding(dimension: Int) -> Input {
            Input(value: .embedding(dimension: dimension))
        }

        /// The representation's name.
        public var description: String {
            switch value {
            case .oneHot: "one-hot"
            case .embedding(let dimension): "embedding(\(dimension))"
            }
        }
    }

    /// How long one distillation trains.
    public struct TrainingLength: Hashable, Sendable, CustomStringConvertible {
        enum Value: Hashable, Sendable {
            case epochs(Int)
            case steps(Int)
        }

        let value: Value

        /// A number of passes over the training examples, each in a fresh shuffled order; the last minibatch of a
        /// pass may be smaller.
        ///
        /// - Parameter count: The number of passes, at least 1.
        public static func epochs(_ count: Int) -> TrainingLength {
            TrainingLength(value: .epochs(count))
        }

        /// A number of optimiser steps regardless of how many examples there are; the examples are reshuffled
        /// whenever a pass over them ends.
        ///
        /// - Parameter count: The number of steps, at least 1.
        public static func steps(_ count: Int) -> TrainingLength {
            TrainingLength(value: .steps(count))
        }

        /// The length, in words.
        public var description: String {
            switch value {
            case .epochs(let count): "\(count) epochs"
            case .steps(let count): "\(count) steps"
            }
        }
    }

    /// How features enter the network; ``Input/oneHot`` by default.
    public var input: Input
    /// The sizes of the hidden layers (rectified linear units), first to last; `[256]` by default.
    public var hiddenLayerSizes: [Int]
    /// How long each distillation trains; 20 epochs by default.
    public var trainingLength: TrainingLength
    /// Examples per minibatch; 32 by default.
    public var batchSize: Int
    /// Adam's step size; 0.005 by default.
    public var learningRate: Float
    /// Adam's decay rate of the gradient's running mean; 0.9 by default.
    public var firstMomentDecay: Float
    /// Adam's decay rate of the squared gradient's running mean; 0.999 by default.
    public var secondMomentDecay: Float
    /// Adam's term added to the denominator for stability; 1e-8 by default.
    public var epsilon: Float
    /// Decoupled weight decay (AdamW) per step, relative to the learning rate; 0 (off) by default.
    ///
    /// Like Adam's update, it applies to the parameters a step updates: every dense layer, and the input table rows
    /// of the feature values in the minibatch.
    public var weightDecay: Float
    /// The seed of every random choice: initial weights and the order of examples.
    public var seed: UInt64
    /// The least probability the student must give its best class to answer it; below, it answers the
    /// encoding's `TaskEncoding.unknownAnswer`. 0 (always answer) by default.
    public var minimumConfidence: Float

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - input: How features enter the network.
    ///   - hiddenLayerSizes: The sizes of the hidden layers.
    ///   - trainingLength: How long each distillation trains.
    ///   - batchSize: Examples per minibatch.
    ///   - learningRate: Adam's step size.
    ///   - seed: The seed of every random choice.
    public init(
        input: Input = .oneHot,
        hiddenLayerSizes: [Int] = [256],
        trainingLength: TrainingLength = .epochs(20),
        batchSize: Int = 32,
        learningRate: Float = 0.005,
        seed: UInt64 = 0
    ) {
        self.input = input
        self.hiddenLayerSizes = hiddenLayerSizes
        self.trainingLength = trainingLength
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.firstMomentDecay = 0.9
        self.secondMomentDecay = 0.999
        self.epsilon = 1e-8
        self.weightDecay = 0
        self.seed = seed
        self.minimumConfidence = 0
    }

    /// Checks that the configuration can work, naming the first setting that cannot.
    func validate() throws {
        func invalid(_ message: String) -> LearnerError {
            LearnerError(code: .invalidConfiguration, message: message)
        }
        if case .oneHot = input.value, hiddenLayerSizes.isEmpty {
            throw invalid("one-hot input needs at least one hidden layer")
        }
        if case .embedding(let dimension) = input.value, dimension < 1 {
            throw invalid("the embedding dimension is \(dimension); it must be at least 1")
        }
        if let size = hiddenLayerSizes.first(where: { $0 < 1 }) {
            throw invalid("hidden layer sizes \(hiddenLayerSizes) include \(size); each must be at least 1")
        }
        switch trainingLength.value {
        case .epochs(let count) where count < 1: throw invalid("training for \(count) epochs; at least 1 is needed")
        case .steps(let count) where count < 1: throw invalid("training for \(count) steps; at least 1 is needed")
        default: break
        }
        guard batchSize >= 1 else { throw invalid("the batch size is \(batchSize); it must be at least 1") }
        guard learningRate.isFinite, learningRate > 0 else {
            throw invalid("the learning rate is \(learningRate); it must be positive and finite")
        }
        guard (0..<1).contains(firstMomentDecay), (0..<1).contains(secondMomentDecay) else {
            throw invalid("moment decays \(firstMomentDecay), \(secondMomentDecay) must lie in 0..<1")
        }
        guard epsilon.isFinite, epsilon > 0 else { throw invalid("epsilon is \(epsilon); it must be positive") }
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw invalid("the weight decay is \(weightDecay); it must be at least 0")
        }
        guard minimumConfidence.isFinite, (0...1).contains(minimumConfidence) else {
            throw invalid("the minimum confidence is \(minimumConfidence); it must lie in 0...1")
        }
    }
}
