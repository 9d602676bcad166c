public import IteratedAmplification

/// A type that defines one algorithmic task of Iterated Amplification: a world of facts, questions graded by
/// difficulty, an exact oracle, a weak expert H, and an encoding for learners.
///
/// A value of a conforming type is one world, generated from a seed and a size. The amplification loop and
/// `ida-bench` drive any task through this protocol:
///
/// - ``sampleQuestion(ofDifficulty:using:)`` draws questions for a curriculum;
/// - ``expert`` is H, the `Supervisor` that Amp(H, X) runs at each node;
/// - ``encoding`` presents questions and answers to a learner;
/// - ``correctAnswer(to:)`` is the oracle, for evaluation and for supervised baselines only.
///
/// ## The contract of H and the difficulties
///
/// The expert reads at most a few primitive facts of the world at one node and otherwise asks subquestions. It
/// answers the task's "unknown" answer when a subanswer it needs is unusable, and it is *sound*: when every
/// subanswer is correct or unknown in the way described next, its answer is correct or unknown, never wrong.
///
/// Difficulties are small integers in ``difficulties``, and they measure how many rounds of amplification a
/// question needs. If an assistant answers every question of difficulty at most `d` correctly and every harder
/// question "unknown", then Amp(H, X) with depth 1 answers every question of difficulty `d + 1` correctly (and
/// harder ones correctly or "unknown"). The questions of the lowest difficulty need no help at all. So pure HCH
/// with depth at least the number of difficulties answers every question correctly, and each round of
/// amplification and distillation can extend the horizon by one difficulty.
///
/// Experts that compare candidates (shortest path, union find) also ask about harder questions, such as a
/// neighbour that lies farther from the goal, and rely on the assistant answering those "unknown" rather than
/// guessing. A learner says "unknown" where it was taught to: draw training questions from every difficulty,
/// not only up to the horizon (Amp(H, X) answers "unknown" beyond its reach, which is the lesson), and start
/// from an assistant that answers "unknown" to everything.
///
/// ## Reproducibility
///
/// Every random choice comes from a `SeededRandomNumberGenerator`: equal sizes and seeds give equal worlds,
/// and equal generator states give equal samples.
public protocol AlgorithmicTask<Question, Answer>: Sendable {
    /// The type of the task's questions.
    associatedtype Question: Hashable & Codable & Sendable
    /// The type of the task's answers.
    associatedtype Answer: Hashable & Codable & Sendable
    /// The type of the weak expert H.
    associatedtype Expert: Supervisor where Expert.Question == Question, Expert.Answer == Answer
    /// The type of the encoding for learners.
    associatedtype Encoding: TaskEncoding where Encoding.Question == Question, Encoding.Answer == Answer

    /// The task's name on the command line and in reports, in kebab case, such as `permutation-powering`.
    static var name: String { get }

    /// The sizes a world may have.
    static var sizes: ClosedRange<Int> { get }

    /// Creates a world of a size from a seed.
    ///
    /// - Parameters:
    ///   - size: The number of elements of the world (variables, vertices, strings); in ``sizes``.
    ///   - seed: The seed of every random choice of the world.
    /// - Throws: ``TaskError`` with code ``TaskError/Code/sizeOutOfRange`` when `size` is not in ``sizes``.
    init(size: Int, seed: UInt64) throws

    /// The number of elements of the world.
    var size: Int { get }

    /// The seed the world was generated from.
    var seed: UInt64 { get }

    /// The difficulties of this world's questions, from those H answers alone to the hardest.
    ///
    /// Every difficulty in the range has at least one question.
    var difficulties: ClosedRange<Int> { get }

    /// Every question of this world, in a fixed order.
    var questions: [Question] { get }

    /// Returns a question's difficulty, or `nil` when the question does not belong to this world.
    ///
    /// - Parameter question: A question.
    func difficulty(of question: Question) -> Int?

