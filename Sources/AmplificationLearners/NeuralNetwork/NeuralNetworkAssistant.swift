public import IteratedAmplification

/// An assistant backed by a small neural network: it encodes a question's features, runs one forward pass, and
/// answers the class with the highest probability.
///
/// A ``NeuralNetworkDistiller`` trains it. A student that has not been trained yet (see
/// ``NeuralNetworkDistiller/untrainedStudent()``) answers every question with the encoding's
/// `TaskEncoding.unknownAnswer`. Answering allocates nothing on the heap beyond the encoding's feature array:
/// a forward pass over a stack buffer.
public struct NeuralNetworkAssistant<Encoding: TaskEncoding>: Assistant {
    /// The question type of the task.
    public typealias Question = Encoding.Question
    /// The answer type of the task.
    public typealias Answer = Encoding.Answer

    /// The encoding that turns questions into features and classes into answers.
    public let encoding: Encoding
    /// The configuration the network was built and last trained with.
    public let configuration: NeuralNetworkConfiguration
    /// What the latest distillation did, or `nil` for an untrained student.
    public let lastTraining: NeuralNetworkTrainingSummary?
    let model: NeuralNetworkModel

    init(
        encoding: Encoding,
        configuration: NeuralNetworkConfiguration,
        model: NeuralNetworkModel,
        lastTraining: NeuralNetworkTrainingSummary?
    ) {
        self.encoding = encoding
        self.configuration = configuration
        self.model = model
        self.lastTraining = lastTraining
    }

    /// The number of distillations that trained this network (0 when untrained).
    public var trainingRounds: Int { model.trainingRounds }

    /// The number of optimiser steps taken over all distillations.
    public var optimizerSteps: Int { model.optimizerSteps }

    /// The number of trainable parameters.
    public var parameterCount: Int { model.layout.parameterCount }

    /// Returns the network's answer to a question.
    ///
    /// The answer is the most probable class's answer; an untrained student, or a class whose probability is
    /// below ``NeuralNetworkConfiguration/minimumConfidence``, gives the encoding's unknown answer instead.
    ///
    /// - Parameter question: The question to answer.
    /// - Returns: The answer.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidFeatures`` when the question's features do
    ///   not fit the encoding.
    public func answer(_ question: Question) async throws -> Answer {
        guard model.trainingRounds > 0 else { return encoding.unknownAnswer }
        let needsProbability = configuration.minimumConfidence > 0
        let prediction = try withGlobalFeatureValues(of: question) {
            model.predict(globalFeatureValues: $0, computingProbability: needsProbability)
        }
        guard prediction.probability >= configuration.minimumConfidence else { return encoding.unknownAnswer }
        return encoding.answer(ofClass: prediction.answerClass)
    }

    /// Returns the class the network ranks highest for a question (the lowest class among ties), whether or
    /// not it is trained.
    ///
    /// - Parameter question: The question.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidFeatures`` when the question's features do
    ///   not fit the encoding.
    public func predictedClass(for question: Question) throws -> Int {
        try withGlobalFeatureValues(of: question) {
            model.predict(globalFeatureValues: $0, computingProbability: false).answerClass
        }
    }

    /// Returns the network's probability for every answer class of a question, indexed by class.
    ///
    /// - Parameter question: The question.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidFeatures`` when the question's features do
    ///   not fit the encoding.
    public func classProbabilities(for question: Question) throws -> [Float] {
        try withGlobalFeatureValues(of: question) { model.probabilities(globalFeatureValues: $0) }
    }

    /// Encodes and checks a question, and hands its feature values, numbered across all features, to `body`.
    private func withGlobalFeatureValues<Result>(
        of question: Question,
        _ body: (UnsafeBufferPointer<Int32>) -> Result
    ) throws -> Result {
        let shape = model.layout.shape
        let features = encoding.features(of: question)
        try shape.validate(features, question: String(describing: question))
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: features.count) { values in
            for position in features.indices {
                values[position] = Int32(shape.featureOffsets[position] + features[position])
            }
            return body(UnsafeBufferPointer(values))
        }
    }
}
