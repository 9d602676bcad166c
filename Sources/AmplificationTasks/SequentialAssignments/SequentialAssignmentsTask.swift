public import IteratedAmplification

/// Sequential assignments: a program of `size` variables, each a constant or `x := f(y, z)` of two earlier
/// variables, where `f` is a lookup table; and questions "value of x?".
///
/// Values lie in `0..<valueCount`, with ``valueCount`` the integer square root of `size` (at least 3). The
/// first ``constantCount`` variables of the program are constants; the rest are spread over ``levelCount``
/// levels, every level used, and a variable of level `l` has one operand of level `l - 1` and one of a lower
/// level, so its depth in the program is exactly `l`. Variable numbers are shuffled, so a number says nothing
/// about the depth. A question's difficulty is its variable's depth: constants are difficulty 0.
public struct SequentialAssignmentsTask: AlgorithmicTask {
    /// A question: the value of ``variable``.
    public struct Question: Hashable, Codable, Sendable, CustomStringConvertible {
        /// The variable, in `0..<size`.
        public var variable: Int

        /// Creates the question "value of variable?".
        ///
        /// - Parameter variable: The variable.
        public init(variable: Int) {
            self.variable = variable
        }

        /// The question in words, such as `value of x7?`.
        public var description: String { "value of x\(variable)?" }
    }

    /// How a variable is defined.
    public enum Definition: Hashable, Codable, Sendable {
        /// `x := value`.
        case constant(Int)
        /// `x := f(left, right)` for two earlier variables.
        case operation(left: Int, right: Int)
    }

    /// The answer type: the variable's value, or unknown.
    public typealias Answer = TaskAnswer

    /// The task's name: `sequential-assignments`.
    public static let name = "sequential-assignments"

    /// The number of variables.
    public let size: Int
    /// The seed the world was generated from.
    public let seed: UInt64
    /// The number of values a variable can take.
    public let valueCount: Int
    /// The number of constants.
    public let constantCount: Int
    /// The number of levels of operations, the highest difficulty.
    public let levelCount: Int
    /// The facts: the definition of each variable.
    public let definitions: [Definition]
    /// The facts: the lookup table of `f`, row-major; `f(a, b)` is `table[a * valueCount + b]`.
    public let table: [Int]
    /// The variables in program order: each is defined after its operands.
    public let programOrder: [Int]

    private let values: [Int]
    private let depths: [Int]

    /// Creates a world: a random program with a random table.
    ///
    /// - Parameters:
    ///   - size: The number of variables, in `8...64`.
    ///   - seed: The seed of the program and the table.
    /// - Throws: ``TaskError`` when `size` is out of range.
    public init(size: Int, seed: UInt64) throws {
        try Self.validate(size: size)
        var generator = SeededRandomNumberGenerator(seed: seed)
        let valueCount = Self.valueCount(size: size)
        let constantCount = max(2, integerSquareRoot(size))
        let levelCount = bitLength(size - 1)

        var table: [Int] = []
        table.reserveCapacity(valueCount * valueCount)
        for _ in 0..<(valueCount * valueCount) { table.append(generator.nextInt(below: valueCount)) }

        // Levels of the non-constant variables: every level once, the rest at random, in program order.
        var levels = Array(1...levelCount)
        for _ in 0..<(size - constantCount - levelCount) { levels.append(generator.nextInt(in: 1...levelCount)) }
        levels.sort()

        var names = Array(0..<size)
        generator.shuffle(&names)
        var definitions = Array(repeating: Definition.constant(0), count: size)
        var values = Array(repeating: 0, count: size)
        var depths = Array(repeating: 0, count: size)
        var variablesByLevel: [[Int]] = Array(repeating: [], count: levelCount + 1)
        for index in 0..<constantCount {
            let variable = names[index]
            let value = generator.nextInt(below: valueCount)
            definitions[variable] = .constant(value)
            values[variable] = value
            variablesByLevel[0].append(variable)
        }
        for (offset, level) in levels.enumerated() {
            let variable = names[constantCount + offset]
            let deepest = variablesByLevel[level - 1][generator.nextInt(below: variablesByLevel[level - 1].count)]
            let lowerLevel = generator.nextInt(below: level)
            let other = variablesByLevel[lowerLevel][generator.nextInt(below: variablesByLevel[lowerLevel].count)]
            let (left, right) = generator.nextBool() ? (deepest, other) : (other, deepest)
            definitions[variable] = .operation(left: left, right: right)
            values[variable] = table[values[left] * valueCount + values[right]]
            depths[variable] = level
            variablesByLevel[level].append(variable)
        }

        self.size = size
        self.seed = seed
        self.valueCount = valueCount
        self.constantCount = constantCount
        self.levelCount = levelCount
        self.definitions = definitions
        self.table = table
        self.programOrder = names
        self.values = values
        self.depths = depths
    }

    /// The difficulties: the depths of the variables, `0...levelCount`.
    public var difficulties: ClosedRange<Int> { 0...levelCount }

    /// Every question: one per variable, in variable order.
    public var questions: [Question] { (0..<size).map(Question.init(variable:)) }

    /// Returns the depth of the question's variable, or `nil` when the variable is not of this world.
    public func difficulty(of question: Question) -> Int? {
        (0..<size).contains(question.variable) ? depths[question.variable] : nil
    }

    /// Returns a uniformly random variable of depth `difficulty`.
    public func sampleQuestion(
        ofDifficulty difficulty: Int,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Question {
        try validate(difficulty: difficulty)
        let candidates = programOrder.filter { depths[$0] == difficulty }
        return Question(variable: candidates[generator.nextInt(below: candidates.count)])
    }

    /// Returns the variable's value, or unknown when the variable is not of this world.
    public func correctAnswer(to question: Question) -> TaskAnswer {
        (0..<size).contains(question.variable) ? .value(values[question.variable]) : .unknown
    }

    /// The weak expert of this world.
    public var expert: Expert { Expert(definitions: definitions, table: table, valueCount: valueCount) }

    /// The encoding of this world for learners.
    public var encoding: Encoding { Encoding(size: size, valueCount: valueCount) }
}
