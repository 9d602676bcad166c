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

#if AMPLIFICATION_WIDE_VECTORS
    /// The micro-kernel's vector: 16 floats, for builds that target AVX-512 (`-Xswiftc -target-cpu -Xswiftc native
    /// -Xswiftc -DAMPLIFICATION_WIDE_VECTORS` on such a machine).
    typealias KernelVector = SIMD16<Float>
#else
    /// The micro-kernel's vector: 4 floats, the width of the default x86-64 target's registers (SSE2); Swift has no
    /// way for one build to use wider registers only where the processor has them.
    typealias KernelVector = SIMD4<Float>
#endif

/// The micro-kernel this build uses, in words, for benchmarks to print beside their figures.
#if AMPLIFICATION_WIDE_VECTORS
    package let matrixKernelDescription = "16 lanes, fused multiply-add (built with AMPLIFICATION_WIDE_VECTORS)"
#else
    package let matrixKernelDescription = "4 lanes, multiply then add (the default x86-64 target, SSE2)"
#endif

/// The blocking of the multiply, sized for 16 vector registers: 6 × 2 vectors of sums take 12, two vectors of a
/// row of B 2, and an element of A (stored already repeated across a vector) 1.
enum Tile {
    /// Rows of C per micro-kernel call.
    static let rows = 6
    /// Floats per vector.
    static let lanes = KernelVector.scalarCount
    /// Columns of C per micro-kernel call: two vectors.
    static let columns = 2 * lanes
    /// How many times each element of A is stored in a packed panel. SSE2 has no broadcast from memory (it takes
    /// a shuffle, on a port the additions need), so there each element is stored as a whole vector; AVX
    /// broadcasts from memory in a load, so there it is stored once.
    #if AMPLIFICATION_WIDE_VECTORS
        static let aCopies = 1
    #else
        static let aCopies = lanes
    #endif
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
    var panel = packed
    while panelStart < columns {
        let width = min(Tile.columns, columns - panelStart)
        if width < Tile.columns { panel.update(repeating: 0, count: depth * Tile.columns) }
        if b.isTransposed {
            // Column j of the panel is row (panelStart + j) of the stored matrix: read it contiguously.
            for j in 0..<width {
                let source = b.base + (panelStart + j) * b.rowStride + depthStart
                for p in 0..<depth { panel[p * Tile.columns + j] = source[p] }
            }
        } else if width == Tile.columns {
            // Two vectors per row: a call to memmove for so few floats would cost more than the copy.
            let vector = MemoryLayout<KernelVector>.size
            for p in 0..<depth {
                let row = UnsafeRawPointer(b.base + (depthStart + p) * b.rowStride + panelStart)
                let destination = UnsafeMutableRawPointer(panel + p * Tile.columns)
                destination.storeBytes(of: row.loadUnaligned(as: KernelVector.self), as: KernelVector.self)
                destination.storeBytes(
                    of: row.loadUnaligned(fromByteOffset: vector, as: KernelVector.self), toByteOffset: vector,
                    as: KernelVector.self
                )
            }
        } else {
            for p in 0..<depth {
                let row = b.base + (depthStart + p) * b.rowStride + panelStart
                for j in 0..<width { panel[p * Tile.columns + j] = row[j] }
            }
        }
        panelStart += Tile.columns
        panel += depth * Tile.columns
    }
}

