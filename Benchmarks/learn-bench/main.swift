import AmplificationLearners
import Foundation

func gflops(_ n: Int, threads: Int) -> Double {
    let a = (0..<n*n).map { Float($0 % 7) * 0.1 }
    let b = (0..<n*n).map { Float($0 % 5) * 0.1 }
    var c = [Float](repeating: 0, count: n*n)
    let reps = max(2, 200_000_000 / (n*n*n))
    func once() { a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
        multiply(.normal(ap.baseAddress!, rowStride: n), .normal(bp.baseAddress!, rowStride: n), into: cp.baseAddress!, cRowStride: n, m: n, n: n, k: n, accumulate: false, parallelism: threads)
    }}}}
    once()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<reps { once() }
    let s = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(reps)
    return 2 * Double(n*n*n) / s / 1e9
}
for n in [256, 512, 1024] { for t in [1, 2] { print(n, t, gflops(n, threads: t)) } }
