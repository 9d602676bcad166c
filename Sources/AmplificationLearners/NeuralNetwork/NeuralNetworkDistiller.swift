public import IteratedAmplification

/// A distiller that trains a small neural network, in pure Swift, to imitate demonstrations.
///
/// The network reads a question as the categorical features of its `TaskEncoding` (one-hot or learned
/// embeddings, see ``NeuralNetworkConfiguration/Input``), passes them through rectified hidden layers, and
/// outputs a softmax over the answer classes. Training minimises the cross-entropy with minibatch Adam.
/// Demonstrations whose answer has no class are left out.
///
/// Everything is seeded and single-threaded: the same configuration (with its
/// ``NeuralNetworkConfiguration/seed``), the same demonstrations in the same order, and the same previous
/// student give a bit-identical student.
///
/// ## Continuing training
///
/// ``distill(_:continuing:)`` with a previous student fine-tunes it rather than starting again: the new
/// student starts from the previous student's weights and Adam state (moments and step count), and trains for
/// ``NeuralNetworkConfiguration/trainingLength`` on the new demonstrations only. The previous student is not
/// changed. Each round shuffles with its own stream of the seed, so rounds differ and reproduce. A continued
/// network keeps what it learned only as far as the new demonstrations do not contradict it and training on
/// them does not overwrite it: pass earlier rounds' demonstrations too when forgetting matters.
///
/// The input table (one row per feature value) is updated sparsely, as in "lazy Adam": a step updates only the
/// rows of the values in its minibatch, so the cost of a step does not grow with the number of feature values.
///
/// ```swift
/// var configuration = NeuralNetworkConfiguration(hiddenLayerSizes: [256], seed: 7)
/// configuration.trainingLength = .epochs(30)
/// let distiller = NeuralNetworkDistiller(encoding: myEncoding, configuration: configuration)
/// var student = try distiller.untrainedStudent()          // answers "unknown" to everything
/// student = try await distiller.distill(roundOne, continuing: student)
/// student = try await distiller.distill(roundTwo, continuing: student)
/// ```
public struct NeuralNetworkDistiller<Encoding: TaskEncoding>: Distiller {
    /// The question type of the task.
    public typealias Question = Encoding.Question
    /// The answer type of the task.
    public typealias Answer = Encoding.Answer
    /// The student: a network.
    public typealias Student = NeuralNetworkAssistant<Encoding>

    /// The encoding that turns questions into features and answers into classes.
    public let encoding: Encoding
    /// The network's architecture and training settings.
    public let configuration: NeuralNetworkConfiguration

    /// Creates a distiller that trains networks.
    ///
    /// - Parameters:
    ///   - encoding: The task's encoding.
    ///   - configuration: The architecture and training settings.
    public init(encoding: Encoding, configuration: NeuralNetworkConfiguration = .init()) {
        self.encoding = encoding
        self.configuration = configuration
    }

    /// Returns a freshly initialised, untrained student, which answers every question with the encoding's
    /// unknown answer.
    ///
    /// Distilling from it is the same as distilling from `nil`: both start from the seed's initial weights.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidEncoding`` or
    ///   ``LearnerError/Code/invalidConfiguration``.
    public func untrainedStudent() throws -> NeuralNetworkAssistant<Encoding> {
        try configuration.validate()
        let layout = NeuralNetworkLayout(shape: try EncodingShape(encoding), configuration: configuration)
        return NeuralNetworkAssistant(
            encoding: encoding,
            configuration: configuration,
            model: NeuralNetworkModel(layout: layout, seed: configuration.seed),
            lastTraining: nil
        )
    }

    /// Returns a network trained on demonstrations, fine-tuned from the previous student when there is one.
    ///
    /// - Parameters:
    ///   - demonstrations: The training data.
    ///   - previous: A student to continue training (its weights and optimiser state are the starting point), or
    ///     `nil` to start from the seed's initial weights.
    /// - Returns: The trained student.
    /// - Throws: ``LearnerError``: ``LearnerError/Code/noTrainingData`` when no demonstration has an answer with
    ///   a class; ``LearnerError/Code/invalidFeatures`` or ``LearnerError/Code/invalidAnswerClass`` naming the
    ///   first demonstration that does not fit the encoding; ``LearnerError/Code/invalidEncoding``;
    ///   ``LearnerError/Code/invalidConfiguration``; ``LearnerError/Code/incompatibleStudent`` when the previous
    ///   student has another encoding shape, input or hidden layers; ``LearnerError/Code/trainingDiverged``.
    ///   `CancellationError` when the task is cancelled during training.
    @concurrent
    public func distill(
        _ demonstrations: [Demonstration<Question, Answer>],
        continuing previous: NeuralNetworkAssistant<Encoding>?
    ) async throws -> NeuralNetworkAssistant<Encoding> {
        try configuration.validate()
        let shape = try EncodingShape(encoding)
        let layout = NeuralNetworkLayout(shape: shape, configuration: configuration)
        let examples = try EncodedExamples(demonstrations, encoding: encoding, shape: shape)
        var model: NeuralNetworkModel
        if let previous {
            guard previous.model.layout == layout else {
                throw LearnerError(
                    code: .incompatibleStudent,
                    message: "the previous student (\(Self.describe(previous.model.layout))) does not match this "
                        + "distiller (\(Self.describe(layout)))"
                )
            }
            model = previous.model
        } else {
            model = NeuralNetworkModel(layout: layout, seed: configuration.seed)
        }
        let summary = try await model.train(on: examples, configuration: configuration)
        return NeuralNetworkAssistant(
            encoding: encoding, configuration: configuration, model: model, lastTraining: summary)
    }

    private static func describe(_ layout: NeuralNetworkLayout) -> String {
        "features \(layout.shape.featureCardinalities), \(layout.shape.answerClassCount) classes, "
            + "\(layout.input) input, hidden \(layout.hiddenLayerSizes)"
    }
}
