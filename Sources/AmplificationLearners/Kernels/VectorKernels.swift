// The inner loops of the network, on raw pointers and 8-wide SIMD. Floating-point addition is not
// associative, so the compiler will not vectorise a reduction by itself: `dot` keeps eight partial sums.
// Every kernel visits elements in a fixed order, so results are bit-identical from run to run.

/// Adds `alpha * x` to `y`, element by element, for `count` elements.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    var index = 0
    let scale = SIMD8<Float>(repeating: alpha)
    while index + 8 <= count {
        let xs = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
        let ys = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + index).storeBytes(of: ys + scale * xs, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        y[index] += alpha * x[index]
        index += 1
    }
}

/// Adds `x` to `y`, element by element, for `count` elements.
@inline(__always)
func add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    var index = 0
    while index + 8 <= count {
        let xs = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
        let ys = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + index).storeBytes(of: ys + xs, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        y[index] += x[index]
        index += 1
    }
}

/// Returns the dot product of `x` and `y` over `count` elements.
@inline(__always)
func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
    var index = 0
    var partial = SIMD8<Float>(repeating: 0)
    while index + 8 <= count {
        let xs = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
        let ys = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
        partial += xs * ys
        index += 8
    }
    var sum = partial.sum()
    while index < count {
        sum += x[index] * y[index]
        index += 1
    }
    return sum
}

/// Replaces every negative element by 0 (the rectified linear unit), for `count` elements.
@inline(__always)
func rectify(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
    for index in 0..<count where x[index] < 0 {
        x[index] = 0
    }
}
