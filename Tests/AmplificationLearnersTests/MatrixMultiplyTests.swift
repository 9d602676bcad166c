import Testing

@testable import AmplificationLearners

/// The blocked multiply against the textbook triple loop, for every transposition, sizes that are not multiples
/// of the tiles, accumulation, and both thread counts (which must agree bit for bit).
struct MatrixMultiplyTests {
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(($0 * 7 + seed * 13) % 23) / 23 - 0.5 }
    }

    @Test(arguments: [(1, 1, 1), (7, 5, 3), (13, 17, 29), (100, 33, 300), (97, 129, 70)], [false, true])
    func matchesTheTripleLoop(shape: (Int, Int, Int), transposeA: Bool) throws {
        let (m, n, k) = shape
        for transposeB in [false, true] {
            let a = Self.values(m * k, seed: 1)
            let b = Self.values(k * n, seed: 2)
            let initial = Self.values(m * n, seed: 3)
            var expected = initial
            for row in 0..<m {
                for column in 0..<n {
                    var sum: Float = 0
                    for p in 0..<k {
                        let left = transposeA ? a[p * m + row] : a[row * k + p]
                        let right = transposeB ? b[column * k + p] : b[p * n + column]
                        sum += left * right
                    }
                    expected[row * n + column] += sum
                }
            }
            var results: [[Float]] = []
            for threads in [1, 2] {
                var c = initial
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            multiply(
                                transposeA
                                    ? .transposed(a.baseAddress!, rowStride: m) : .normal(a.baseAddress!, rowStride: k),
                                transposeB
                                    ? .transposed(b.baseAddress!, rowStride: k) : .normal(b.baseAddress!, rowStride: n),
                                into: c.baseAddress!, cRowStride: n, m: m, n: n, k: k, accumulate: true,
                                parallelism: threads
                            )
                        }
                    }
                }
                results.append(c)
            }
            #expect(results[0] == results[1])
            for index in expected.indices {
                #expect(
                    abs(results[0][index] - expected[index]) <= 1e-4 * Float(k),
                    "m \(m) n \(n) k \(k) transposed \(transposeA) \(transposeB) element \(index)"
                )
            }
        }
    }
}
