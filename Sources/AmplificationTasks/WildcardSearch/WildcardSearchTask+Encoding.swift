public import IteratedAmplification

extension WildcardSearchTask {
    /// The encoding of wildcard search for learners.
    ///
    /// Features: one per position, with three values (0, 1, wildcard). Classes: one per sum in `-size...size`,
    /// then unknown.
    public struct Encoding: TaskEncoding {
        /// The number of strings where f is not zero.
        public let size: Int
        /// The length of the strings.
        public let length: Int
        private let classes: AnswerClasses

        /// Creates the encoding.
        ///
        /// - Parameters:
        ///   - size: The number of strings where f is not zero.
        ///   - length: The length of the strings.
        public init(size: Int, length: Int) {
            self.size = size
            self.length = length
            self.classes = AnswerClasses(values: -size...size)
        }

        /// Three values per position.
        public var featureCardinalities: [Int] { Array(repeating: 3, count: length) }
        /// One class per sum, and one for unknown.
        public var answerClassCount: Int { classes.count }
        /// Unknown.
        public var unknownAnswer: TaskAnswer { .unknown }

        /// Returns, per position, 0, 1, or 2 for a wildcard.
        public func features(of question: Question) -> [Int] {
            (0..<length).map { position in
                if question.wildcards & (1 << position) != 0 { return 2 }
                return question.ones & (1 << position) != 0 ? 1 : 0
            }
        }

        /// Returns the sum's class, the unknown class, or `nil` for a sum out of range.
        public func answerClass(of answer: TaskAnswer) -> Int? { classes.answerClass(of: answer) }

        /// Returns the sum of a class, or unknown.
        public func answer(ofClass answerClass: Int) -> TaskAnswer { classes.answer(ofClass: answerClass) }
    }
}
