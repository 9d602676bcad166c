import AmplificationTasks
import IteratedAmplification
import Testing

struct ShortestPathTaskTests {
    /// All-pairs distances by Floyd–Warshall, independent of the task's breadth-first search.
    private func floydWarshall(_ task: ShortestPathTask) -> [[Int]] {
        let infinity = Int.max / 4
        var distance = Array(repeating: Array(repeating: infinity, count: task.size), count: task.size)
        for vertex in 0..<task.size {
            distance[vertex][vertex] = 0
            for next in task.successors[vertex] { distance[vertex][next] = 1 }
        }
        for middle in 0..<task.size {
            for from in 0..<task.size {
                for to in 0..<task.size where distance[from][middle] + distance[middle][to] < distance[from][to] {
                    distance[from][to] = distance[from][middle] + distance[middle][to]
                }
            }
        }
        return distance
    }

    @Test(arguments: [8, 25, 64], [UInt64(1), 2])
    func oracleMatchesFloydWarshall(size: Int, seed: UInt64) throws {
        let task = try ShortestPathTask(size: size, seed: seed)
        let distance = floydWarshall(task)
        for question in task.questions {
            let d = distance[question.from][question.to]
            #expect(task.difficulty(of: question) == (d + 1) / 2)
            switch question.kind {
            case .distance:
                #expect(task.correctAnswer(to: question) == .value(d))
            case .nextVertex:
                let onShortestPath = (0..<size).filter {
                    task.successors[question.from].contains($0) && distance[$0][question.to] == d - 1
                }
                #expect(task.correctAnswer(to: question) == onShortestPath.first.map(TaskAnswer.value))
            }
        }
        #expect(task.diameter == distance.flatMap { $0 }.max())
        #expect(task.correctAnswer(to: .distance(from: 0, to: 0)) == .unknown)
        #expect(task.correctAnswer(to: .nextVertex(from: 0, to: size)) == .unknown)
    }

    @Test(arguments: [8, 64])
    func graphHasTwiceAsManyEdgesAsVerticesAndIsStronglyConnected(size: Int) throws {
        let task = try ShortestPathTask(size: size, seed: 9)
        #expect(task.successors.map(\.count).reduce(0, +) == 2 * size)
        for vertex in 0..<size {
            #expect(!task.successors[vertex].contains(vertex))
            #expect(Set(task.successors[vertex]).count == 2)
        }
        #expect(floydWarshall(task).allSatisfy { row in row.allSatisfy { $0 < size } })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func pureHCHAnswersEveryQuestion(seed: UInt64) async throws {
        try await TaskChecks.pureHCHAnswersEveryQuestion(try ShortestPathTask(size: 8, seed: seed))
    }

    @Test func hchOneLevelTooShallowCannotAnswerTheHardestQuestions() async throws {
        try await TaskChecks.shallowHCHCannotAnswerTheHardestQuestions(try ShortestPathTask(size: 10, seed: 1))
    }

    @Test(arguments: [UInt64(1), 2])
    func amplificationExtendsTheHorizonByOne(seed: UInt64) async throws {
        try await TaskChecks.amplificationExtendsTheHorizonByOne(try ShortestPathTask(size: 10, seed: seed))
    }

    @Test func guessedDistancesThatTheFactsContradictAreIgnored() async throws {
        // Beyond what it knows, this assistant claims every distance is 3 and names a real out-neighbour as the
        // next vertex; the claims contradict each other, since that neighbour is claimed 3 away too.
        let task = try ShortestPathTask(size: 64, seed: 2)
        var configuration = HCHConfiguration()
        configuration.depth = 1
        for known in 1..<task.difficulties.upperBound {
            let assistant = ClosureAssistant<ShortestPathTask.Question, TaskAnswer> { question in
                let difficulty = task.difficulty(of: question) ?? Int.max
                if difficulty <= known { return task.correctAnswer(to: question) }
                switch question.kind {
                case .distance: return .value(3)
                case .nextVertex: return .value(task.successors[question.from][0])
                }
            }
            let engine = HCHEngine(supervisor: task.expert, assistant: assistant, configuration: configuration)
            for question in task.questions(ofDifficulty: known + 1) {
                #expect(try await engine.answer(question) == task.correctAnswer(to: question), "\(question)")
            }
        }
    }

    @Test func meetsTheTaskContract() async throws {
        try await TaskChecks.runAll(ShortestPathTask.self, sizes: [8, 33], seeds: [1, 2])
    }
}
