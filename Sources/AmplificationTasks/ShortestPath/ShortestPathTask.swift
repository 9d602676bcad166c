public import IteratedAmplification

/// Shortest path: a directed graph with `size` vertices and `2 * size` edges; questions "distance from x to
/// y?" and "next vertex on a shortest path from x to y?" for `x != y`.
///
/// The graph is a random Hamiltonian cycle plus one random extra edge out of every vertex (no loops, no
/// parallel edges), so every vertex has out-degree 2 and every vertex reaches every other: each question
/// has an answer. The next vertex is the lowest-numbered out-neighbour of x that lies on a shortest path. A
/// question's difficulty is half the distance from x to y, rounded up, `1...(diameter + 1) / 2`: H answers
/// distances 1 and 2 from facts, and each round of amplification adds two steps, because H looks two steps
/// ahead (see ``Expert``).
public struct ShortestPathTask: AlgorithmicTask {
    /// A question about the shortest paths from ``from`` to ``to``.
    public struct Question: Hashable, Codable, Sendable, CustomStringConvertible {
        /// What a question asks.
        public enum Kind: String, Hashable, Codable, Sendable, CaseIterable {
            /// The length of a shortest path.
            case distance
            /// The lowest-numbered vertex after `from` on a shortest path.
            case nextVertex
        }

        /// What the question asks.
        public var kind: Kind
        /// The start vertex x.
        public var from: Int
        /// The end vertex y, different from x.
        public var to: Int

        /// Creates a question.
        ///
        /// - Parameters:
        ///   - kind: What the question asks.
        ///   - from: The start vertex.
        ///   - to: The end vertex.
        public init(_ kind: Kind, from: Int, to: Int) {
            self.kind = kind
            self.from = from
            self.to = to
        }

        /// The question "distance from x to y?".
        public static func distance(from: Int, to: Int) -> Question { Question(.distance, from: from, to: to) }

        /// The question "next vertex on a shortest path from x to y?".
        public static func nextVertex(from: Int, to: Int) -> Question { Question(.nextVertex, from: from, to: to) }

        /// The question in words, such as `distance from 3 to 7?`.
        public var description: String {
            switch kind {
            case .distance: "distance from \(from) to \(to)?"
            case .nextVertex: "next vertex from \(from) to \(to)?"
            }
        }
    }

    /// The answer type: a distance or a vertex, or unknown.
    public typealias Answer = TaskAnswer

    /// The task's name: `shortest-path`.
    public static let name = "shortest-path"

    /// The number of vertices.
    public let size: Int
    /// The seed the world was generated from.
    public let seed: UInt64
    /// The facts: the out-neighbours of each vertex, in increasing order.
    public let successors: [[Int]]
    /// The longest distance between two vertices.
    public let diameter: Int

    // distances[x * size + y] is the length of a shortest path from x to y.
    private let distances: [Int]
    // The pairs x * size + y of distinct vertices, by difficulty from 1, in increasing order.
    private let pairsByDifficulty: [[Int]]

    /// Creates a world: a random Hamiltonian cycle plus one random extra edge out of every vertex.
    ///
    /// - Parameters:
    ///   - size: The number of vertices, in `8...64`.
    ///   - seed: The seed of the graph.
    /// - Throws: ``TaskError`` when `size` is out of range.
    public init(size: Int, seed: UInt64) throws {
        try Self.validate(size: size)
        var generator = SeededRandomNumberGenerator(seed: seed)
        var order = Array(0..<size)
        generator.shuffle(&order)
        var successors = Array(repeating: [Int](), count: size)
        for index in 0..<size { successors[order[index]].append(order[(index + 1) % size]) }
        for vertex in 0..<size {
            var target = generator.nextInt(below: size - 2)
            // Skip the vertex itself and its cycle successor, in increasing order.
            for excluded in [vertex, successors[vertex][0]].sorted() where target >= excluded { target += 1 }
            successors[vertex].append(target)
            successors[vertex].sort()
        }

        var distances = Array(repeating: Int.max, count: size * size)
        var queue: [Int] = []
        queue.reserveCapacity(size)
        for source in 0..<size {
            queue.removeAll(keepingCapacity: true)
            queue.append(source)
            distances[source * size + source] = 0
            var head = 0
            while head < queue.count {
                let vertex = queue[head]
                head += 1
                for next in successors[vertex] where distances[source * size + next] == Int.max {
                    distances[source * size + next] = distances[source * size + vertex] + 1
                    queue.append(next)
                }
            }
        }
        self.size = size
        self.seed = seed
        self.successors = successors
        self.distances = distances
        let diameter = distances.max() ?? 1
        var pairsByDifficulty = Array(repeating: [Int](), count: Self.difficulty(ofDistance: diameter))
        for (pair, distance) in distances.enumerated() where distance > 0 {
            pairsByDifficulty[Self.difficulty(ofDistance: distance) - 1].append(pair)
        }
        self.diameter = diameter
        self.pairsByDifficulty = pairsByDifficulty
    }

    /// The difficulties: half the distances between distinct vertices, rounded up, `1...(diameter + 1) / 2`.
    public var difficulties: ClosedRange<Int> { 1...Self.difficulty(ofDistance: diameter) }

    /// Returns the difficulty of the questions about vertices a distance apart: half of it, rounded up.
    ///
    /// - Parameter distance: A distance of at least 1.
    public static func difficulty(ofDistance distance: Int) -> Int { (distance + 1) / 2 }

    /// Every question: both kinds for every ordered pair of distinct vertices.
    public var questions: [Question] {
        var questions: [Question] = []
        questions.reserveCapacity(2 * size * (size - 1))
        for kind in Question.Kind.allCases {
            for from in 0..<size {
                for to in 0..<size where to != from { questions.append(Question(kind, from: from, to: to)) }
            }
        }
        return questions
    }

    /// Returns the length of a shortest path from x to y.
    ///
    /// - Parameters:
    ///   - from: The start vertex.
    ///   - to: The end vertex.
    public func distance(from: Int, to: Int) -> Int { distances[from * size + to] }

    /// Returns half the distance from x to y, rounded up, or `nil` when the question is not of this world.
    public func difficulty(of question: Question) -> Int? {
        isValid(question) ? Self.difficulty(ofDistance: distance(from: question.from, to: question.to)) : nil
    }

    /// Returns a random question of a difficulty: each kind with probability one half, and a uniformly random
    /// pair of vertices whose distance has that difficulty.
    public func sampleQuestion(
        ofDifficulty difficulty: Int,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Question {
        try validate(difficulty: difficulty)
        let kind: Question.Kind = generator.nextBool() ? .distance : .nextVertex
        let pairs = pairsByDifficulty[difficulty - 1]
        let pair = pairs[generator.nextInt(below: pairs.count)]
        return Question(kind, from: pair / size, to: pair % size)
    }

    /// Returns the distance or the next vertex, or unknown when the question is not of this world.
    public func correctAnswer(to question: Question) -> TaskAnswer {
        guard isValid(question) else { return .unknown }
        let remaining = distance(from: question.from, to: question.to)
        switch question.kind {
        case .distance:
            return .value(remaining)
        case .nextVertex:
            let next = successors[question.from].first { distance(from: $0, to: question.to) == remaining - 1 }
            return next.map(TaskAnswer.value) ?? .unknown
        }
    }

    /// The weak expert of this world.
    public var expert: Expert { Expert(successors: successors) }

    /// The encoding of this world for learners.
    public var encoding: Encoding { Encoding(size: size) }

    func isValid(_ question: Question) -> Bool {
        (0..<size).contains(question.from) && (0..<size).contains(question.to) && question.from != question.to
    }
}
