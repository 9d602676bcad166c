import Synchronization

/// Zeroed float buffers handed out by bumping an offset, and taken back all at once.
///
/// A training step needs a few dozen buffers of the same sizes as the step before; fresh allocations would
/// fault their pages in again each step. A run of steps shares one arena and resets it between steps. Buffers
/// from an arena are valid until its next ``reset()`` or its end.
///
/// Unchecked `Sendable` so that a ``FloatArenaPool`` can hand an arena from one pass to the next: one pass at a
/// time uses an arena, and a pass never shares its arena with another.
final class FloatArena: @unchecked Sendable {
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

/// Arenas kept from one pass to the next, so that a model answering or training many small batches reuses its
/// buffers instead of allocating a block per pass.
///
/// Why: each new arena allocates blocks of at least ``FloatArena/blockSize`` floats. With glibc, freeing such a
/// block raises the threshold above which allocations are mapped afresh, so later blocks come from the heap, and
/// a process making thousands of passes per second (a learned supervisor predicting one token at a time, say)
/// grew to gigabytes of freed but unreturned memory. Reused arenas keep a pass's memory at its high-water mark.
final class FloatArenaPool: Sendable {
    /// The most idle arenas kept: enough for the passes that run at once on a few cores.
    static let idleLimit = 4

    private let idle = Mutex<[FloatArena]>([])

    init() {}

    /// Runs `body` with an arena of its own, reset, and keeps the arena for a later pass.
    func withArena<Result>(_ body: (FloatArena) throws -> Result) rethrows -> Result {
        let arena = idle.withLock { $0.popLast() } ?? FloatArena()
        defer {
            arena.reset()
            idle.withLock { idle in
                if idle.count < Self.idleLimit { idle.append(arena) }
            }
        }
        return try body(arena)
    }
}
