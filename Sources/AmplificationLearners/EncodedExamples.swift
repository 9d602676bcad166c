import IteratedAmplification

/// The shape an encoding declares, checked once: feature cardinalities and answer class count.
struct EncodingShape: Hashable, Sendable {
    let featureCardinalities: [Int]
    let answerClassCount: Int
    /// Where each feature's values start when all features' values are numbered in one range.
    let featureOffsets: [Int]
    /// The sum of the cardinalities: how many distinct (feature, value) pairs there are.
    let totalFeatureValues: Int

    init<Encoding: TaskEncoding>(_ encoding: Encoding) throws {
        let cardinalities = encoding.featureCardinalities
        guard !cardinalities.isEmpty else {
            throw LearnerError(code: .invalidEncoding, message: "the encoding declares no features")
        }
        if let position = cardinalities.firstIndex(where: { $0 < 1 }) {
            throw LearnerError(
                code: .invalidEncoding,
                message:
                    "feature \(position) has cardinality \(cardinalities[position]); every feature needs at least 1"
            )
        }
        guard encoding.answerClassCount >= 1 else {
            throw LearnerError(
                code: .invalidEncoding,
                message: "the encoding declares \(encoding.answerClassCount) answer classes; at least 1 is needed"
            )
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(cardinalities.count)
        var total = 0
        for cardinality in cardinalities {
            offsets.append(total)
            let (sum, overflow) = total.addingReportingOverflow(cardinality)
            guard !overflow, sum <= Int(Int32.max) else {
                throw LearnerError(code: .invalidEncoding, message: "the feature cardinalities sum past \(Int32.max)")
            }
            total = sum
        }
        featureCardinalities = cardinalities
        answerClassCount = encoding.answerClassCount
        featureOffsets = offsets
        totalFeatureValues = total
    }

    var featureCount: Int { featureCardinalities.count }

    /// Checks a question's features against the shape; `context` names the question in the error.
    func validate(
        _ features: [Int],
        question: @autoclosure () -> String,
        demonstrationIndex: Int? = nil
    ) throws {
        guard features.count == featureCardinalities.count else {
            throw LearnerError(
                code: .invalidFeatures,
                message: "question \(question()) has \(features.count) features; the encoding declares "
                    + "\(featureCardinalities.count)",
                demonstrationIndex: demonstrationIndex
            )
        }
        for position in features.indices
        where features[position] < 0 || features[position] >= featureCardinalities[position] {
            throw LearnerError(
                code: .invalidFeatures,
                message: "question \(question()) has value \(features[position]) at feature \(position), outside "
                    + "0..<\(featureCardinalities[position])",
                demonstrationIndex: demonstrationIndex
            )
        }
    }
}

/// Demonstrations turned into flat integer buffers: each example's features (as global value indices, see
/// ``EncodingShape/featureOffsets``) and its answer class. Demonstrations whose answer has no class are left out.
struct EncodedExamples: Sendable {
    let featureCount: Int
    /// `count * featureCount` global feature-value indices, example-major.
    var globalFeatureValues: [Int32]
    /// The local feature values (as the encoding returned them), example-major.
    var localFeatureValues: [Int]
    var labels: [Int32]
    /// How many demonstrations were left out because their answer has no class.
    var skippedWithoutClass: Int

    var count: Int { labels.count }

    init<Encoding: TaskEncoding>(
        _ demonstrations: [Demonstration<Encoding.Question, Encoding.Answer>],
        encoding: Encoding,
        shape: EncodingShape
    ) throws {
        featureCount = shape.featureCount
        globalFeatureValues = []
        localFeatureValues = []
        labels = []
        skippedWithoutClass = 0
        globalFeatureValues.reserveCapacity(demonstrations.count * featureCount)
        localFeatureValues.reserveCapacity(demonstrations.count * featureCount)
        labels.reserveCapacity(demonstrations.count)
        for (index, demonstration) in demonstrations.enumerated() {
            let features = encoding.features(of: demonstration.question)
            try shape.validate(
                features,
                question: String(describing: demonstration.question),
                demonstrationIndex: index
            )
            guard let answerClass = encoding.answerClass(of: demonstration.answer) else {
                skippedWithoutClass += 1
                continue
            }
            guard answerClass >= 0, answerClass < shape.answerClassCount else {
                throw LearnerError(
                    code: .invalidAnswerClass,
                    message: "answer \(demonstration.answer) to question \(demonstration.question) has class "
                        + "\(answerClass), outside 0..<\(shape.answerClassCount)",
                    demonstrationIndex: index
                )
            }
            for position in 0..<featureCount {
                localFeatureValues.append(features[position])
                globalFeatureValues.append(Int32(shape.featureOffsets[position] + features[position]))
            }
            labels.append(Int32(answerClass))
        }
        guard !labels.isEmpty else {
            throw LearnerError(
                code: .noTrainingData,
                message: demonstrations.isEmpty
                    ? "there are no demonstrations to learn from"
                    : "none of the \(demonstrations.count) demonstrations has an answer with a class "
                        + "(all are unknown or unencodable)"
            )
        }
    }
}
