import AmplificationTasks
import IteratedAmplification
import Testing

struct PermutationPoweringTaskTests {
    @Test(arguments: [8, 13, 64], [UInt64(1), 2])
    func oracleMatchesApplyingSigmaRepeatedly(size: Int, seed: UInt64) throws {
        let task = try PermutationPoweringTask(size: size, seed: seed)
        #expect(task.permutation.sorted() == Array(0..<size))
        #expect(task.exponentBits == String(size - 1, radix: 2).count)
        for question in task.questions {
            var element = question.element
            for _ in 0..<question.exponent { element = task.permutation[element] }
            #expect(task.correctAnswer(to: question) == .value(element))
        }
        #expect(task.correctAnswer(to: .init(element: size, exponent: 1)) == .unknown)
        #expect(task.correctAnswer(to: .init(element: 0, exponent: 0)) == .unknown)
        #expect(task.correctAnswer(to: .init(element: 0, exponent: 1 << task.exponentBits)) == .unknown)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func pureHCHAnswersEveryQuestion(seed: UInt64) async throws {
        try await TaskChecks.pureHCHAnswersEveryQuestion(try PermutationPoweringTask(size: 9, seed: seed))
    }

    @Test func hchOneLevelTooShallowCannotAnswerTheHardestQuestions() async throws {
        try await TaskChecks.shallowHCHCannotAnswerTheHardestQuestions(try PermutationPoweringTask(size: 9, seed: 1))
    }

    @Test(arguments: [UInt64(1), 2])
    func amplificationExtendsTheHorizonByOne(seed: UInt64) async throws {
        try await TaskChecks.amplificationExtendsTheHorizonByOne(try PermutationPoweringTask(size: 9, seed: seed))
    }

    @Test func difficultyIsTheBitLengthOfTheExponent() throws {
        let task = try PermutationPoweringTask(size: 64, seed: 1)
        #expect(task.difficulties == 1...6)
        #expect(task.difficulty(of: .init(element: 3, exponent: 1)) == 1)
        #expect(task.difficulty(of: .init(element: 3, exponent: 5)) == 3)
        #expect(task.difficulty(of: .init(element: 3, exponent: 63)) == 6)
        #expect(task.difficulty(of: .init(element: 64, exponent: 1)) == nil)
    }

    @Test func meetsTheTaskContract() async throws {
        try await TaskChecks.runAll(PermutationPoweringTask.self, sizes: [8, 21], seeds: [1, 2])
    }
}
