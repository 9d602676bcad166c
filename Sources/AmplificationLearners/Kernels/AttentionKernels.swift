// Scaled dot-product attention for groups of rows: the queries of group `i` attend only to the keys and values
// of group `i` (one world's facts). Heads are column blocks of `headWidth`. Groups are shared among threads;
// each group's arithmetic runs in a fixed order, so any thread count gives the same bits.
//
// A group of many queries (the facts attending to each other) is a handful of small matrix products per head,
// done by the matrix kernel; a group of one query (the question) is a row of dot products, done by the vector
// kernels, where packing panels would cost more than it saves.

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

    /// One group's rows: where its queries and keys start, how many there are, and where its probabilities start.
    struct Group {
        var queryStart: Int
        var queries: Int
        var keyStart: Int
        var keys: Int
        var probabilityStart: Int
    }

    var groupCount: Int { queryStarts.count - 1 }
    var headWidth: Int { width / heads }
    /// The scores' scale, 1 / √headWidth.
    var scale: Float { 1 / Float(headWidth).squareRoot() }
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
    func forEachGroup(threads: Int, _ body: (Group) -> Void) {
        let chunks = max(1, min(threads, groupCount))
        parallelLoop(iterations: chunks) { chunk in
            for group in (groupCount * chunk / chunks)..<(groupCount * (chunk + 1) / chunks) {
                body(
                    Group(
                        queryStart: queryStarts[group], queries: queryStarts[group + 1] - queryStarts[group],
                        keyStart: keyStarts[group], keys: keyStarts[group + 1] - keyStarts[group],
                        probabilityStart: probabilityStarts[group]
                    )
                )
            }
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
    let scale = groups.scale
    groups.forEachGroup(threads: threads) { group in
        let (queryStart, queries, keyStart, keys) = (group.queryStart, group.queries, group.keyStart, group.keys)
        for head in 0..<groups.heads {
            let column = head * headWidth
            let p = probabilities + group.probabilityStart + head * queries * keys
            let keysOfHead = keyValue + keyStart * 2 * width + column
            let valuesOfHead = keysOfHead + width
            if queries >= matrixAttentionThreshold {
                // Scores = Q · Kᵀ, then a softmax per row, then the output = P · V.
                multiply(
                    .normal(query + queryStart * width + column, rowStride: width),
                    .transposed(keysOfHead, rowStride: 2 * width), into: p, cRowStride: keys, m: queries, n: keys,
                    k: headWidth, accumulate: false, parallelism: 1
                )
                for queryIndex in 0..<queries {
                    let row = p + queryIndex * keys
                    for key in 0..<keys { row[key] *= scale }
                    softmaxInPlace(row, keys)
                }
                multiply(
                    .normal(p, rowStride: keys), .normal(valuesOfHead, rowStride: 2 * width),
                    into: attended + queryStart * width + column, cRowStride: width, m: queries, n: headWidth,
                    k: keys, accumulate: false, parallelism: 1
                )
                continue
            }
            for queryIndex in 0..<queries {
                let row = queryStart + queryIndex
                let scores = p + queryIndex * keys
                let q = query + row * width + column
                for key in 0..<keys {
                    scores[key] = dot(q, keysOfHead + key * 2 * width, headWidth) * scale
                }
                softmaxInPlace(scores, keys)
                let output = attended + row * width + column
                output.update(repeating: 0, count: headWidth)
                for key in 0..<keys {
                    axpy(scores[key], valuesOfHead + key * 2 * width, output, headWidth)
                }
            }
        }
    }
}

/// Groups with at least this many queries use the matrix kernel.
let matrixAttentionThreshold = 4

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
    let scale = groups.scale
    groups.forEachGroup(threads: threads) { group in
        let (queryStart, queries, keyStart, keys) = (group.queryStart, group.queries, group.keyStart, group.keys)
        let useMatrices = queries >= matrixAttentionThreshold
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(useMatrices ? queries * keys : keys, 1)) {
            scratch in
            let scoreGradient = scratch.baseAddress!
            for head in 0..<groups.heads {
                let column = head * headWidth
                let p = probabilities + group.probabilityStart + head * queries * keys
                let keysOfHead = keyValue + keyStart * 2 * width + column
                let valuesOfHead = keysOfHead + width
                let keyGradients = keyValueGradient + keyStart * 2 * width + column
                let valueGradients = keyGradients + width
                let outputGradients = attendedGradient + queryStart * width + column
                let queriesOfHead = query + queryStart * width + column
                let queryGradients = queryGradient + queryStart * width + column
                if useMatrices {
                    // dP = dO · Vᵀ; dV += Pᵀ · dO; dS = P ⊙ (dP − rowsum(P ⊙ dP)) · scale; dQ += dS · K;
                    // dK += dSᵀ · Q.
                    multiply(
                        .normal(outputGradients, rowStride: width), .transposed(valuesOfHead, rowStride: 2 * width),
                        into: scoreGradient, cRowStride: keys, m: queries, n: keys, k: headWidth,
                        accumulate: false, parallelism: 1
                    )
                    multiply(
                        .transposed(p, rowStride: keys), .normal(outputGradients, rowStride: width),
                        into: valueGradients, cRowStride: 2 * width, m: keys, n: headWidth, k: queries,
                        accumulate: true, parallelism: 1
                    )
                    for queryIndex in 0..<queries {
                        let probabilityRow = p + queryIndex * keys
                        let gradientRow = scoreGradient + queryIndex * keys
                        var weighted: Float = 0
                        for key in 0..<keys { weighted += probabilityRow[key] * gradientRow[key] }
                        for key in 0..<keys {
                            gradientRow[key] = probabilityRow[key] * (gradientRow[key] - weighted) * scale
                        }
                    }
                    multiply(
                        .normal(scoreGradient, rowStride: keys), .normal(keysOfHead, rowStride: 2 * width),
                        into: queryGradients, cRowStride: width, m: queries, n: headWidth, k: keys,
                        accumulate: true, parallelism: 1
                    )
                    multiply(
                        .transposed(scoreGradient, rowStride: keys), .normal(queriesOfHead, rowStride: width),
                        into: keyGradients, cRowStride: 2 * width, m: keys, n: headWidth, k: queries,
                        accumulate: true, parallelism: 1
                    )
                    continue
                }
                for queryIndex in 0..<queries {
                    let probabilityRow = p + queryIndex * keys
                    let outputGradient = outputGradients + queryIndex * width
                    var weighted: Float = 0
                    for key in 0..<keys {
                        let probabilityGradient = dot(outputGradient, valuesOfHead + key * 2 * width, headWidth)
                        scoreGradient[key] = probabilityGradient
                        weighted += probabilityRow[key] * probabilityGradient
                        axpy(probabilityRow[key], outputGradient, valueGradients + key * 2 * width, headWidth)
                    }
                    let q = queriesOfHead + queryIndex * width
                    let dq = queryGradients + queryIndex * width
                    for key in 0..<keys {
                        let gradient = probabilityRow[key] * (scoreGradient[key] - weighted) * scale
                        axpy(gradient, keysOfHead + key * 2 * width, dq, headWidth)
                        axpy(gradient, q, keyGradients + key * 2 * width, headWidth)
                    }
                }
            }
        }
    }
}
