public import IteratedAmplification

/// A distiller that trains an ``AttentionModel`` to imitate demonstrations, reading each question's facts.
///
/// Each demonstration becomes a ``FactExample`` through the encoding; demonstrations whose answer has no target
/// are left out. A distillation takes ``trainingSteps`` optimiser steps on a Dispatch thread (not on the cooperative
/// pool, which it would hold for the whole training), checking for cancellation before each.
/// With a previous student, training continues from its weights, teacher and optimiser state, under this
/// distiller's training settings (the previous student is not changed).
///
/// ```swift
/// let distiller = AttentionDistiller(encoding: LookupEncoding(), trainingSteps: 2_000)
/// var student = try distiller.untrainedStudent()
/// student = try await distiller.distill(demonstrations, continuing: student)
/// ```
public struct AttentionDistiller<Encoding: FactEncoding>: Distiller {
    /// The question type of the task.
    public typealias Question = Encoding.Question
    /// The answer type of the task.
    public typealias Answer = Encoding.Answer
    /// The student: an attention model behind the encoding.
    public typealias Student = AttentionAssistant<Encoding>

    /// The encoding that presents questions with their facts.
    public let encoding: Encoding
    /// The model's architecture and training settings.
    public let configuration: AttentionConfiguration
    /// The optimiser steps per distillation.
    public let trainingSteps: Int

    /// Creates a distiller.
    ///
    /// - Parameters:
    ///   - encoding: The task's encoding.
    ///   - configuration: The architecture and training settings.
    ///   - trainingSteps: The optimiser steps per distillation; 1,000 by default.
    public init(encoding: Encoding, configuration: AttentionConfiguration = .init(), trainingSteps: Int = 1_000) {
        self.encoding = encoding
        self.configuration = configuration
        self.trainingSteps = trainingSteps
    }

    /// Returns a student with fresh weights, which has learned nothing yet.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidConfiguration`` or
    ///   ``LearnerError/Code/invalidEncoding``.
    public func untrainedStudent() throws -> AttentionAssistant<Encoding> {
        AttentionAssistant(
            encoding: encoding,
            model: try AttentionModel(
                configuration: configuration, shape: try FactShape(encoding)
            ))
    }

    /// Returns a student trained on demonstrations, continuing the previous student when there is one.
    ///
    /// - Throws: ``LearnerError``: ``LearnerError/Code/noTrainingData`` when no demonstration has a target,
    ///   ``LearnerError/Code/invalidContext`` or ``LearnerError/Code/invalidTarget`` naming the demonstration,
    ///   ``LearnerError/Code/incompatibleStudent`` when the previous student has another shape or architecture,
    ///   and ``LearnerError/Code/trainingDiverged``; `CancellationError` when the task is cancelled; and whatever
    ///   the encoding throws for a question.
    public func distill(
        _ demonstrations: [Demonstration<Question, Answer>],
        continuing previous: AttentionAssistant<Encoding>?
    ) async throws -> AttentionAssistant<Encoding> {
        let shape = try FactShape(encoding)
        var model: AttentionModel
        if let previous {
            guard previous.model.shape == shape else {
                throw LearnerError(
                    code: .incompatibleStudent,
                    message: "the previous student reads \(previous.model.shape); this distiller's encoding declares "
                        + "\(shape)"
                )
            }
            model = try previous.model.withTrainingSettings(of: configuration)
        } else {
            model = try AttentionModel(configuration: configuration, shape: shape)
        }
        var examples: [FactExample] = []
        examples.reserveCapacity(demonstrations.count)
        for (index, demonstration) in demonstrations.enumerated() {
            let context = try encoding.context(of: demonstration.question)
            guard let target = encoding.target(of: demonstration.answer, to: demonstration.question, in: context) else {
                continue
            }
            let example = FactExample(context: context, target: target)
            try example.validate(against: shape, exampleIndex: index)
            examples.append(example)
        }
        guard !examples.isEmpty else {
            throw LearnerError(
                code: .noTrainingData,
                message: "none of the \(demonstrations.count) demonstrations has an answer the encoding can target"
            )
        }
        // Minutes of arithmetic: off the cooperative pool, so other tasks' timers keep running meanwhile.
        let steps = trainingSteps
        let start = model
        let trainingExamples = examples
        let trained = try await runOffCooperativePool { checkCancellation in
            var model = start
            _ = try model.train(
                on: trainingExamples, steps: steps, progress: nil, checkCancellation: checkCancellation
            )
            return model
        }
        return AttentionAssistant(encoding: encoding, model: trained)
    }
}
