// The task of the article "Writing your own task" (Documentation/AmplificationTasks.docc/WritingYourOwnTask.md),
// copied verbatim from its code blocks, and run through the checks every built-in task passes.
import AmplificationTasks
import Foundation
import IteratedAmplification
import Testing

struct RangeSumTask: AlgorithmicTask {
    struct Question: Hashable, Codable, Sendable {
        var start: Int
        var end: Int          // exclusive
    }
    typealias Answer = TaskAnswer

    static let name = "range-sum"

    let size: Int
    let seed: UInt64
    let digits: [Int]

    init(size: Int, seed: UInt64) throws {
        try Self.validate(size: size)                      // 8...64, with a clear TaskError
        var generator = SeededRandomNumberGenerator(seed: seed)
        self.size = size
        self.seed = seed
        self.digits = (0..<size).map { _ in generator.nextInt(below: 10) }
    }
}

extension RangeSumTask {
    var difficulties: ClosedRange<Int> { 0...Self.difficulty(ofLength: size) }

    var questions: [Question] {
        (0..<size).flatMap { start in (start + 1...size).map { Question(start: start, end: $0) } }
    }

    static func difficulty(ofLength length: Int) -> Int {
        length <= 1 ? 0 : Int.bitWidth - (length - 1).leadingZeroBitCount
    }

    func difficulty(of question: Question) -> Int? {
        guard 0 <= question.start, question.start < question.end, question.end <= size else { return nil }
        return Self.difficulty(ofLength: question.end - question.start)
    }

    func sampleQuestion(ofDifficulty difficulty: Int, using generator: inout SeededRandomNumberGenerator) throws
        -> Question {
        try validate(difficulty: difficulty)                // a TaskError outside `difficulties`
        let candidates = questions.filter { self.difficulty(of: $0) == difficulty }
        return candidates[generator.nextInt(below: candidates.count)]
    }

    func correctAnswer(to question: Question) -> TaskAnswer {
        guard difficulty(of: question) != nil else { return .unknown }
        return .value(digits[question.start..<question.end].reduce(0, +) % 10)
    }
}

extension RangeSumTask {
    struct Expert: Supervisor {
        let digits: [Int]

        func respond(to question: Question, consulting consultation: Consultation<Question, TaskAnswer>)
            async throws -> TaskAnswer {
            let length = question.end - question.start
            guard length >= 1, question.start >= 0, question.end <= digits.count else { return .unknown }
            if length == 1 { return .value(digits[question.start]) }      // one primitive fact
            guard consultation.canConsult else { return .unknown }
            let middle = question.start + (length + 1) / 2
            let halves = try await consultation.askAll([
                Question(start: question.start, end: middle), Question(start: middle, end: question.end),
            ])
            guard let left = halves[0].value, let right = halves[1].value else { return .unknown }
            return .value((left + right) % 10)
        }
    }

    var expert: Expert { Expert(digits: digits) }
}

extension RangeSumTask {
    struct Encoding: TaskEncoding {
        let size: Int
        var featureCardinalities: [Int] { [size, size + 1] }
        var answerClassCount: Int { 11 }                    // the digits 0...9, then unknown
        var unknownAnswer: TaskAnswer { .unknown }
        func features(of question: Question) -> [Int] {
            [min(max(question.start, 0), size - 1), min(max(question.end, 0), size)]
        }
        func answerClass(of answer: TaskAnswer) -> Int? {
            guard let value = answer.value else { return 10 }
            return (0...9).contains(value) ? value : nil
        }
        func answer(ofClass answerClass: Int) -> TaskAnswer {
            (0...9).contains(answerClass) ? .value(answerClass) : .unknown
        }
    }

    var encoding: Encoding { Encoding(size: size) }
}

struct WritingYourOwnTaskTests {
    @Test func thisFileHoldsTheArticlesCodeVerbatim() throws {
        let testFile = URL(fileURLWithPath: #filePath)
        let root = testFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let article = try String(
            contentsOf: root.appendingPathComponent("Documentation/AmplificationTasks.docc/WritingYourOwnTask.md"),
            encoding: .utf8
        )
        let source = try String(contentsOf: testFile, encoding: .utf8)
        let blocks = article.components(separatedBy: "```swift\n").dropFirst().compactMap {
            $0.components(separatedBy: "```").first
        }
        #expect(blocks.count == 4)
        for block in blocks {
            // The imports differ: the tests import Testing and Foundation too.
            let code = block.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("import ") }
                .joined(separator: "\n")
            #expect(source.contains(code.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }

    @Test func theArticlesTaskMeetsTheTaskContract() async throws {
        try await TaskChecks.runAll(RangeSumTask.self, sizes: [8, 20], seeds: [1, 2])
    }

    @Test func theArticlesExpertAnswersEveryQuestionAsPureHCH() async throws {
        try await TaskChecks.pureHCHAnswersEveryQuestion(try RangeSumTask(size: 12, seed: 3))
        try await TaskChecks.shallowHCHCannotAnswerTheHardestQuestions(try RangeSumTask(size: 12, seed: 3))
    }

    @Test func theArticlesExpertExtendsTheHorizonByOne() async throws {
        try await TaskChecks.amplificationExtendsTheHorizonByOne(try RangeSumTask(size: 12, seed: 3))
    }
}
