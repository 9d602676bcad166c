/// The 64-bit FNV-1a hash: a fingerprint of bytes that is the same in every process and on every platform, as
/// Swift's `Hasher`, seeded afresh in each process, is not. For checksums in files and fingerprints in results.
package struct FNV1aHash {
    /// The hash of the bytes combined so far.
    package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    package init() {}

    /// Mixes one byte in.
    @inline(__always)
    package mutating func combine(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01b3
    }

    /// Mixes bytes in, in order.
    package mutating func combine(bytes: some Sequence<UInt8>) {
        for byte in bytes { combine(byte) }
    }

    /// Mixes an integer in, as its eight bytes, least significant first.
    package mutating func combine(_ integer: Int64) {
        let bits = UInt64(bitPattern: integer)
        for shift in stride(from: 0, to: 64, by: 8) { combine(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }
}
