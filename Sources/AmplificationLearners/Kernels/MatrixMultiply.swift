// C = op(A) · op(B), single precision, row-major, in the shape of a BLAS sgemm: B is packed into panels of
// `Tile.columns` columns and A into panels of `Tile.rows` rows, for a block of `Tile.depth` products at a time,
// and a register-blocked micro-kernel multiplies one pair of panels. Rows of C are shared among threads.
//
// Determinism: every element of C is computed by the same sequence of operations whatever the thread count, the
// tile it falls in, or whether it lies on an edge: the sum over each depth block starts at zero and runs in
// order, and the blocks are added to C in order. So results are bit-identical for any `parallelism`.

/// A matrix operand: where its elements are and how to read element (row, column) of the logical matrix.
package struct MatrixOperand {
    /// The first element.
    var base: UnsafePointer<Float>
    /// The distance between consecutive rows of the stored matrix.
    var rowStride: Int
    /// Whether the logical matrix is the transpose of the stored one.
    var isTransposed: Bool

    /// The stored matrix as it is.
    package static func normal(_ base: UnsafePointer<Float>, rowStride: Int) -> Self {
        Self(base: base, rowStride: rowStride, isTransposed: false)
    }

    /// The transpose of the stored matrix.
    package static func transposed(_ base: UnsafePointer<Float>, rowStride: Int) -> Self {
        Self(base: base, rowStride: rowStride, isTransposed: true)
    }

    @inline(__always)
    func element(_ row: Int, _ column: Int) -> Float {
        isTransposed ? base[column * rowStride + row] : base[row * rowStride + column]
    }
}

/// The blocking of the multiply, sized for 16 vector registers of 8 floats (AVX2) or 32 of 16 (AVX-512).
enum Tile {
    /// Rows of C per micro-kernel call.
    static let rows = 6
    /// Columns of C per micro-kernel call: one `SIMD16<Float>`.
    static let columns = 16
    /// Products summed per pass over a block of C: the packed panels stay in the first two cache levels.
    static let depth = 256
    /// Rows of A packed at a time by one thread.
    static let blockRows = 96
}

/// Below this many multiply-adds a second thread costs more than it saves.
let parallelMultiplyThreshold = 1 << 18

/// Computes `C = op(A) · op(B)`, or `C += op(A) · op(B)` when `accumulate` is true.
///
/// - Parameters:
///   - a: The left operand, `m` by `k` as read.
///   - b: The right operand, `k` by `n` as read.
///   - c: The result, `m` by `n`, rows `cRowStride` apart.
///   - parallelism: How many threads may share the work; any count gives the same bits.
package func multiply(
    _ a: MatrixOperand,
    _ b: MatrixOperand,
    into c: UnsafeMutablePointer<Float>,
    cRowStride: Int,
    m: Int,
    n: Int,
    k: Int,
    accumulate: Bool,
    parallelism: Int
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate {
            for row in 0..<m { (c + row * cRowStride).update(repeating: 0, count: n) }
        }
        return
    }
    let paddedColumns = (n + Tile.columns - 1) / Tile.columns * Tile.columns
    let packedB = UnsafeMutablePointer<Float>.allocate(capacity: Tile.depth * paddedColumns)
    defer { packedB.deallocate() }
    let rowBlocks = (m + Tile.blockRows - 1) / Tile.blockRows
    let threads = m * n * k >= parallelMultiplyThreshold ? max(1, min(parallelism, rowBlocks)) : 1

    var depthStart = 0
    while depthStart < k {
        let depth = min(Tile.depth, k - depthStart)
        let overwrite = !accumulate && depthStart == 0
        packPanels(of: b, depthStart: depthStart, depth: depth, columns: n, into: packedB)
        let packed = UnsafePointer(packedB)
        let blockStart = depthStart
        parallelLoop(iterations: threads) { thread in
            let blocks = (rowBlocks * thread / threads)..<(rowBlocks * (thread + 1) / threads)
            multiplyRowBlocks(
                blocks, a, packed, c, cRowStride, m: m, n: n, depthStart: blockStart, depth: depth,
                overwrite: overwrite
            )
        }
        depthStart += depth
    }
}

/// Packs `depth` rows of B (from `depthStart`) into panels of `Tile.columns` columns, padding with zeros.
private func packPanels(
    of b: MatrixOperand,
    depthStart: Int,
    depth: Int,
    columns: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    var panelStart = 0
    var destination = packed
    while panelStart < columns {
        let width = min(Tile.columns, columns - panelStart)
        for p in 0..<depth {
            let row = depthStart + p
            if !b.isTransposed && width == Tile.columns {
                destination.update(from: b.base + row * b.rowStride + panelStart, count: Tile.columns)
            } else {
                for j in 0..<width { destination[j] = b.element(row, panelStart + j) }
                for j in width..<Tile.columns { destination[j] = 0 }
            }
            destination += Tile.columns
        }
        panelStart += Tile.columns
    }
}

