public import IteratedAmplification

extension PermutationPoweringTask {
    /// The encoding of permutation powering for learners.
    ///
    /// Features: the element (`size` values) and the exponent (`2^exponentBits` values). Classes: one per
    /// element, then unknown.
    public struct Encoding: TaskEncoding {
        /// The number of elements.
        public let size: Int
        /// The number of bits of an exponent.
        public let exponentBits: Int
        private let classes: AnswerClasses

        /// Creates the encoding.
        ///
        /// - Parameters:
        ///   - size: The number of elements.
        ///   - exponentBits: The number of bits of an exponent.
        public init(size: Int, exponentBits: Int) {
            self.size = size
            self.exponentBits = exponentBits
            self.classes = AnswerClasses(values: 0...(size - 1))
        }

        /// The element's and the exponent's cardinalities.
        public var featureCardinalities: [Int] { [size, 1 << exponentBits] }
        /// One class per element, and one for unknown.
        public var answerClassCount: Int { classes.count }
        /// Unknown.
        public var unknownAnswer: TaskAnswer { .unknown }

        /// Returns the element and the exponent, clamped into their ranges.
        public func features(of question: Question) -> [Int] {
            [min(max(question.element, 0), size - 1), min(max(question.exponent, 0), (1 << exponentBits) - 1)]
        }

        /// Returns the element's class, the unknown class, or `nil` for an element outside the world.
        public func answerClass(of answer: TaskAnswer) -> Int? { classes.answerClass(of: answer) }

        /// Returns the element of a class, or unknown.
        public func answer(ofClass answerClass: Int) -> TaskAnswer { classes.answer(ofClass: answerClass) }
    }
}
