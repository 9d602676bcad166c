public import IteratedAmplification

extension SequentialAssignmentsTask {
    /// The weak expert H of sequential assignments.
    ///
    /// For "value of x?" H reads x's definition. A constant is the answer. For `x := f(y, z)` H asks for the
    /// values of y and z in parallel and then reads `f` at those values in the table. An unknown or
    /// out-of-range subanswer makes the answer unknown.
    public struct Expert: Supervisor {
        /// The facts: each variable's definition.
        public let definitions: [Definition]
        /// The facts: the table of `f`, row-major.
        public let table: [Int]
        /// The number of values.
        public let valueCount: Int

        /// Creates the expert for a program.
        ///
        /// - Parameters:
        ///   - definitions: Each variable's definition.
        ///   - table: The table of `f`, row-major.
        ///   - valueCount: The number of values.
        public init(definitions: [Definition], table: [Int], valueCount: Int) {
            self.definitions = definitions
            self.table = table
            self.valueCount = valueCount
        }

        /// Answers "value of x?" from x's definition, its operands' values and the table.
        public func respond(
            to question: Question,
            consulting consultation: Consultation<Question, TaskAnswer>
        ) async throws -> TaskAnswer {
            guard question.variable >= 0, question.variable < definitions.count else { return .unknown }
            switch definitions[question.variable] {
            case .constant(let value):
                return .value(value)
            case .operation(let left, let right):
                guard consultation.canConsult else { return .unknown }
                let operands = try await consultation.askAll([Question(variable: left), Question(variable: right)])
                guard let a = operands[0].value, let b = operands[1].value, isValue(a), isValue(b) else {
                    return .unknown
                }
                return .value(table[a * valueCount + b])
            }
        }

        private func isValue(_ value: Int) -> Bool { value >= 0 && value < valueCount }
    }
}
