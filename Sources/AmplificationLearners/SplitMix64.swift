/// A small, fast, seeded random number generator (SplitMix64), so a seed reproduces a learner exactly.
///
/// The standard library's generator is not seedable; this one is, and it produces the same stream on every
/// platform. The learners draw initial weights and shuffles from it.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose stream is determined by a seed.
    init(seed: UInt64) {
        state = seed
    }

    /// Creates a generator for one purpose (a stream) of a seed, so streams of one seed do not overlap.
    init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Returns a float uniformly distributed in `0..<1`, from the top 24 bits of the next value.
    mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Returns a float uniformly distributed in `-bound..<bound`.
    mutating func nextFloat(symmetricBound bound: Float) -> Float {
        (nextUnitFloat() * 2 - 1) * bound
    }

    /// Returns an integer uniformly distributed in `0..<upperBound` (multiply-high reduction).
    mutating func nextInt(below upperBound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(upperBound)).high)
    }

    /// Shuffles a buffer in place (Fisher-Yates), reproducibly for a given generator state.
    mutating func shuffle(_ buffer: UnsafeMutableBufferPointer<Int32>) {
        var index = buffer.count - 1
        while index > 0 {
            let other = nextInt(below: index + 1)
            buffer.swapAt(index, other)
            index -= 1
        }
    }
}
