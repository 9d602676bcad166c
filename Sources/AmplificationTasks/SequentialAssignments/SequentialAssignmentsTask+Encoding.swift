public import IteratedAmplification

extension SequentialAssignmentsTask {
    /// The encoding of sequential assignments for learners.
    ///
    /// Features: the variable (`size` values). Classes: one per value, then unknown.
    public struct Encoding: TaskEncoding {
        /// The number of variables.
        public let size: Int
        /// The number of values.
        public let valueCount: Int
        private let classes: AnswerClasses

        /// Creates the encoding.
        ///
        /// - Parameters:
        ///   - size: The number of variables.
        ///   - valueCount: The number of values.
        public init(size: Int, valueCount: Int) {
            self.size = size
            self.valueCount = valueCount
            self.classes = AnswerClasses(values: 0...(valueCount - 1))
        }

        /// The variable's cardinality.
        public var featureCardinalities: [Int] { [size] }
        /// One class per value, and one for unknown.
        public var answerClassCount: Int { classes.count }
        /// Unknown.
        public var unknownAnswer: TaskAnswer { .unknown }

        /// Returns the variable, clamped into its range.
        public func features(of question: Question) -> [Int] { [min(max(question.variable, 0), size - 1)] }

        /// Returns the value's class, the unknown class, or `nil` for a value out of range.
        public func answerClass(of answer: TaskAnswer) -> Int? { classes.answerClass(of: answer) }

        /// Returns the value of a class, or unknown.
        public func answer(ofClass answerClass: Int) -> TaskAnswer { classes.answer(ofClass: answerClass) }
    }
}
