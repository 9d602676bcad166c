public import IteratedAmplification

/// An assistant that answers exactly what it was shown: a lookup table from a question's features to an
/// answer class, and the encoding's `TaskEncoding.unknownAnswer` for any question it never saw.
///
/// A ``MemoryDistiller`` builds it from demonstrations. Questions are matched by their features, so two
/// questions with equal features share one entry.
public struct MemoryAssistant<Encoding: TaskEncoding>: Assistant {
    /// The question type of the task.
    public typealias Question = Encoding.Question
    /// The answer type of the task.
    public typealias Answer = Encoding.Answer

    /// The answers seen for one question, and the one the memory gives.
    struct Entry: Sendable {
        /// How often each class was demonstrated.
        var counts: [Int: Int]
        /// When each class was last demonstrated (a stamp increasing across all demonstrations).
        var lastSeen: [Int: Int]
        /// The class the memory answers with, resolved when the entry last changed.
        var answerClass: Int
    }

    /// The encoding that turns questions into features and classes into answers.
    public let encoding: Encoding
    /// How the memory chose among conflicting answers.
    public let resolution: MemoryResolution
    let shape: EncodingShape
    var entries: [[Int]: Entry]
    var nextStamp: Int

    /// Creates an empty memory, which answers every question with the encoding's unknown answer.
    ///
    /// An empty memory is a natural first assistant X₀ of an amplification loop.
    ///
    /// - Parameters:
    ///   - encoding: The task's encoding.
    ///   - resolution: How later training chooses among conflicting answers.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidEncoding`` when the encoding declares no
    ///   features, a cardinality below 1, or no answer classes.
    public init(encoding: Encoding, resolution: MemoryResolution = .latest) throws {
        self.encoding = encoding
        self.resolution = resolution
        self.shape = try EncodingShape(encoding)
        self.entries = [:]
        self.nextStamp = 0
    }

    /// The number of distinct questions (by features) the memory holds an answer for.
    public var rememberedQuestionCount: Int { entries.count }

    /// Returns the remembered answer to a question, or the encoding's unknown answer when it never saw it.
    ///
    /// - Parameter question: The question to answer.
    /// - Returns: The remembered answer, or `TaskEncoding.unknownAnswer`.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidFeatures`` when the question's features do
    ///   not fit the encoding.
    public func answer(_ question: Question) async throws -> Answer {
        try rememberedAnswer(to: question) ?? encoding.unknownAnswer
    }

    /// Returns the remembered answer to a question, or `nil` when the memory never saw it.
    ///
    /// - Parameter question: The question to look up.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidFeatures`` when the question's features do
    ///   not fit the encoding.
    public func rememberedAnswer(to question: Question) throws -> Answer? {
        let features = encoding.features(of: question)
        try shape.validate(features, question: String(describing: question))
        guard let entry = entries[features] else { return nil }
        return encoding.answer(ofClass: entry.answerClass)
    }

    /// Adds one demonstrated answer class for a question's features, and resolves the entry's answer again.
    mutating func remember(features: [Int], answerClass: Int) {
        let stamp = nextStamp
        nextStamp += 1
        var entry = entries[features] ?? Entry(counts: [:], lastSeen: [:], answerClass: answerClass)
        entry.counts[answerClass, default: 0] += 1
        entry.lastSeen[answerClass] = stamp
        switch resolution.value {
        case .latest:
            entry.answerClass = answerClass
        case .majority:
            // Most votes wins; among tied classes the most recently demonstrated (unique stamps: no further tie).
            var best = answerClass
            for (candidate, count) in entry.counts {
                let bestCount = entry.counts[best] ?? 0
                let isBetter =
                    count > bestCount
                    || (count == bestCount && (entry.lastSeen[candidate] ?? -1) > (entry.lastSeen[best] ?? -1))
                if isBetter { best = candidate }
            }
            entry.answerClass = best
        }
        entries[features] = entry
    }
}
