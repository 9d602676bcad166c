public import IteratedAmplification

extension WildcardSearchTask {
    /// The weak expert H of wildcard search.
    ///
    /// For a pattern without wildcards H reads f of that string. Otherwise it replaces the first wildcard by 0
    /// and by 1, asks both questions in parallel, and adds the answers. An unknown subanswer, or one outside
    /// `-size...size`, makes the answer unknown.
    public struct Expert: Supervisor {
        /// The facts: f of each string.
        public let values: [Int]
        /// The length of the strings.
        public let length: Int
        /// The number of strings where f is not zero, which bounds every sum.
        public let size: Int

        /// Creates the expert for a function.
        ///
        /// - Parameters:
        ///   - values: F of each string, indexed by the string as a binary number, position 0 as bit 0.
        ///   - length: The length of the strings.
        ///   - size: The number of strings where f is not zero.
        public init(values: [Int], length: Int, size: Int) {
            self.values = values
            self.length = length
            self.size = size
        }

        /// Answers a pattern's sum from a fact, or from the two patterns its first wildcard splits into.
        public func respond(
            to question: Question,
            consulting consultation: Consultation<Question, TaskAnswer>
        ) async throws -> TaskAnswer {
            let all = (1 << length) - 1
            guard question.length == length, question.wildcards & ~all == 0, question.ones & ~all == 0 else {
                return .unknown
            }
            guard question.wildcards != 0 else { return .value(values[question.ones]) }
            guard consultation.canConsult else { return .unknown }
            let first = question.wildcards & -question.wildcards
            let rest = question.wildcards & ~first
            let halves = try await consultation.askAll([
                Question(length: length, wildcards: rest, ones: question.ones),
                Question(length: length, wildcards: rest, ones: question.ones | first),
            ])
            guard let zeroSum = halves[0].value, let oneSum = halves[1].value,
                abs(zeroSum) <= size, abs(oneSum) <= size, abs(zeroSum + oneSum) <= size
            else { return .unknown }
            return .value(zeroSum + oneSum)
        }
    }
}
