import Foundation
import IteratedAmplification
import Testing

struct SeededRandomNumberGeneratorTests {
    @Test func matchesTheReferenceXoshiro256StarStarSequence() {
        // Reference values from an independent Python implementation of SplitMix64 seeding and xoshiro256**.
        var zero = SeededRandomNumberGenerator(seed: 0)
        #expect(
            [zero.next(), zero.next(), zero.next()]
                == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0]
        )
        var fortyTwo = SeededRandomNumberGenerator(seed: 42)
        #expect(
            [fortyTwo.next(), fortyTwo.next(), fortyTwo.next()]
                == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1]
        )
    }

    @Test func equalSeedsGiveEqualSequencesAndDifferentSeedsDiffer() {
        var first = SeededRandomNumberGenerator(seed: 7)
        var second = SeededRandomNumberGenerator(seed: 7)
        var other = SeededRandomNumberGenerator(seed: 8)
        let a = (0..<100).map { _ in first.next() }
        let b = (0..<100).map { _ in second.next() }
        let c = (0..<100).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func streamsOfOneSeedAreIndependentAndReproducible() {
        var streamZero = SeededRandomNumberGenerator(seed: 5, stream: 0)
        var streamOne = SeededRandomNumberGenerator(seed: 5, stream: 1)
        var streamOneAgain = SeededRandomNumberGenerator(seed: 5, stream: 1)
        let zero = (0..<20).map { _ in streamZero.next() }
        let one = (0..<20).map { _ in streamOne.next() }
        #expect(zero != one)
        #expect(one == (0..<20).map { _ in streamOneAgain.next() })
    }

    @Test func boundedIntegersStayInRangeAndCoverItEvenly() {
        var generator = SeededRandomNumberGenerator(seed: 11)
        var counts = Array(repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let value = generator.nextInt(below: 7)
            #expect((0..<7).contains(value))
            counts[value] += 1
        }
        // Each bucket expects 10,000; five standard deviations is about 470.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        for _ in 0..<1_000 {
            #expect((-3...3).contains(generator.nextInt(in: -3...3)))
            #expect((10..<12).contains(generator.nextInt(in: 10..<12)))
            let unit = generator.nextDouble()
            #expect(unit >= 0 && unit < 1)
        }
    }

    @Test func shuffleReturnsAPermutationAndDependsOnTheSeed() {
        var first = SeededRandomNumberGenerator(seed: 3)
        var second = SeededRandomNumberGenerator(seed: 4)
        var a = Array(0..<50)
        var b = Array(0..<50)
        first.shuffle(&a)
        second.shuffle(&b)
        #expect(a.sorted() == Array(0..<50))
        #expect(a != Array(0..<50))
        #expect(a != b)
    }

    @Test func aDecodedGeneratorContinuesTheSameSequence() throws {
        var generator = SeededRandomNumberGenerator(seed: 99)
        _ = generator.next()
        let data = try JSONEncoder().encode(generator)
        var restored = try JSONDecoder().decode(SeededRandomNumberGenerator.self, from: data)
        #expect(restored == generator)
        #expect((0..<10).map { _ in restored.next() } == (0..<10).map { _ in generator.next() })
    }

    @Test func refusesAnAllZeroOrIncompleteState() {
        let zero = #"{"word0":0,"word1":0,"word2":0,"word3":0}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SeededRandomNumberGenerator.self, from: Data(zero.utf8))
        }
        let missing = #"{"word0":1,"word1":2,"word2":3}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SeededRandomNumberGenerator.self, from: Data(missing.utf8))
        }
    }

    @Test func elementOfAnEmptyCollectionIsNil() {
        var generator = SeededRandomNumberGenerator(seed: 1)
        #expect(generator.element(of: [Int]()) == nil)
        #expect(generator.element(of: [4]) == 4)
    }
}