    /// Returns a question of a difficulty, chosen at random.
    ///
    /// - Parameters:
    ///   - difficulty: A difficulty in ``difficulties``.
    ///   - generator: The source of randomness; equal states give equal questions.
    /// - Returns: A question whose ``difficulty(of:)`` is `difficulty`.
    /// - Throws: ``TaskError`` with code ``TaskError/Code/difficultyOutOfRange`` when `difficulty` is not in
    ///   ``difficulties``.
    func sampleQuestion(ofDifficulty difficulty: Int, using generator: inout SeededRandomNumberGenerator) throws
        -> Question

    /// Returns the correct answer to a question: the oracle.
    ///
    /// The amplification arm of an experiment never calls it; evaluation and supervised baselines do.
    /// A question that does not belong to this world gets the unknown answer.
    ///
    /// - Parameter question: A question.
    func correctAnswer(to question: Question) -> Answer

    /// The weak expert H of this world, as a supervisor.
    var expert: Expert { get }

    /// The encoding of this world's questions and answers for learners.
    var encoding: Encoding { get }
}

extension AlgorithmicTask {
    /// The sizes of the 2018 experiments: 8 to 64 elements.
    public static var sizes: ClosedRange<Int> { 8...64 }

    /// The task's name; the same as the type's ``name``.
    public var name: String { Self.name }

    /// Returns questions of a difficulty, chosen at random and independently.
    ///
    /// - Parameters:
    ///   - count: How many questions.
    ///   - difficulty: A difficulty in ``difficulties``.
    ///   - generator: The source of randomness.
    /// - Throws: ``TaskError`` when `difficulty` is not in ``difficulties`` or `count` is negative.
    public func sampleQuestions(
        count: Int,
        ofDifficulty difficulty: Int,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> [Question] {
        guard count >= 0 else {
            throw TaskError(
                code: .invalidArgument,
                task: Self.name,
                message: "count must not be negative, not \(count)"
            )
        }
        var questions: [Question] = []
        questions.reserveCapacity(count)
        for _ in 0..<count { questions.append(try sampleQuestion(ofDifficulty: difficulty, using: &generator)) }
        return questions
    }

    /// Returns a question whose difficulty is drawn uniformly from a range, chosen at random.
    ///
    /// - Parameters:
    ///   - range: The difficulties to draw from; clamped to ``difficulties``.
    ///   - generator: The source of randomness.
    /// - Throws: ``TaskError`` with code ``TaskError/Code/difficultyOutOfRange`` when `range` does not overlap
    ///   ``difficulties``.
    public func sampleQuestion(
        difficultyIn range: ClosedRange<Int>,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Question {
        guard range.overlaps(difficulties) else {
            throw TaskError(
                code: .difficultyOutOfRange,
                task: Self.name,
                message: "difficulties \(range) do not overlap this world's difficulties \(difficulties)"
            )
        }
        let clamped = range.clamped(to: difficulties)
        return try sampleQuestion(ofDifficulty: generator.nextInt(in: clamped), using: &generator)
    }

    /// Returns every question of this world that has a difficulty.
    ///
    /// - Parameter difficulty: A difficulty.
    public func questions(ofDifficulty difficulty: Int) -> [Question] {
        questions.filter { self.difficulty(of: $0) == difficulty }
    }

    /// Checks that a size is one of ``sizes``; conformers call it first in `init(size:seed:)`.
    ///
    /// - Parameter size: The requested size.
    /// - Throws: ``TaskError`` with code ``TaskError/Code/sizeOutOfRange``.
    public static func validate(size: Int) throws {
        guard sizes.contains(size) else {
            throw TaskError(
                code: .sizeOutOfRange,
                task: name,
                message: "size \(size) is outside the supported sizes \(sizes.lowerBound)...\(sizes.upperBound)"
            )
        }
    }
}

extension AlgorithmicTask {
    /// Checks that a difficulty is one of ``difficulties``; conformers call it first when sampling.
    ///
    /// - Parameter difficulty: The requested difficulty.
    /// - Throws: ``TaskError`` with code ``TaskError/Code/difficultyOutOfRange``.
    public func validate(difficulty: Int) throws {
        guard difficulties.contains(difficulty) else {
            throw TaskError(
                code: .difficultyOutOfRange,
                task: Self.name,
                message: "difficulty \(difficulty) is outside this world's difficulties "
                    + "\(difficulties.lowerBound)...\(difficulties.upperBound)"
            )
        }
    }
}
