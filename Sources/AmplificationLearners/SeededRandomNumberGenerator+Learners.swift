import IteratedAmplification

// The learners draw initial weights and shuffles from the core's seeded generator, so one seed reproduces a
// student on every platform.
extension SeededRandomNumberGenerator {
    /// Returns a float uniformly distributed in `0..<1`, from the top 24 bits of the next value.
    mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Returns a float uniformly distributed in `-bound..<bound`.
    mutating func nextFloat(symmetricBound bound: Float) -> Float {
        (nextUnitFloat() * 2 - 1) * bound
    }

    /// Shuffles a buffer in place (Fisher-Yates), reproducibly for a given generator state.
    mutating func shuffle(_ buffer: UnsafeMutableBufferPointer<Int32>) {
        var index = buffer.count - 1
        while index > 0 {
            buffer.swapAt(index, nextInt(below: index + 1))
            index -= 1
        }
    }
}
