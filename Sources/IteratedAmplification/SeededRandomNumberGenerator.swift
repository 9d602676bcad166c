/// A fast random number generator whose whole sequence is fixed by a seed: xoshiro256** seeded by SeededRandomNumberGenerator.
///
/// Every random choice in an experiment (worlds, question samples, initial weights, minibatch order) should come
/// from one of these, so that a seed reproduces a run exactly on every platform and toolchain. The bounded
/// helpers (``nextInt(below:)``, ``nextDouble()``, ``shuffle(_:)``) are implemented here rather than taken from
/// the standard library, whose algorithms for `Int.random(in:using:)` and `shuffle(using:)` are not promised to
/// stay the same across releases.
///
/// Independent streams come from one seed with ``init(seed:stream:)``: the world of a task, its question
/// sampler and a learner's initialisation can each draw from their own stream without affecting the others.
///
/// The generator is a value: copying it copies its state, and it encodes to JSON, so a checkpoint can store it.
///
/// ```swift
/// var generator = SeededRandomNumberGenerator(seed: 42)
/// let roll = generator.nextInt(in: 1...6)
/// var deck = Array(0..<52)
/// generator.shuffle(&deck)
/// ```
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Hashable, Codable, Sendable {
    // The four words of xoshiro256** state; never all zero.
    private var word0: UInt64
    private var word1: UInt64
    private var word2: UInt64
    private var word3: UInt64

    /// Creates a generator whose sequence is fixed by a seed.
    ///
    /// - Parameter seed: Any value; equal seeds give equal sequences.
    public init(seed: UInt64) {
        var mixer = seed
        word0 = Self.splitMix64(&mixer)
        word1 = Self.splitMix64(&mixer)
        word2 = Self.splitMix64(&mixer)
        word3 = Self.splitMix64(&mixer)
        // SeededRandomNumberGenerator never yields four zero words in a row, but keep the invariant explicit.
        if word0 | word1 | word2 | word3 == 0 { word0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// Creates a generator for one of many independent streams derived from a seed.
    ///
    /// - Parameters:
    ///   - seed: The experiment's seed.
    ///   - stream: Which stream; different streams of one seed give unrelated sequences.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        self.init(seed: Self.splitMix64(&mixer) ^ stream)
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(word1 &* 5, by: 7) &* 9
        let shifted = word1 << 17
        word2 ^= word0
        word3 ^= word1
        word1 ^= word2
        word0 ^= word3
        word2 ^= shifted
        word3 = Self.rotateLeft(word3, by: 45)
        return result
    }

    /// Returns a uniformly distributed integer in `0..<bound`.
    ///
    /// Uses Lemire's multiply-and-reject method, so the result is unbiased and the same on every platform.
    ///
    /// - Parameter bound: The exclusive upper bound; must be positive.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound, not \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// Returns a uniformly distributed integer in a range.
    ///
    /// - Parameter range: A non-empty range.
    public mutating func nextInt(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "nextInt(in:) needs a non-empty range")
        return range.lowerBound + nextInt(below: range.count)
    }

    /// Returns a uniformly distributed integer in a closed range.
    ///
    /// - Parameter range: The range; its count must fit in an `Int`.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.count)
    }

    /// Returns a uniformly distributed `Double` in `0..<1`, with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Returns `true` or `false` with equal probability.
    public mutating func nextBool() -> Bool {
        next() >> 63 == 1
    }

    /// Shuffles an array in place with the Fisher–Yates algorithm.
    ///
    /// - Parameter array: The array to shuffle.
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for index in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(index, nextInt(below: index + 1))
        }
    }

    /// Returns a uniformly chosen element of a collection, or `nil` when it is empty.
    ///
    /// - Parameter collection: The collection to choose from.
    public mutating func element<C: Collection>(of collection: C) -> C.Element? {
        guard !collection.isEmpty else { return nil }
        return collection[collection.index(collection.startIndex, offsetBy: nextInt(below: collection.count))]
    }

    private enum CodingKeys: String, CodingKey { case word0, word1, word2, word3 }

    /// Creates a generator from its encoded state.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a word is missing or all four are zero, a state xoshiro never leaves.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        word0 = try container.decode(UInt64.self, forKey: .word0)
        word1 = try container.decode(UInt64.self, forKey: .word1)
        word2 = try container.decode(UInt64.self, forKey: .word2)
        word3 = try container.decode(UInt64.self, forKey: .word3)
        guard word0 | word1 | word2 | word3 != 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .word0,
                in: container,
                debugDescription: "a xoshiro256** state of four zero words would only ever yield zero"
            )
        }
    }

    /// Encodes the generator's state as four words.
    ///
    /// - Parameter encoder: The encoder to write to.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(word0, forKey: .word0)
        try container.encode(word1, forKey: .word1)
        try container.encode(word2, forKey: .word2)
        try container.encode(word3, forKey: .word3)
    }

    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    private static func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
