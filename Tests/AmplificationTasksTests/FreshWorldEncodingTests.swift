import IteratedAmplification
import Testing

@testable import AmplificationTasks

/// Fresh worlds as a learner that reads the facts sees them: well-formed contexts, names that change from world
/// to world and stay put within one, and the oracle's answers surviving the trip to a learner's output and back.
struct FreshWorldEncodingTests {
    static func questions<Task: FactPresentingTask>(
        _ type: Task.Type = PermutationPoweringTask.self,
        size: Int,
        worlds: Int,
        seed: UInt64
    ) throws -> [WorldQuestion<Task.Question>] {
        var generator = SeededRandomNumberGenerator(seed: seed)
        return try (0..<worlds).map { _ in
            let worldSeed = generator.next()
            let world = try Task(size: size, seed: worldSeed)
            let question = try world.sampleQuestion(difficultyIn: world.difficulties, using: &generator)
            return WorldQuestion(size: size, worldSeed: worldSeed, question: question)
        }
    }

    enum TaskName: String, CaseIterable, CustomStringConvertible {
        case permutationPowering, sequentialAssignments, wildcardSearch, shortestPath, unionFind
        var description: String { rawValue }
    }

    /// Checks the shape of every context and the round trip of every oracle answer, for a task and a size.
    static func check<Task: FactPresentingTask>(_ type: Task.Type, size: Int) throws {
        let encoding = try FreshWorldEncoding<Task>(size: size)
        for question in try questions(Task.self, size: size, worlds: 100, seed: 3) {
            let context = try encoding.context(of: question)
            #expect(context.facts.allSatisfy { $0.count == encoding.factWidth })
            #expect(context.question.count == encoding.questionWidth)
            let tokens = context.facts.flatMap { $0 } + context.question
            #expect(tokens.allSatisfy { (0..<encoding.tokenCount).contains($0) })
            let correct = try encoding.world(of: question).correctAnswer(to: question.question)
            let target = try #require(encoding.target(of: correct, to: question, in: context), "\(question)")
            #expect(encoding.answer(of: target, to: question, in: context) == correct, "\(question)")
        }
    }

    @Test(arguments: TaskName.allCases, [8, 16, 64])
    func everyTasksContextsAndAnswersHoldUp(task: TaskName, size: Int) throws {
        switch task {
        case .permutationPowering: try Self.check(PermutationPoweringTask.self, size: size)
        case .sequentialAssignments: try Self.check(SequentialAssignmentsTask.self, size: size)
        case .wildcardSearch: try Self.check(WildcardSearchTask.self, size: size)
        case .shortestPath: try Self.check(ShortestPathTask.self, size: size)
        case .unionFind: try Self.check(UnionFindTask.self, size: size)
        }
    }

    @Test(arguments: [8, 16, 64])
    func contextsHaveTheDeclaredShapeAndVocabulary(size: Int) throws {
        let encoding = try FreshWorldEncoding<PermutationPoweringTask>(size: size)
        for question in try Self.questions(size: size, worlds: 20, seed: 1) {
            let context = try encoding.context(of: question)
            #expect(context.facts.count == size)
            #expect(context.facts.allSatisfy { $0.count == encoding.factWidth })
            #expect(context.question.count == encoding.questionWidth)
            let tokens = context.facts.flatMap { $0 } + context.question
            #expect(tokens.allSatisfy { (0..<encoding.tokenCount).contains($0) })
        }
    }

    @Test func namesChangeFromWorldToWorldAndStayPutWithinOne() throws {
        let encoding = try FreshWorldEncoding<PermutationPoweringTask>(size: 8)
        let questions = try Self.questions(size: 8, worlds: 50, seed: 2)
        let namings = Set(questions.map { encoding.names(worldSeed: $0.worldSeed) })
        #expect(namings.count == 50)
        for question in questions.prefix(5) {
            #expect(try encoding.context(of: question) == encoding.context(of: question))
            let names = encoding.names(worldSeed: question.worldSeed)
            #expect(Set(names).count == 8)
            #expect(names.allSatisfy { (2..<(2 + 64)).contains($0) })
        }
        // The same facts in every world would let a learner memorise them; fingerprints show they differ.
        let fingerprints = Set(try questions.map { try encoding.context(of: $0).factsFingerprint })
        #expect(fingerprints.count == 50)
    }

