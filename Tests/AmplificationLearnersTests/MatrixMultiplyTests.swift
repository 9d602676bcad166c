import Testing

@testable import AmplificationLearners

/// The blocked multiply against the textbook triple loop, for every transposition, sizes that are not multiples
/// of the tiles, overwriting and accumulating, views into wider matrices, and both thread counts (which must
/// agree bit for bit).
struct MatrixMultiplyTests {
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(($0 * 7 + seed * 13) % 23) / 23 - 0.5 }
    }

    @Test(
        arguments: [(1, 1, 1), (7, 5, 3), (13, 17, 29), (100, 33, 300), (97, 129, 70), (200, 64, 600)],
        [
            false, true,
        ])
    func matchesTheTripleLoop(shape: (Int, Int, Int), transposeA: Bool) throws {
        let (m, n, k) = shape
        for (transposeB, accumulate) in [(false, true), (true, true), (false, false), (true, false)] {
            let a = Self.values(m * k, seed: 1)
            let b = Self.values(k * n, seed: 2)
            let initial = Self.values(m * n, seed: 3)
            var expected = accumulate ? initial : [Float](repeating: 0, count: m * n)
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
                                into: c.baseAddress!, cRowStride: n, m: m, n: n, k: k, accumulate: accumulate,
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
                    "m \(m) n \(n) k \(k) transposed \(transposeA) \(transposeB) accumulate \(accumulate) element \(index)"
                )
            }
        }
    }

    @Test func anEmptyProductOverwritesWithZerosOrLeavesTheSum() {
        for accumulate in [false, true] {
            var c: [Float] = [1, 2, 3, 4, 5, 6]
            let a: [Float] = [9]
            a.withUnsafeBufferPointer { a in
                c.withUnsafeMutableBufferPointer { c in
                    multiply(
                        .normal(a.baseAddress!, rowStride: 0), .normal(a.baseAddress!, rowStride: 3),
                        into: c.baseAddress!, cRowStride: 3, m: 2, n: 3, k: 0, accumulate: accumulate, parallelism: 2
                    )
                }
            }
            #expect(c == (accumulate ? [1, 2, 3, 4, 5, 6] : [0, 0, 0, 0, 0, 0]))
        }
    }

    /// A block of columns of wider matrices, as each attention head reads and writes: only the block changes.
    @Test func viewsIntoWiderMatricesTouchOnlyTheirColumns() {
        let (m, n, k, stride, offset) = (9, 5, 7, 16, 3)
        let a = Self.values(m * stride, seed: 4)
        let b = Self.values(k * stride, seed: 5)
        let initial = Self.values(m * stride, seed: 6)
        var c = initial
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    multiply(
                        .normal(a.baseAddress! + offset, rowStride: stride),
                        .normal(b.baseAddress! + offset, rowStride: stride), into: c.baseAddress! + offset,
                        cRowStride: stride, m: m, n: n, k: k, accumulate: true, parallelism: 1
                    )
                }
            }
        }
        for row in 0..<m {
            for column in 0..<stride {
                let index = row * stride + column
                guard (offset..<(offset + n)).contains(column) else {
                    #expect(c[index] == initial[index], "row \(row) column \(column) changed")
                    continue
                }
                var sum: Float = 0
                for p in 0..<k { sum += a[row * stride + offset + p] * b[p * stride + column] }
                #expect(abs(c[index] - (initial[index] + sum)) <= 1e-4)
            }
        }
    }
}
