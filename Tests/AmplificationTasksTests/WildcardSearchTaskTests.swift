import AmplificationTasks
import IteratedAmplification
import Testing

struct WildcardSearchTaskTests {
    @Test(arguments: [8, 20, 64], [UInt64(1), 2])
    func oracleMatchesSummingOverEveryMatchingString(size: Int, seed: UInt64) throws {
        let task = try WildcardSearchTask(size: size, seed: seed)
        #expect(task.values.filter { $0 != 0 }.count == size)
        #expect(task.values.allSatisfy { [-1, 0, 1].contains($0) })
        for question in task.questions {
            let pattern = question.pattern
            var sum = 0
            for string in 0..<(1 << task.length) {
                let matches = pattern.enumerated().allSatisfy { position, symbol in
                    let bit = (string >> position) & 1
                    switch symbol {
                    case .wildcard: return true
                    case .zero: return bit == 0
                    case .one: return bit == 1
                    }
                }
                if matches { sum += task.values[string] }
            }
            #expect(task.correctAnswer(to: question) == .value(sum), "\(question)")
        }
    }

    @Test func questionsHaveEveryPatternOnce() throws {
        let task = try WildcardSearchTask(size: 8, seed: 1)
        #expect(task.length == 4)
        #expect(task.questions.count == 81)
        #expect(Set(task.questions.map(\.description)).count == 81)
        #expect(task.correctAnswer(to: WildcardSearchTask.Question(length: 5, wildcards: 0, ones: 0)) == .unknown)
        #expect(task.correctAnswer(to: WildcardSearchTask.Question(length: 4, wildcards: 1 << 4, ones: 0)) == .unknown)
    }

    @Test func patternsRoundTripThroughTheirMasks() {
        let pattern: [WildcardSearchTask.Symbol] = [.one, .wildcard, .zero, .wildcard, .one]
        let question = WildcardSearchTask.Question(pattern: pattern)
        #expect(question.pattern == pattern)
        #expect(question.wildcardCount == 2)
        #expect(question.description == "sum over 1*0*1?")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func pureHCHAnswersEveryQuestion(seed: UInt64) async throws {
        try await TaskChecks.pureHCHAnswersEveryQuestion(try WildcardSearchTask(size: 8, seed: seed))
    }

    @Test func hchOneLevelTooShallowCannotAnswerTheHardestQuestions() async throws {
        try await TaskChecks.shallowHCHCannotAnswerTheHardestQuestions(try WildcardSearchTask(size: 8, seed: 1))
    }

    @Test(arguments: [UInt64(1), 2])
    func amplificationExtendsTheHorizonByOne(seed: UInt64) async throws {
        try await TaskChecks.amplificationExtendsTheHorizonByOne(try WildcardSearchTask(size: 8, seed: seed))
    }

    @Test func meetsTheTaskContract() async throws {
        try await TaskChecks.runAll(WildcardSearchTask.self, sizes: [8, 17], seeds: [1, 2])
    }
}
