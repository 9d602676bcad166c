import AmplificationTasks
import IteratedAmplification
import Testing

struct SequentialAssignmentsTaskTests {
    /// Evaluates a variable by recursion over the definitions, with no precomputed values.
    private func evaluate(_ variable: Int, in task: SequentialAssignmentsTask) -> Int {
        switch task.definitions[variable] {
        case .constant(let value):
            return value
        case .operation(let left, let right):
            return task.table[evaluate(left, in: task) * task.valueCount + evaluate(right, in: task)]
        }
    }

    /// The depth of a variable by recursion over the definitions.
    private func depth(_ variable: Int, in task: SequentialAssignmentsTask) -> Int {
        switch task.definitions[variable] {
        case .constant: return 0
        case .operation(let left, let right): return 1 + max(depth(left, in: task), depth(right, in: task))
        }
    }

    @Test(arguments: [8, 30, 64], [UInt64(1), 2])
    func oracleMatchesEvaluatingTheProgram(size: Int, seed: UInt64) throws {
        let task = try SequentialAssignmentsTask(size: size, seed: seed)
        for question in task.questions {
            #expect(task.correctAnswer(to: question) == .value(evaluate(question.variable, in: task)))
            #expect(task.difficulty(of: question) == depth(question.variable, in: task))
        }
        #expect(task.correctAnswer(to: .init(variable: -1)) == .unknown)
        #expect(task.correctAnswer(to: .init(variable: size)) == .unknown)
    }

    @Test(arguments: [8, 64])
    func programDefinesEveryVariableAfterItsOperands(size: Int) throws {
        let task = try SequentialAssignmentsTask(size: size, seed: 5)
        #expect(task.programOrder.sorted() == Array(0..<size))
        #expect(task.table.count == task.valueCount * task.valueCount)
        #expect(task.table.allSatisfy { (0..<task.valueCount).contains($0) })
        var defined = Set<Int>()
        var constants = 0
        for variable in task.programOrder {
            switch task.definitions[variable] {
            case .constant(let value):
                #expect((0..<task.valueCount).contains(value))
                constants += 1
            case .operation(let left, let right):
                #expect(defined.contains(left) && defined.contains(right))
            }
            defined.insert(variable)
        }
        #expect(constants == task.constantCount)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func pureHCHAnswersEveryQuestion(seed: UInt64) async throws {
        try await TaskChecks.pureHCHAnswersEveryQuestion(try SequentialAssignmentsTask(size: 16, seed: seed))
    }

    @Test func hchOneLevelTooShallowCannotAnswerTheHardestQuestions() async throws {
        try await TaskChecks.shallowHCHCannotAnswerTheHardestQuestions(try SequentialAssignmentsTask(size: 16, seed: 1))
    }

    @Test(arguments: [UInt64(1), 2])
    func amplificationExtendsTheHorizonByOne(seed: UInt64) async throws {
        try await TaskChecks.amplificationExtendsTheHorizonByOne(try SequentialAssignmentsTask(size: 16, seed: seed))
    }

    @Test func meetsTheTaskContract() async throws {
        try await TaskChecks.runAll(SequentialAssignmentsTask.self, sizes: [8, 40], seeds: [1, 2])
    }
}
