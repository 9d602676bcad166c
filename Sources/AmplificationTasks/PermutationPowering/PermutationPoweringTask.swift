public import IteratedAmplification

/// Permutation powering: a permutation sigma of `size` elements, and questions "sigma^k(x)?".
///
/// The facts are sigma's values. The exponent `k` runs from 1 to `2^exponentBits - 1`, written in binary with
/// ``exponentBits`` bits, where ``exponentBits`` is the bit length of `size - 1` (3 bits at size 8, 6 at 64).
/// A question's difficulty is the bit length of its exponent: `k = 1` is difficulty 1, which H answers by
/// reading one fact; each further bit is one more round of amplification, because H answers sigma^k(x) from
/// two questions about sigma^(k/2) (see ``Expert``).
public struct PermutationPoweringTask: AlgorithmicTask {
    /// A question: the image of ``element`` under sigma applied ``exponent`` times.
    public struct Question: Hashable, Codable, Sendable, CustomStringConvertible {
        /// The element x, in `0..<size`.
        public var element: Int
        /// The exponent k, in `1..<2^exponentBits`.
        public var exponent: Int

        /// Creates the question "sigma^exponent(element)?".
        ///
        /// - Parameters:
        ///   - element: The element x.
        ///   - exponent: The exponent k.
        public init(element: Int, exponent: Int) {
            self.element = element
            self.exponent = exponent
        }

        /// The question in words, such as `sigma^5(3)?`.
        public var description: String { "sigma^\(exponent)(\(element))?" }
    }

    /// The answer type: the element sigma^k(x), or unknown.
    public typealias Answer = TaskAnswer

    /// The task's name: `permutation-powering`.
    public static let name = "permutation-powering"

    /// The number of elements.
    public let size: Int
    /// The seed the world was generated from.
    public let seed: UInt64
    /// The number of bits of an exponent: the bit length of `size - 1`.
    public let exponentBits: Int
    /// The facts: sigma maps element `x` to `permutation[x]`.
    public let permutation: [Int]

    // The oracle walks cycles instead of applying sigma k times.
    private let cycleOfElement: [Int]
    private let positionInCycle: [Int]
    private let cycles: [[Int]]

    /// Creates a world: a uniformly random permutation of `size` elements.
    ///
    /// - Parameters:
    ///   - size: The number of elements, in `8...64`.
    ///   - seed: The seed of the permutation.
    /// - Throws: ``TaskError`` when `size` is out of range.
    public init(size: Int, seed: UInt64) throws {
        try Self.validate(size: size)
        var generator = SeededRandomNumberGenerator(seed: seed)
        var permutation = Array(0..<size)
        generator.shuffle(&permutation)
        self.size = size
        self.seed = seed
        self.exponentBits = bitLength(size - 1)
        self.permutation = permutation

        var cycleOfElement = Array(repeating: -1, count: size)
        var positionInCycle = Array(repeating: 0, count: size)
        var cycles: [[Int]] = []
        for start in 0..<size where cycleOfElement[start] < 0 {
            var cycle: [Int] = []
            var element = start
            while cycleOfElement[element] < 0 {
                cycleOfElement[element] = cycles.count
                positionInCycle[element] = cycle.count
                cycle.append(element)
                element = permutation[element]
            }
            cycles.append(cycle)
        }
        self.cycleOfElement = cycleOfElement
        self.positionInCycle = positionInCycle
        self.cycles = cycles
    }

    /// The difficulties: the bit lengths of the exponents, `1...exponentBits`.
    public var difficulties: ClosedRange<Int> { 1...exponentBits }

    /// The largest exponent a question may have: `2^exponentBits - 1`.
    public var maximumExponent: Int { (1 << exponentBits) - 1 }

    /// Every question: each element with each exponent, element-major.
    public var questions: [Question] {
        var questions: [Question] = []
        questions.reserveCapacity(size * maximumExponent)
        for element in 0..<size {
            for exponent in 1...maximumExponent { questions.append(Question(element: element, exponent: exponent)) }
        }
        return questions
    }

    /// Returns the bit length of the question's exponent, or `nil` when the question is not of this world.
    public func difficulty(of question: Question) -> Int? {
        isValid(question) ? bitLength(question.exponent) : nil
    }

    /// Returns a random question whose exponent has `difficulty` bits, with a uniformly random element.
    public func sampleQuestion(
        ofDifficulty difficulty: Int,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Question {
        try validate(difficulty: difficulty)
        let exponent = generator.nextInt(in: (1 << (difficulty - 1))..<(1 << difficulty))
        return Question(element: generator.nextInt(below: size), exponent: exponent)
    }

    /// Returns sigma^k(x), or unknown when the question is not of this world.
    public func correctAnswer(to question: Question) -> TaskAnswer {
        guard isValid(question) else { return .unknown }
        let cycle = cycles[cycleOfElement[question.element]]
        return .value(cycle[(positionInCycle[question.element] + question.exponent) % cycle.count])
    }

    /// The weak expert of this world.
    public var expert: Expert { Expert(permutation: permutation, maximumExponent: maximumExponent) }

    /// The encoding of this world for learners.
    public var encoding: Encoding { Encoding(size: size, exponentBits: exponentBits) }

    func isValid(_ question: Question) -> Bool {
        (0..<size).contains(question.element) && (1...maximumExponent).contains(question.exponent)
    }
}
