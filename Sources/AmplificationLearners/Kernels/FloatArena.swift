/// Zeroed float buffers handed out by bumping an offset, and taken back all at once.
///
/// A training step needs a few dozen buffers of the same sizes as the step before; fresh allocations would
/// fault their pages in again each step. A run of steps shares one arena and resets it between steps. Buffers
/// from an arena are valid until its next ``reset()`` or its end.
final class FloatArena {
    private var blocks: [(base: UnsafeMutablePointer<Float>, capacity: Int)] = []
    private var block = 0
    private var used = 0

    /// The smallest block the arena allocates, in floats (4 MiB).
    static let blockSize = 1 << 20

    init() {}

    deinit {
        for block in blocks { block.base.deallocate() }
    }

    /// Returns `count` zeroed floats.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let count = max(count, 1)
        // Keep every buffer 64-byte aligned, so vectors do not straddle cache lines.
        let rounded = (count + 15) & ~15
        while block < blocks.count && used + rounded > blocks[block].capacity {
            block += 1
            used = 0
        }
        if block == blocks.count {
            let capacity = max(Self.blockSize, rounded)
            let base = UnsafeMutableRawPointer.allocate(byteCount: capacity * 4, alignment: 64)
                .bindMemory(to: Float.self, capacity: capacity)
            blocks.append((base, capacity))
            used = 0
        }
        let pointer = blocks[block].base + used
        used += rounded
        pointer.update(repeating: 0, count: count)
        return pointer
    }

    /// Takes every buffer back; their memory is reused by the next ``take(_:)``.
    func reset() {
        block = 0
        used = 0
    }
}
