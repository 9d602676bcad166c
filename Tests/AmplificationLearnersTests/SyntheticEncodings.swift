import IteratedAmplification

@testable import AmplificationLearners

/// A question of the synthetic tasks: a few small integers.
struct TupleQuestion: Hashable, Sendable, CustomStringConvertible {
    var values: [Int]

    init(_ values: Int...) {
        self.values = values
    }

    init(values: [Int]) {
        self.values = values
    }

    var description: String { "(" + values.map(String.init).joined(separator: ", ") + ")" }
}

/// An answer of the synthetic tasks: a class, or unknown (`nil`).
typealias SyntheticAnswer = Int?

/// Encodes tuples of integers as their own features, and answers as their own classes; `nil` is unknown.
///
/// It passes features through unchecked, so a test can hand a learner features of the wrong count or range.
struct TupleEncoding: TaskEncoding {
    var featureCardinalities: [Int]
    var answerClassCount: Int

    var unknownAnswer: SyntheticAnswer { nil }

    func features(of question: TupleQuestion) -> [Int] { question.values }

    func answerClass(of answer: SyntheticAnswer) -> Int? { answer }

    func answer(ofClass answerClass: Int) -> SyntheticAnswer { answerClass }
}

/// The synthetic tasks, with their exact answers computed directly.
enum SyntheticTask {
    /// Every pair `(a, b)` with `a, b` in `0..<size`.
    static func allPairs(size: Int) -> [TupleQuestion] {
        (0..<size).flatMap { a in (0..<size).map { b in TupleQuestion(a, b) } }
    }

    /// A random lookup table over pairs: each pair's answer is drawn independently from `classCount` classes,
    /// so nothing can be learned but the table itself.
    static func randomTable(size: Int, classCount: Int, seed: UInt64) -> [TupleQuestion: Int] {
        var generator = SeededRandomNumberGenerator(seed: seed)
        var table: [TupleQuestion: Int] = [:]
        for question in allPairs(size: size) {
            table[question] = generator.nextInt(below: classCount)
        }
        return table
    }

    /// The comparison of `a` with `b`: class 0 when `a < b`, 1 when equal, 2 when `a > b`.
    static func comparison(_ question: TupleQuestion) -> Int {
        let (a, b) = (question.values[0], question.values[1])
        return a < b ? 0 : (a == b ? 1 : 2)
    }

    /// `(a + b) mod modulus`.
    static func sumModulo(_ question: TupleQuestion, modulus: Int) -> Int {
        (question.values[0] + question.values[1]) % modulus
    }

    /// Splits questions into a training part and a held-out part by a seeded shuffle.
    static func split(
        _ questions: [TupleQuestion],
        trainingFraction: Double,
        seed: UInt64
    ) -> (training: [TupleQuestion], heldOut: [TupleQuestion]) {
        var shuffled = questions
        var generator = SeededRandomNumberGenerator(seed: seed)
        shuffled.shuffle(using: &generator)
        let count = Int(Double(questions.count) * trainingFraction)
        return (Array(shuffled[..<count]), Array(shuffled[count...]))
    }

    /// Demonstrations of questions answered by a function.
    static func demonstrations(
        _ questions: [TupleQuestion],
        answer: (TupleQuestion) -> Int
    ) -> [Demonstration<TupleQuestion, SyntheticAnswer>] {
        questions.map { Demonstration(question: $0, answer: answer($0)) }
    }

    /// The fraction of questions an assistant answers as a function does.
    static func accuracy<A: Assistant>(
        of assistant: A,
        on questions: [TupleQuestion],
        answer: (TupleQuestion) -> Int
    ) async throws -> Double where A.Question == TupleQuestion, A.Answer == SyntheticAnswer {
        var correct = 0
        for question in questions where try await assistant.answer(question) == answer(question) {
            correct += 1
        }
        return Double(correct) / Double(questions.count)
    }
}
