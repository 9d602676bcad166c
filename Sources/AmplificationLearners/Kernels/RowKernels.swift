import Foundation

// The row-wise pieces of the attention model, fused so that each row is read once or twice: layer
// normalisation forward and backward, the rectifier, column sums (bias gradients) and a softmax. Every loop
// runs in a fixed order, so results are bit-identical from run to run.

/// The layer normalisation's guard against a row of equal values.
let layerNormEpsilon: Float = 1e-5

/// Normalises each of `rows` rows of `width` to zero mean and unit variance (`normalized`), then scales and
/// shifts it (`output = normalized * gain + bias`); keeps each row's reciprocal standard deviation for the
/// backward pass.
func layerNormForward(
    _ input: UnsafePointer<Float>,
    rows: Int,
    width: Int,
    gain: UnsafePointer<Float>,
    bias: UnsafePointer<Float>,
    normalized: UnsafeMutablePointer<Float>,
    output: UnsafeMutablePointer<Float>,
    reciprocalDeviation: UnsafeMutablePointer<Float>
) {
    let scale = 1 / Float(width)
    for row in 0..<rows {
        let x = input + row * width
        var sum: Float = 0
        for column in 0..<width { sum += x[column] }
        let mean = sum * scale
        var squares: Float = 0
        for column in 0..<width {
            let centered = x[column] - mean
            squares += centered * centered
        }
        let reciprocal = 1 / (squares * scale + layerNormEpsilon).squareRoot()
        reciprocalDeviation[row] = reciprocal
        let n = normalized + row * width
        let y = output + row * width
        for column in 0..<width {
            let value = (x[column] - mean) * reciprocal
            n[column] = value
            y[column] = value * gain[column] + bias[column]
        }
    }
}

/// Adds the layer normalisation's input gradient to `inputGradient`, and its gain and bias gradients to
/// `gainGradient` and `biasGradient`, given the output gradient.
func layerNormBackward(
    _ outputGradient: UnsafePointer<Float>,
    rows: Int,
    width: Int,
    normalized: UnsafePointer<Float>,
    reciprocalDeviation: UnsafePointer<Float>,
    gain: UnsafePointer<Float>,
    gainGradient: UnsafeMutablePointer<Float>,
    biasGradient: UnsafeMutablePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>
) {
    let scale = 1 / Float(width)
    for row in 0..<rows {
        let dy = outputGradient + row * width
        let n = normalized + row * width
        var meanGradient: Float = 0
        var meanProjection: Float = 0
        for column in 0..<width {
            let normalizedGradient = dy[column] * gain[column]
            meanGradient += normalizedGradient
            meanProjection += normalizedGradient * n[column]
            gainGradient[column] += dy[column] * n[column]
            biasGradient[column] += dy[column]
        }
        meanGradient *= scale
        meanProjection *= scale
        let reciprocal = reciprocalDeviation[row]
        let dx = inputGradient + row * width
        for column in 0..<width {
            let normalizedGradient = dy[column] * gain[column]
            dx[column] += reciprocal * (normalizedGradient - meanGradient - n[column] * meanProjection)
        }
    }
}

/// Adds `bias` to each of `rows` rows of `width`.
func addBias(_ bias: UnsafePointer<Float>, to matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
    for row in 0..<rows { add(bias, matrix + row * width, width) }
}

/// Adds each column's sum over `rows` rows of `width` to `sums`.
func addColumnSums(of matrix: UnsafePointer<Float>, rows: Int, width: Int, to sums: UnsafeMutablePointer<Float>) {
    for row in 0..<rows { add(matrix + row * width, sums, width) }
}

/// Writes the rectified linear unit of `count` elements of `input` to `output`.
func rectifyForward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ count: Int) {
    for index in 0..<count { output[index] = max(input[index], 0) }
}

/// Zeroes the gradient where the rectifier's input was not positive.
func rectifyBackward(_ preActivation: UnsafePointer<Float>, _ gradient: UnsafeMutablePointer<Float>, _ count: Int) {
    for index in 0..<count where preActivation[index] <= 0 { gradient[index] = 0 }
}

/// Replaces `count` logits by their softmax, in place, and returns the log of their normaliser (for the loss).
@discardableResult
func softmaxInPlace(_ values: UnsafeMutablePointer<Float>, _ count: Int) -> Float {
    var maximum = -Float.infinity
    for index in 0..<count { maximum = max(maximum, values[index]) }
    var sum: Float = 0
    for index in 0..<count {
        let value = expf(values[index] - maximum)
        values[index] = value
        sum += value
    }
    let reciprocal = 1 / sum
    for index in 0..<count { values[index] *= reciprocal }
    return maximum + logf(sum)
}