    /// Shortest path's next vertex breaks ties by the lower vertex number, so its names keep the vertices' order
    /// (and still differ from world to world); permutation powering's do not.
    @Test func namesFollowTheSymbolsOrderOnlyWhereAnswersDependOnIt() throws {
        let path = try FreshWorldEncoding<ShortestPathTask>(size: 8)
        let permutation = try FreshWorldEncoding<PermutationPoweringTask>(size: 8)
        var pathNamings = Set<[Int]>()
        var unsortedPermutationNamings = 0
        for worldSeed in UInt64(1)...40 {
            let names = path.names(worldSeed: worldSeed)
            #expect(names == names.sorted())
            #expect(Set(names).count == 8)
            pathNamings.insert(names)
            let permutationNames = permutation.names(worldSeed: worldSeed)
            if permutationNames != permutationNames.sorted() { unsortedPermutationNamings += 1 }
        }
        #expect(pathNamings.count == 40)
        #expect(unsortedPermutationNamings == 40)
    }

    @Test func theFingerprintIgnoresTheOrderOfFacts() {
        let facts = [[1, 2], [3, 4], [5, 6]]
        #expect(
            FactContext(facts: facts, question: [1]).factsFingerprint
                == FactContext(facts: facts.reversed(), question: [9]).factsFingerprint
        )
        #expect(
            FactContext(facts: facts, question: [1]).factsFingerprint
                != FactContext(facts: [[1, 2], [3, 4], [5, 7]], question: [1]).factsFingerprint
        )
    }

    @Test(arguments: [8, 16])
    func theOraclesAnswersSurviveTheTripToATargetAndBack(size: Int) throws {
        let encoding = try FreshWorldEncoding<PermutationPoweringTask>(size: size)
        for question in try Self.questions(size: size, worlds: 200, seed: 3) {
            let world = try encoding.world(of: question)
            let context = try encoding.context(of: question)
            let correct = world.correctAnswer(to: question.question)
            let target = try #require(encoding.target(of: correct, to: question, in: context))
            guard case .pointer = target else {
                Issue.record("\(correct) should be a pointer, not \(target)")
                continue
            }
            #expect(encoding.answer(of: target, to: question, in: context) == correct)
        }
        let question = try Self.questions(size: size, worlds: 1, seed: 4)[0]
        let context = try encoding.context(of: question)
        #expect(encoding.target(of: .unknown, to: question, in: context) == .unknown)
        #expect(encoding.answer(of: .unknown, to: question, in: context) == .unknown)
        #expect(encoding.answer(of: .pointer(fact: size, slot: 0), to: question, in: context) == .unknown)
        #expect(encoding.target(of: .value(size + 3), to: question, in: context) == nil)
    }

    @Test func questionsThatDoNotFitTheEncodingAreRefused() throws {
        let encoding = try FreshWorldEncoding<PermutationPoweringTask>(size: 8)
        let valid = try Self.questions(size: 8, worlds: 1, seed: 5)[0]
        var otherSize = valid
        otherSize.size = 16
        var invalid = valid
        invalid.question = PermutationPoweringTask.Question(element: 8, exponent: 1)
        for (name, question) in [("another size", otherSize), ("an element outside the world", invalid)] {
            #expect(throws: TaskError.self, "\(name)") { try encoding.context(of: question) }
        }
        #expect(throws: TaskError.self) { try FreshWorldEncoding<PermutationPoweringTask>(size: 16, namePool: 8) }
        #expect(throws: TaskError.self) { try FreshWorldEncoding<PermutationPoweringTask>(size: 4) }
    }
}
