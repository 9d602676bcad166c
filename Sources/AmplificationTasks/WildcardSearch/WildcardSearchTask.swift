public import IteratedAmplification

/// Wildcard search: a function f on binary strings of length ``length`` that is +1 or -1 on `size` of them
/// and 0 elsewhere; and questions "sum of f over the strings that match a pattern?".
///
/// A pattern has, at each position, `0`, `1` or the wildcard `*`. ``length`` is the bit length of `size` (4 at
/// size 8, 7 at 64), so f is non-zero on about half the strings. A question's difficulty is its number of
/// wildcards, `0...length`: a pattern without wildcards is one fact, and H halves the matching strings with
/// each subquestion.
public struct WildcardSearchTask: AlgorithmicTask {
    /// One position of a pattern.
    public enum Symbol: Hashable, Codable, Sendable {
        /// The bit 0.
        case zero
        /// The bit 1.
        case one
        /// Either bit.
        case wildcard
    }

    /// A question: the sum of f over the strings that match a pattern.
    ///
    /// The pattern is stored as two bit masks, so questions are cheap to hash and to split: bit `i` stands for
    /// position `i`, the leftmost position being 0.
    public struct Question: Hashable, Codable, Sendable, CustomStringConvertible {
        /// The number of positions.
        public var length: Int
        /// The positions that are wildcards.
        public var wildcards: Int
        /// The positions that are 1; never overlaps ``wildcards``.
        public var ones: Int

        /// Creates a question from its masks.
        ///
        /// - Parameters:
        ///   - length: The number of positions.
        ///   - wildcards: The positions that are wildcards.
        ///   - ones: The positions that are 1; positions that are also wildcards are cleared.
        public init(length: Int, wildcards: Int, ones: Int) {
            self.length = length
            self.wildcards = wildcards
            self.ones = ones & ~wildcards
        }

        /// Creates a question from a pattern, position 0 first.
        ///
        /// - Parameter pattern: The symbols of the pattern.
        public init(pattern: [Symbol]) {
            var wildcards = 0
            var ones = 0
            for (position, symbol) in pattern.enumerated() {
                switch symbol {
                case .zero: break
                case .one: ones |= 1 << position
                case .wildcard: wildcards |= 1 << position
                }
            }
            self.init(length: pattern.count, wildcards: wildcards, ones: ones)
        }

        /// The symbols of the pattern, position 0 first.
        public var pattern: [Symbol] {
            (0..<max(length, 0)).map { position in
                if wildcards & (1 << position) != 0 { return .wildcard }
                return ones & (1 << position) != 0 ? .one : .zero
            }
        }

        /// The number of wildcards.
        public var wildcardCount: Int { wildcards.nonzeroBitCount }

        /// The question in words, such as `sum over 1*0*?`.
        public var description: String {
            let text = pattern.map { symbol -> String in
                switch symbol {
                case .zero: "0"
                case .one: "1"
                case .wildcard: "*"
                }
            }
            return "sum over \(text.joined())?"
        }
    }

    /// The answer type: the sum, in `-size...size`, or unknown.
    public typealias Answer = TaskAnswer

    /// The task's name: `wildcard-search`.
    public static let name = "wildcard-search"

    /// The number of strings where f is not zero.
    public let size: Int
    /// The seed the world was generated from.
    public let seed: UInt64
    /// The length of the strings.
    public let length: Int
    /// The facts: f of each string, indexed by the string read as a binary number with position 0 as bit 0.
    public let values: [Int]

    // The sum of f over every pattern, indexed by the pattern in base 3 (0, 1, wildcard), position 0 lowest.
    private let sums: [Int]

    /// Creates a world: `size` distinct random strings, each with a random sign.
    ///
    /// - Parameters:
    ///   - size: The number of strings where f is not zero, in `8...64`.
    ///   - seed: The seed of the strings and signs.
    /// - Throws: ``TaskError`` when `size` is out of range.
    public init(size: Int, seed: UInt64) throws {
        try Self.validate(size: size)
        var generator = SeededRandomNumberGenerator(seed: seed)
        let length = bitLength(size)
        var strings = Array(0..<(1 << length))
        generator.shuffle(&strings)
        var values = Array(repeating: 0, count: 1 << length)
        for string in strings.prefix(size) { values[string] = generator.nextBool() ? 1 : -1 }
        self.size = size
        self.seed = seed
        self.length = length
        self.values = values

        var powers = [1]
        for _ in 0..<length { powers.append(powers[powers.count - 1] * 3) }
        var sums = Array(repeating: 0, count: powers[length])
        for index in 0..<sums.count {
            // The highest wildcard splits into a 0 and a 1 with smaller indices, already summed.
            var digits = index
            var wildcardPower = 0
            var string = 0
            for position in 0..<length {
                switch digits % 3 {
                case 1: string |= 1 << position
                case 2: wildcardPower = powers[position]
                default: break
                }
                digits /= 3
            }
            sums[index] = wildcardPower == 0
                ? values[string] : sums[index - 2 * wildcardPower] + sums[index - wildcardPower]
        }
        self.sums = sums
    }

    /// The difficulties: the numbers of wildcards, `0...length`.
    public var difficulties: ClosedRange<Int> { 0...length }

    /// Every question: each of the `3^length` patterns.
    public var questions: [Question] {
        (0..<sums.count).map { index in
            var digits = index
            var wildcards = 0
            var ones = 0
            for position in 0..<length {
                if digits % 3 == 1 { ones |= 1 << position }
                if digits % 3 == 2 { wildcards |= 1 << position }
                digits /= 3
            }
            return Question(length: length, wildcards: wildcards, ones: ones)
        }
    }

    /// Returns the number of wildcards, or `nil` when the pattern is not of this world.
    public func difficulty(of question: Question) -> Int? {
        isValid(question) ? question.wildcardCount : nil
    }

    /// Returns a pattern with `difficulty` wildcards at random positions and random bits elsewhere.
    public func sampleQuestion(
        ofDifficulty difficulty: Int,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Question {
        try validate(difficulty: difficulty)
        var positions = Array(0..<length)
        generator.shuffle(&positions)
        var wildcards = 0
        for position in positions.prefix(difficulty) { wildcards |= 1 << position }
        let ones = generator.nextInt(below: 1 << length) & ~wildcards
        return Question(length: length, wildcards: wildcards, ones: ones)
    }

    /// Returns the sum of f over the matching strings, or unknown when the pattern is not of this world.
    public func correctAnswer(to question: Question) -> TaskAnswer {
        guard isValid(question) else { return .unknown }
        var index = 0
        var power = 1
        for position in 0..<length {
            if question.wildcards & (1 << position) != 0 {
                index += 2 * power
            } else if question.ones & (1 << position) != 0 {
                index += power
            }
            power *= 3
        }
        return .value(sums[index])
    }

    /// The weak expert of this world.
    public var expert: Expert { Expert(values: values, length: length, size: size) }

    /// The encoding of this world for learners.
    public var encoding: Encoding { Encoding(size: size, length: length) }

    func isValid(_ question: Question) -> Bool {
        let all = (1 << length) - 1
        return question.length == length && question.wildcards & ~all == 0 && question.ones & ~all == 0
            && question.wildcards & question.ones == 0
    }
}
