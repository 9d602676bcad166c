import AmplificationTasks
import IteratedAmplification
import Testing

struct UnionFindTaskTests {
    /// A textbook disjoint-set forest with path compression, used as the brute-force oracle of labels.
    private struct DisjointSets {
        var parent: [Int]
        init(count: Int) { parent = Array(0..<count) }
        mutating func find(_ element: Int) -> Int {
            if parent[element] != element { parent[element] = find(parent[element]) }
            return parent[element]
        }
        mutating func union(_ a: Int, _ b: Int) { parent[find(a)] = find(b) }
    }

    /// The distance between two vertices by breadth-first search over the neighbour lists.
    private func distance(from start: Int, to goal: Int, in task: UnionFindTask) -> Int? {
        var seen = [start: 0]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let vertex = queue[head]
            head += 1
            if vertex == goal { return seen[vertex] }
            for next in task.neighbours[vertex] where seen[next] == nil {
                seen[next] = seen[vertex]! + 1
                queue.append(next)
            }
        }
        return nil
    }

    @Test(arguments: [8, 30, 64], [UInt64(1), 2])
    func oracleMatchesADisjointSetForestAndBreadthFirstSearch(size: Int, seed: UInt64) throws {
        let task = try UnionFindTask(size: size, seed: seed)
        var sets = DisjointSets(count: size)
        for vertex in 0..<size { for next in task.neighbours[vertex] { sets.union(vertex, next) } }
        var labelledVertexOfSet: [Int: Int] = [:]
        for vertex in 0..<size where task.labels[vertex] != nil {
            #expect(labelledVertexOfSet[sets.find(vertex)] == nil, "two labelled vertices in one tree")
            labelledVertexOfSet[sets.find(vertex)] = vertex
        }
        #expect(labelledVertexOfSet.count == task.componentCount)
        for vertex in 0..<size {
            let root = try #require(labelledVertexOfSet[sets.find(vertex)])
            let rootDistance = try #require(distance(from: vertex, to: root, in: task))
            #expect(task.correctAnswer(to: .init(.label, vertex: vertex)) == task.labels[root].map(TaskAnswer.value))
            #expect(task.correctAnswer(to: .init(.distance, vertex: vertex)) == .value(rootDistance))
            let parent = try #require(task.correctAnswer(to: .init(.parent, vertex: vertex)).value)
            if vertex == root {
                #expect(parent == vertex)
            } else {
                #expect(task.neighbours[vertex].contains(parent))
                #expect(distance(from: parent, to: root, in: task) == rootDistance - 1)
            }
        }
        #expect(task.correctAnswer(to: .init(.label, vertex: size)) == .unknown)
    }

    @Test(arguments: [8, 64])
    func forestHasSquareRootManyTreesOfBoundedDegree(size: Int) throws {
        let task = try UnionFindTask(size: size, seed: 4)
        var squareRoot = 0
        while (squareRoot + 1) * (squareRoot + 1) <= size { squareRoot += 1 }
        #expect(task.componentCount == squareRoot)
        #expect(Set(task.labels.compactMap { $0 }) == Set(0..<squareRoot))
        // A forest of k trees on n vertices has n - k edges.
        #expect(task.neighbours.map(\.count).reduce(0, +) == 2 * (size - squareRoot))
        #expect(task.neighbours.allSatisfy { $0.count <= 3 })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func pureHCHAnswersEveryQuestion(seed: UInt64) async throws {
        try await TaskChecks.pureHCHAnswersEveryQuestion(try UnionFindTask(size: 16, seed: seed))
    }

    @Test func hchOneLevelTooShallowCannotAnswerTheHardestQuestions() async throws {
        try await TaskChecks.shallowHCHCannotAnswerTheHardestQuestions(try UnionFindTask(size: 16, seed: 1))
    }

    @Test(arguments: [UInt64(1), 2])
    func amplificationExtendsTheHorizonByOne(seed: UInt64) async throws {
        try await TaskChecks.amplificationExtendsTheHorizonByOne(try UnionFindTask(size: 16, seed: seed))
    }

    @Test func guessedDistancesWhoseParentTheFactsContradictAreIgnored() async throws {
        // Beyond what it knows, this assistant claims every vertex is 1 from its label, with its true parent:
        // for a child of the asking vertex that is the asking vertex, which gives the child away.
        let task = try UnionFindTask(size: 64, seed: 1)
        #expect(task.difficulties.upperBound >= 4)
        var configuration = HCHConfiguration()
        configuration.depth = 1
        for known in 0..<task.difficulties.upperBound {
            let assistant = ClosureAssistant<UnionFindTask.Question, TaskAnswer> { question in
                let difficulty = task.difficulty(of: question) ?? Int.max
                if difficulty <= known { return task.correctAnswer(to: question) }
                switch question.kind {
                case .distance: return .value(1)
                case .parent: return task.correctAnswer(to: question)
                case .label: return .value(0)
                }
            }
            let engine = HCHEngine(supervisor: task.expert, assistant: assistant, configuration: configuration)
            for question in task.questions(ofDifficulty: known + 1) {
                #expect(try await engine.answer(question) == task.correctAnswer(to: question), "\(question)")
            }
        }
    }

    @Test func meetsTheTaskContract() async throws {
        try await TaskChecks.runAll(UnionFindTask.self, sizes: [8, 50], seeds: [1, 2])
    }
}
