// Scaled dot-product attention for groups of rows: the queries of group `i` attend only to the keys and values
// of group `i` (one world's facts). Heads are column blocks of `headWidth`. Groups are shared among threads;
// each group's arithmetic runs in a fixed order, so any thread count gives the same bits.

/// The row groups and shapes of one attention computation.
struct AttentionGroups {
    /// Query rows of group `i`: `queryStarts[i]..<queryStarts[i + 1]`.
    let queryStarts: [Int]
    /// Key and value rows of group `i`: `keyStarts[i]..<keyStarts[i + 1]`.
    let keyStarts: [Int]
    /// Where group `i`'s attention probabilities start: `heads * queries * keys` of them, head-major.
    let probabilityStarts: [Int]
    let width: Int
    let heads: Int

    var groupCount: Int { queryStarts.count - 1 }
    var headWidth: Int { width / heads }
    var probabilityCount: Int { probabilityStarts[groupCount] }

    init(queryStarts: [Int], keyStarts: [Int], width: Int, heads: Int) {
        var probabilityStarts = [0]
        for group in 0..<(queryStarts.count - 1) {
            let queries = queryStarts[group + 1] - queryStarts[group]
            let keys = keyStarts[group + 1] - keyStarts[group]
            probabilityStarts.append(probabilityStarts[group] + heads * queries * keys)
        }
        self.queryStarts = queryStarts
        self.keyStarts = keyStarts
        self.probabilityStarts = probabilityStarts
        self.width = width
        self.heads = heads
    }

    /// Runs `body` for every group, the groups shared among up to `threads` threads in contiguous runs.
    func forEachGroup(threads: Int, _ body: (Int) -> Void) {
        let chunks = max(1, min(threads, groupCount))
        parallelLoop(iterations: chunks) { chunk in
            for group in (groupCount * chunk / chunks)..<(groupCount * (chunk + 1) / chunks) { body(group) }
        }
    }
}

/// Computes `attended = softmax(query · keyᵀ / √headWidth) · value` per group and head, keeping the
/// probabilities. `keyValue` holds each row's key in its first `width` columns and its value in the rest.
func attentionForward(
    _ groups: AttentionGroups,
    query: UnsafePointer<Float>,
    keyValue: UnsafePointer<Float>,
    probabilities: UnsafeMutablePointer<Float>,
    attended: UnsafeMutablePointer<Float>,
    threads: Int
) {
    let width = groups.width
    let headWidth = groups.headWidth
    let scale = 1 / Float(headWidth).squareRoot()
    groups.forEachGroup(threads: threads) { group in
        let queryStart = groups.queryStarts[group]
        let queries = groups.queryStarts[group + 1] - queryStart
        let keyStart = groups.keyStarts[group]
        let keys = groups.keyStarts[group + 1] - keyStart
        for head in 0..<groups.heads {
            let column = head * headWidth
            for queryIndex in 0..<queries {
                let row = queryStart + queryIndex
                let p = probabilities + groups.probabilityStarts[group] + (head * queries + queryIndex) * keys
                let q = query + row * width + column
                for key in 0..<keys {
                    p[key] = dot(q, keyValue + (keyStart + key) * 2 * width + column, headWidth) * scale
                }
                softmaxInPlace(p, keys)
                let output = attended + row * width + column
                output.update(repeating: 0, count: headWidth)
                for key in 0..<keys {
                    axpy(p[key], keyValue + (keyStart + key) * 2 * width + width + column, output, headWidth)
                }
            }
        }
    }
}

/// Adds the gradients of the query, key and value to `queryGradient` and `keyValueGradient`, given the gradient
/// of the attended output.
func attentionBackward(
    _ groups: AttentionGroups,
    query: UnsafePointer<Float>,
    keyValue: UnsafePointer<Float>,
    probabilities: UnsafePointer<Float>,
    attendedGradient: UnsafePointer<Float>,
    queryGradient: UnsafeMutablePointer<Float>,
    keyValueGradient: UnsafeMutablePointer<Float>,
    threads: Int
) {
    let width = groups.width
    let headWidth = groups.headWidth
    let scale = 1 / Float(headWidth).squareRoot()
    groups.forEachGroup(threads: threads) { group in
        let queryStart = groups.queryStarts[group]
        let queries = groups.queryStarts[group + 1] - queryStart
        let keyStart = groups.keyStarts[group]
        let keys = groups.keyStarts[group + 1] - keyStart
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(keys, 1)) { scores in
            let scoreGradient = scores.baseAddress!
            for head in 0..<groups.heads {
                let column = head * headWidth
                for queryIndex in 0..<queries {
                    let row = queryStart + queryIndex
                    let p = probabilities + groups.probabilityStarts[group] + (head * queries + queryIndex) * keys
                    let outputGradient = attendedGradient + row * width + column
                    var weighted: Float = 0
                    for key in 0..<keys {
                        let valueRow = (keyStart + key) * 2 * width + width + column
                        let probabilityGradient = dot(outputGradient, keyValue + valueRow, headWidth)
                        scoreGradient[key] = probabilityGradient
                        weighted += p[key] * probabilityGradient
                        axpy(p[key], outputGradient, keyValueGradient + valueRow, headWidth)
                    }
                    let q = query + row * width + column
                    let dq = queryGradient + row * width + column
                    for key in 0..<keys {
                        let keyRow = (keyStart + key) * 2 * width + column
                        let gradient = p[key] * (scoreGradient[key] - weighted) * scale
                        axpy(gradient, keyValue + keyRow, dq, headWidth)
                        axpy(gradient, q, keyValueGradient + keyRow, headWidth)
                    }
                }
            }
        }
    }
}