/// Multiplies the given blocks of `Tile.blockRows` rows of A by the packed panels of B into C.
private func multiplyRowBlocks(
    _ blocks: Range<Int>,
    _ a: MatrixOperand,
    _ packedB: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>,
    _ cRowStride: Int,
    m: Int,
    n: Int,
    depthStart: Int,
    depth: Int,
    overwrite: Bool
) {
    guard !blocks.isEmpty else { return }
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: Tile.depth * Tile.blockRows)
    defer { packedA.deallocate() }
    for block in blocks {
        let rowStart = block * Tile.blockRows
        let rows = min(Tile.blockRows, m - rowStart)
        // Pack the block's rows into panels of `Tile.rows`, element p of row r at p * Tile.rows + r.
        var panelRow = 0
        var destination = packedA
        while panelRow < rows {
            let height = min(Tile.rows, rows - panelRow)
            for p in 0..<depth {
                for r in 0..<height { destination[r] = a.element(rowStart + panelRow + r, depthStart + p) }
                for r in height..<Tile.rows { destination[r] = 0 }
                destination += Tile.rows
            }
            panelRow += Tile.rows
        }
        var columnStart = 0
        var bPanel = packedB
        while columnStart < n {
            let width = min(Tile.columns, n - columnStart)
            var rowInBlock = 0
            var aPanel = UnsafePointer(packedA)
            while rowInBlock < rows {
                let height = min(Tile.rows, rows - rowInBlock)
                microKernel(
                    depth: depth, aPanel, bPanel, c + (rowStart + rowInBlock) * cRowStride + columnStart,
                    cRowStride, rows: height, columns: width, overwrite: overwrite
                )
                rowInBlock += Tile.rows
                aPanel += Tile.rows * depth
            }
            columnStart += Tile.columns
            bPanel += Tile.columns * depth
        }
    }
}

/// Multiplies a panel of `Tile.rows` rows by a panel of `Tile.columns` columns over `depth` products, and writes
/// (or adds) the `rows` by `columns` corner that lies inside C.
@inline(__always)
private func microKernel(
    depth: Int,
    _ a: UnsafePointer<Float>,
    _ b: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>,
    _ cRowStride: Int,
    rows: Int,
    columns: Int,
    overwrite: Bool
) {
    var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
    var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
    var aPointer = a
    var bPointer = UnsafeRawPointer(b)
    for _ in 0..<depth {
        let bs = bPointer.loadUnaligned(as: SIMD16<Float>.self)
        c0 += SIMD16(repeating: aPointer[0]) * bs
        c1 += SIMD16(repeating: aPointer[1]) * bs
        c2 += SIMD16(repeating: aPointer[2]) * bs
        c3 += SIMD16(repeating: aPointer[3]) * bs
        c4 += SIMD16(repeating: aPointer[4]) * bs
        c5 += SIMD16(repeating: aPointer[5]) * bs
        aPointer += Tile.rows
        bPointer += Tile.columns * MemoryLayout<Float>.stride
    }
    if rows == Tile.rows && columns == Tile.columns {
        store(c0, c, overwrite)
        store(c1, c + cRowStride, overwrite)
        store(c2, c + 2 * cRowStride, overwrite)
        store(c3, c + 3 * cRowStride, overwrite)
        store(c4, c + 4 * cRowStride, overwrite)
        store(c5, c + 5 * cRowStride, overwrite)
        return
    }
    withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: Tile.rows) { sums in
        sums[0] = c0
        sums[1] = c1
        sums[2] = c2
        sums[3] = c3
        sums[4] = c4
        sums[5] = c5
        for row in 0..<rows {
            let destination = c + row * cRowStride
            for column in 0..<columns {
                destination[column] = overwrite ? sums[row][column] : destination[column] + sums[row][column]
            }
        }
    }
}

@inline(__always)
private func store(_ sum: SIMD16<Float>, _ destination: UnsafeMutablePointer<Float>, _ overwrite: Bool) {
    let raw = UnsafeMutableRawPointer(destination)
    if overwrite {
        raw.storeBytes(of: sum, as: SIMD16<Float>.self)
    } else {
        raw.storeBytes(of: raw.loadUnaligned(as: SIMD16<Float>.self) + sum, as: SIMD16<Float>.self)
    }
}
