import Testing

@testable import IteratedAmplification

/// The filter that ends most cycle checks before they walk the ancestors: it must never miss a hash on the path,
/// and should let few others through.
struct PathFilterTests {
    @Test func everyAddedHashIsReportedAndFewOthersAre() {
        var generator = SeededRandomNumberGenerator(seed: 2018)
        var filter = PathFilter()
        var path: Set<Int> = []
        // A path of 15 questions, as deep as a binary tree over 10,000 leaves.
        for _ in 0..<15 {
            let hash = Int(truncatingIfNeeded: generator.next())
            path.insert(hash)
            filter = filter.adding(hash)
        }
        for hash in path { #expect(filter.mayContain(hash)) }
        var passed = 0
        let others = 10_000
        for _ in 0..<others {
            let hash = Int(truncatingIfNeeded: generator.next())
            if !path.contains(hash), filter.mayContain(hash) { passed += 1 }
        }
        // Two bits in 128 for 15 hashes let about 4 % through; one bit in 64 let about 21 % through.
        #expect(passed < others / 10)
    }

    @Test func anEmptyFilterReportsNothingAndAddingLeavesTheOriginalAsItWas() {
        let empty = PathFilter()
        var generator = SeededRandomNumberGenerator(seed: 7)
        for _ in 0..<1_000 { #expect(!empty.mayContain(Int(truncatingIfNeeded: generator.next()))) }
        let one = empty.adding(42)
        #expect(one.mayContain(42))
        #expect(!empty.mayContain(42))
        // Both halves of the 128 bits are used: hashes whose bits fall in either half are found.
        for hash in [0, 63, 64, 127, 63 << 7, 64 << 7, 127 << 7, -1, Int.min, Int.max] {
            #expect(empty.adding(hash).mayContain(hash))
        }
    }
}
