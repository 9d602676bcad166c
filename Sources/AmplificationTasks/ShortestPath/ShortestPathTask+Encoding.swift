public import IteratedAmplification

extension ShortestPathTask {
    /// The encoding of shortest path for learners.
    ///
    /// Features: the kind (2 values), x and y (`size` values each). Classes: one per integer in `0..<size`
    /// (a vertex or a distance), then unknown.
    public struct Encoding: TaskEncoding {
        /// The number of vertices.
        public let size: Int
        private let classes: AnswerClasses

        /// Creates the encoding.
        ///
        /// - Parameter size: The number of vertices.
        public init(size: Int) {
            self.size = size
            self.classes = AnswerClasses(values: 0...(size - 1))
        }

        /// The kind's, x's and y's cardinalities.
        public var featureCardinalities: [Int] { [2, size, size] }
        /// One class per vertex or distance, and one for unknown.
        public var answerClassCount: Int { classes.count }
        /// Unknown.
        public var unknownAnswer: TaskAnswer { .unknown }

        /// Returns the kind (0 for distance, 1 for next vertex), x and y, clamped into their ranges.
        public func features(of question: Question) -> [Int] {
            [
                question.kind == .distance ? 0 : 1,
                min(max(question.from, 0), size - 1),
                min(max(question.to, 0), size - 1),
            ]
        }

        /// Returns the integer's class, the unknown class, or `nil` for an integer out of range.
        public func answerClass(of answer: TaskAnswer) -> Int? { classes.answerClass(of: answer) }

        /// Returns the integer of a class, or unknown.
        public func answer(ofClass answerClass: Int) -> TaskAnswer { classes.answer(ofClass: answerClass) }
    }
}
