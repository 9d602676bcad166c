/// 128 bytes of nothing, to keep the stored properties on either side off each other's cache lines.
///
/// 128 rather than 64: x86 processors fetch cache lines in adjacent pairs, so lines 64 bytes apart still interfere.
@usableFromInline
struct CacheLinePadding: Sendable {
    @usableFromInline let words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    @usableFromInline let moreWords: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    @inlinable
    init() {
        words = (0, 0, 0, 0, 0, 0, 0, 0)
        moreWords = (0, 0, 0, 0, 0, 0, 0, 0)
    }
}
