public import IteratedAmplification

/// A distiller that memorises: its student answers each demonstrated question exactly as demonstrated, and
/// the encoding's `TaskEncoding.unknownAnswer` for every other question.
///
/// The exact memory is the learner with no generalisation at all: a baseline, and a check that a loop's
/// plumbing delivers the right demonstrations. Demonstrations whose answer has no class (see
/// `TaskEncoding.answerClass(of:)`) are left out. Distilling is deterministic: the same demonstrations in
/// the same order give the same student.
///
/// ```swift
/// let distiller = MemoryDistiller(encoding: SumModuloEncoding(modulus: 7))
/// let student = try await distiller.distill(demonstrations)
/// let answer = try await student.answer(question)
/// ```
public struct MemoryDistiller<Encoding: TaskEncoding>: Distiller {
    /// The question type of the task.
    public typealias Question = Encoding.Question
    /// The answer type of the task.
    public typealias Answer = Encoding.Answer
    /// The student: a lookup table.
    public typealias Student = MemoryAssistant<Encoding>

    /// The encoding that turns questions into features and answers into classes.
    public let encoding: Encoding
    /// How the memory chooses among different answers demonstrated for the same question.
    public let resolution: MemoryResolution

    /// Creates a memorising distiller.
    ///
    /// - Parameters:
    ///   - encoding: The task's encoding.
    ///   - resolution: How to choose among conflicting answers for one question; the latest by default.
    public init(encoding: Encoding, resolution: MemoryResolution = .latest) {
        self.encoding = encoding
        self.resolution = resolution
    }

    /// Returns a memory of the demonstrations, added to the previous student's memory when there is one.
    ///
    /// With a previous student, the new memory starts from everything it remembered (its answers and, for
    /// ``MemoryResolution/majority``, its vote counts) and the new demonstrations count as later than all
    /// old ones. The previous student is not changed.
    ///
    /// - Parameters:
    ///   - demonstrations: The questions and answers to remember.
    ///   - previous: A memory to extend, or `nil` to start empty.
    /// - Returns: The memory.
    /// - Throws: ``LearnerError``: ``LearnerError/Code/noTrainingData`` when no demonstration has an answer with
    ///   a class; ``LearnerError/Code/invalidFeatures`` or ``LearnerError/Code/invalidAnswerClass`` naming
    ///   the first demonstration that does not fit the encoding; ``LearnerError/Code/invalidEncoding``;
    ///   ``LearnerError/Code/incompatibleStudent`` when the previous memory uses another resolution or shape.
    public func distill(
        _ demonstrations: [Demonstration<Question, Answer>],
        continuing previous: MemoryAssistant<Encoding>?
    ) async throws -> MemoryAssistant<Encoding> {
        let shape = try EncodingShape(encoding)
        let examples = try EncodedExamples(demonstrations, encoding: encoding, shape: shape)
        var memory: MemoryAssistant<Encoding>
        if let previous {
            guard previous.shape == shape, previous.resolution == resolution else {
                throw LearnerError(
                    code: .incompatibleStudent,
                    message: "the previous memory (resolution \(previous.resolution), "
                        + "\(previous.shape.featureCardinalities) -> \(previous.shape.answerClassCount) classes) "
                        + "does not match this distiller (resolution \(resolution), "
                        + "\(shape.featureCardinalities) -> \(shape.answerClassCount) classes)"
                )
            }
            memory = MemoryAssistant(encoding: encoding, continuing: previous)
        } else {
            memory = try MemoryAssistant(encoding: encoding, resolution: resolution)
        }
        let featureCount = examples.featureCount
        examples.localFeatureValues.withUnsafeBufferPointer { values in
            for example in 0..<examples.count {
                let start = example * featureCount
                memory.remember(
                    features: Array(values[start..<start + featureCount]),
                    answerClass: Int(examples.labels[example])
                )
            }
        }
        return memory
    }
}

extension MemoryAssistant {
    /// Creates a copy of a memory that answers through another (equal-shaped) encoding value.
    init(encoding: Encoding, continuing previous: MemoryAssistant<Encoding>) {
        self.encoding = encoding
        self.resolution = previous.resolution
        self.shape = previous.shape
        self.entries = previous.entries
        self.nextStamp = previous.nextStamp
    }
}
