import AmplificationLearners

/// A matrix product to time: C (M × N) = A (M × K) · B (K × N), row-major, single precision.
struct MatrixShape: Hashable, Sendable, Codable, CustomStringConvertible {
    var m: Int
    var k: Int
    var n: Int
    /// Where the shape comes from.
    var role: String

    var description: String { "\(m)x\(k)x\(n)" }

    /// The squares of the issue, then the default model's own shapes at batch 32 (width 64, feed-forward 128):
    /// world size 16 (512 fact rows) and 64 (2,048 rows). The same list as the peers' script.
    static let all: [MatrixShape] = [
        MatrixShape(m: 256, k: 256, n: 256, role: "square"),
        MatrixShape(m: 512, k: 512, n: 512, role: "square"),
        MatrixShape(m: 1024, k: 1024, n: 1024, role: "square"),
        MatrixShape(m: 512, k: 64, n: 192, role: "n16 encoder QKV"),
        MatrixShape(m: 512, k: 64, n: 128, role: "n16 FFN up"),
        MatrixShape(m: 512, k: 128, n: 64, role: "n16 FFN down / fact input"),
        MatrixShape(m: 2048, k: 64, n: 192, role: "n64 encoder QKV"),
        MatrixShape(m: 2048, k: 64, n: 128, role: "n64 FFN up"),
        MatrixShape(m: 2048, k: 128, n: 64, role: "n64 FFN down / fact input"),
    ]
}

/// Returns the package's multiply's GFLOP/s on a shape with a number of threads.
func measureMultiply(_ shape: MatrixShape, threads: Int, quick: Bool) -> Double {
    let a = (0..<(shape.m * shape.k)).map { Float($0 % 17) / 17 - 0.5 }
    let b = (0..<(shape.k * shape.n)).map { Float($0 % 13) / 13 - 0.5 }
    var c = [Float](repeating: 0, count: shape.m * shape.n)
    let seconds = a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                medianSecondsPerCall(samples: quick ? 3 : 5, minimumSeconds: quick ? 0.05 : 0.3) {
                    multiply(
                        .normal(a.baseAddress!, rowStride: shape.k), .normal(b.baseAddress!, rowStride: shape.n),
                        into: c.baseAddress!, cRowStride: shape.n, m: shape.m, n: shape.n, k: shape.k,
                        accumulate: false, parallelism: threads
                    )
                }
            }
        }
    }
    return 2 * Double(shape.m) * Double(shape.k) * Double(shape.n) / seconds / 1e9
}
