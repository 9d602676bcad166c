public import IteratedAmplification

extension UnionFindTask {
    /// The encoding of union find for learners.
    ///
    /// Features: the kind (3 values) and the vertex (`size` values). Classes: one per integer in `0..<size`
    /// (a label, a vertex or a distance), then unknown.
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

        /// The kind's and the vertex's cardinalities.
        public var featureCardinalities: [Int] { [Question.Kind.allCases.count, size] }
        /// One class per label, vertex or distance, and one for unknown.
        public var answerClassCount: Int { classes.count }
        /// Unknown.
        public var unknownAnswer: TaskAnswer { .unknown }

        /// Returns the kind (label 0, parent 1, distance 2) and the vertex, clamped into its range.
        public func features(of question: Question) -> [Int] {
            let kind: Int
            switch question.kind {
            case .label: kind = 0
            case .parent: kind = 1
            case .distance: kind = 2
            }
            return [kind, min(max(question.vertex, 0), size - 1)]
        }

        /// Returns the integer's class, the unknown class, or `nil` for an integer out of range.
        public func answerClass(of answer: TaskAnswer) -> Int? { classes.answerClass(of: answer) }

        /// Returns the integer of a class, or unknown.
        public func answer(ofClass answerClass: Int) -> TaskAnswer { classes.answer(ofClass: answerClass) }
    }
}