/// Packs `rows` rows of A (from `rowStart`) over `depth` products (from `depthStart`) into panels of `Tile.rows`
/// rows, element p of row r at `(p * Tile.rows + r) * Tile.aCopies`, repeated `Tile.aCopies` times, padding with
/// zeros.
private func packRows(
    of a: MatrixOperand,
    rowStart: Int,
    rows: Int,
    depthStart: Int,
    depth: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    var panelRow = 0
    var panel = packed
    while panelRow < rows {
        let height = min(Tile.rows, rows - panelRow)
        let vectors = UnsafeMutableRawPointer(panel)
        if height < Tile.rows { panel.update(repeating: 0, count: depth * Tile.rows * Tile.aCopies) }
        @inline(__always) func put(_ value: Float, _ p: Int, _ r: Int) {
            if Tile.aCopies == 1 {
                panel[p * Tile.rows + r] = value
            } else {
                vectors.storeBytes(
                    of: KernelVector(repeating: value),
                    toByteOffset: (p * Tile.rows + r) * MemoryLayout<KernelVector>.size, as: KernelVector.self
                )
            }
        }
        if a.isTransposed {
            // Row r of the panel is column (rowStart + panelRow + r) of the stored matrix.
            for p in 0..<depth {
                let source = a.base + (depthStart + p) * a.rowStride + rowStart + panelRow
                for r in 0..<height { put(source[r], p, r) }
            }
        } else {
            for r in 0..<height {
                let source = a.base + (rowStart + panelRow + r) * a.rowStride + depthStart
                for p in 0..<depth { put(source[p], p, r) }
            }
        }
        panelRow += Tile.rows
        panel += depth * Tile.rows * Tile.aCopies
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
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: Tile.depth * Tile.blockRows * Tile.aCopies)
    defer { packedA.deallocate() }
    for block in blocks {
        let rowStart = block * Tile.blockRows
        let rows = min(Tile.blockRows, m - rowStart)
        packRows(of: a, rowStart: rowStart, rows: rows, depthStart: depthStart, depth: depth, into: packedA)
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
                aPanel += Tile.rows * depth * Tile.aCopies
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
    typealias V = KernelVector
    let size = MemoryLayout<V>.size
    @inline(__always) func element(_ panel: UnsafeRawPointer, _ row: Int) -> V {
        Tile.aCopies == 1
            ? V(repeating: panel.load(fromByteOffset: row * 4, as: Float.self))
            : panel.loadUnaligned(fromByteOffset: row * size, as: V.self)
    }
    var c00 = V()
    var c01 = V()
    var c10 = V()
    var c11 = V()
    var c20 = V()
    var c21 = V()
    var c30 = V()
    var c31 = V()
    var c40 = V()
    var c41 = V()
    var c50 = V()
    var c51 = V()
    var aPointer = UnsafeRawPointer(a)
    var bPointer = UnsafeRawPointer(b)
    for _ in 0..<depth {
        let b0 = bPointer.loadUnaligned(as: V.self)
        let b1 = bPointer.loadUnaligned(fromByteOffset: size, as: V.self)
        let a0 = element(aPointer, 0)
        multiplyAdd(&c00, a0, b0)
        multiplyAdd(&c01, a0, b1)
        let a1 = element(aPointer, 1)
        multiplyAdd(&c10, a1, b0)
        multiplyAdd(&c11, a1, b1)
        let a2 = element(aPointer, 2)
        multiplyAdd(&c20, a2, b0)
        multiplyAdd(&c21, a2, b1)
        let a3 = element(aPointer, 3)
        multiplyAdd(&c30, a3, b0)
        multiplyAdd(&c31, a3, b1)
        let a4 = element(aPointer, 4)
        multiplyAdd(&c40, a4, b0)
        multiplyAdd(&c41, a4, b1)
        let a5 = element(aPointer, 5)
        multiplyAdd(&c50, a5, b0)
        multiplyAdd(&c51, a5, b1)
        aPointer += Tile.rows * Tile.aCopies * MemoryLayout<Float>.stride
        bPointer += 2 * size
    }
    if rows == Tile.rows && columns == Tile.columns {
        let half = Tile.lanes
        store(c00, c, overwrite)
        store(c01, c + half, overwrite)
        store(c10, c + cRowStride, overwrite)
        store(c11, c + cRowStride + half, overwrite)
        store(c20, c + 2 * cRowStride, overwrite)
        store(c21, c + 2 * cRowStride + half, overwrite)
        store(c30, c + 3 * cRowStride, overwrite)
        store(c31, c + 3 * cRowStride + half, overwrite)
        store(c40, c + 4 * cRowStride, overwrite)
        store(c41, c + 4 * cRowStride + half, overwrite)
        store(c50, c + 5 * cRowStride, overwrite)
        store(c51, c + 5 * cRowStride + half, overwrite)
        return
    }
    withUnsafeTemporaryAllocation(of: V.self, capacity: 2 * Tile.rows) { sums in
        (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]) = (c00, c01, c10, c11, c20, c21)
        (sums[6], sums[7], sums[8], sums[9], sums[10], sums[11]) = (c30, c31, c40, c41, c50, c51)
        for row in 0..<rows {
            let destination = c + row * cRowStride
            for column in 0..<columns {
                let sum = sums[2 * row + column / Tile.lanes][column % Tile.lanes]
                destination[column] = overwrite ? sum : destination[column] + sum
            }
        }
    }
}

/// `sum += a * b`: a fused multiply-add in wide builds (which target processors that have one), a multiply and
/// an add otherwise (where a fused one would be a library call per lane). Either way, every build computes the
/// same thing on every run.
@inline(__always)
private func multiplyAdd(_ sum: inout KernelVector, _ a: KernelVector, _ b: KernelVector) {
    #if AMPLIFICATION_WIDE_VECTORS
        sum = sum.addingProduct(a, b)
    #else
        sum += a * b
    #endif
}

@inline(__always)
private func store(_ sum: KernelVector, _ destination: UnsafeMutablePointer<Float>, _ overwrite: Bool) {
    let raw = UnsafeMutableRawPointer(destination)
    if overwrite {
        raw.storeBytes(of: sum, as: KernelVector.self)
    } else {
        raw.storeBytes(of: raw.loadUnaligned(as: KernelVector.self) + sum, as: KernelVector.self)
    }
}
