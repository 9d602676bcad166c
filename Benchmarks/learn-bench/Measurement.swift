import Dispatch

/// Times a body: one discarded warm-up call, then `samples` samples, each repeating the body until at least
/// `minimumSeconds` have passed; returns the median seconds per call.
func medianSecondsPerCall(samples: Int, minimumSeconds: Double, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var perCall: [Double] = []
    for _ in 0..<samples {
        var calls = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            try body()
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        perCall.append(elapsed / Double(calls))
    }
    return perCall.sorted()[perCall.count / 2]
}
