public import IteratedAmplification

extension PermutationPoweringTask {
    /// The weak expert H of permutation powering.
    ///
    /// For "sigma^k(x)?" H reads sigma(x) when `k = 1`. Otherwise, with `m = k / 2` (rounded down), it asks
    /// "sigma^m(x)?", then "sigma^m(y)?" for the answer y (the second question depends on the first answer),
    /// and applies sigma once more, by reading one fact, when `k` is odd: sigma^(2m) = sigma^m after sigma^m.
    /// Both subquestions have one bit fewer. An unknown subanswer, or an element outside the world, makes the
    /// answer unknown.
    public struct Expert: Supervisor {
        /// The facts: sigma's values.
        public let permutation: [Int]
        /// The largest exponent of a question.
        public let maximumExponent: Int

        /// Creates the expert for a permutation.
        ///
        /// - Parameters:
        ///   - permutation: Sigma's values.
        ///   - maximumExponent: The largest exponent of a question.
        public init(permutation: [Int], maximumExponent: Int) {
            self.permutation = permutation
            self.maximumExponent = maximumExponent
        }

        /// Answers "sigma^k(x)?" from a fact, or from two subquestions about sigma^(k/2).
        public func respond(
            to question: Question,
            consulting consultation: Consultation<Question, TaskAnswer>
        ) async throws -> TaskAnswer {
            guard isElement(question.element), (1...maximumExponent).contains(question.exponent) else {
                return .unknown
            }
            if question.exponent == 1 { return .value(permutation[question.element]) }
            guard consultation.canConsult else { return .unknown }
            let half = question.exponent / 2
            guard let middle = try await consultation.ask(Question(element: question.element, exponent: half)).value,
                isElement(middle),
                let end = try await consultation.ask(Question(element: middle, exponent: half)).value,
                isElement(end)
            else { return .unknown }
            return .value(question.exponent % 2 == 1 ? permutation[end] : end)
        }

        private func isElement(_ element: Int) -> Bool { element >= 0 && element < permutation.count }
    }
}
