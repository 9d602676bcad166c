public import IteratedAmplification

/// Union find: a forest on `size` vertices with about sqrt(size) trees, one labelled vertex per tree; and
/// questions "label of x's tree?", "neighbour of x toward the labelled vertex?" and "distance from x to the
/// labelled vertex?".
///
/// The trees have near-equal sizes. Each is grown from its labelled vertex, every new vertex joining a random
/// earlier vertex of degree below 3, so a vertex has at most 3 neighbours. Labels are `0..<componentCount`,
/// one per tree. The parent of a labelled vertex is itself. A question's difficulty is the distance from its
/// vertex to the labelled vertex of its tree, `0...maximumDistance`.
public struct UnionFindTask: AlgorithmicTask {
    /// A question about one vertex.
    public struct Question: Hashable, Codable, Sendable, CustomStringConvertible {
        /// What a question asks.
        public enum Kind: String, Hashable, Codable, Sendable, CaseIterable {
            /// The label of the vertex's tree.
            case label
            /// The neighbour of the vertex on the path to the labelled vertex; the vertex itself if labelled.
            case parent
            /// The distance from the vertex to the labelled vertex.
            case distance
        }

        /// What the question asks.
        public var kind: Kind
        /// The vertex, in `0..<size`.
        public var vertex: Int

        /// Creates a question.
        ///
        /// - Parameters:
        ///   - kind: What the question asks.
        ///   - vertex: The vertex.
        public init(_ kind: Kind, vertex: Int) {
            self.kind = kind
            self.vertex = vertex
        }

        /// The question in words, such as `label of 5?`.
        public var description: String { "\(kind.rawValue) of \(vertex)?" }
    }

    /// The answer type: a label, a vertex or a distance, or unknown.
    public typealias Answer = TaskAnswer

    /// The task's name: `union-find`.
    public static let name = "union-find"

    /// The number of vertices.
    public let size: Int
    /// The seed the world was generated from.
    public let seed: UInt64
    /// The number of trees and of labels: the integer square root of `size`.
    public let componentCount: Int
    /// The facts: the neighbours of each vertex, in increasing order.
    public let neighbours: [[Int]]
    /// The facts: the label of each labelled vertex, `nil` for the others.
    public let labels: [Int?]
    /// The longest distance from a vertex to its labelled vertex.
    public let maximumDistance: Int

    private let parents: [Int]
    private let distances: [Int]
    private let componentLabels: [Int]

    /// Creates a world: a random forest with one labelled vertex per tree.
    ///
    /// - Parameters:
    ///   - size: The number of vertices, in `8...64`.
    ///   - seed: The seed of the forest and the labels.
    /// - Throws: ``TaskError`` when `size` is out of range.
    public init(size: Int, seed: UInt64) throws {
        try Self.validate(size: size)
        var generator = SeededRandomNumberGenerator(seed: seed)
        let componentCount = integerSquareRoot(size)
        var order = Array(0..<size)
        generator.shuffle(&order)
        var componentLabelsByIndex = Array(0..<componentCount)
        generator.shuffle(&componentLabelsByIndex)

        var neighbours = Array(repeating: [Int](), count: size)
        var labels = [Int?](repeating: nil, count: size)
        var parents = Array(repeating: 0, count: size)
        var distances = Array(repeating: 0, count: size)
        var componentLabels = Array(repeating: 0, count: size)
        var start = 0
        for component in 0..<componentCount {
            let end = start + (size - start) / (componentCount - component)
            let members = Array(order[start..<end])
            let root = members[0]
            labels[root] = componentLabelsByIndex[component]
            parents[root] = root
            componentLabels[root] = componentLabelsByIndex[component]
            var open = [root]  // members with fewer than 3 neighbours
            for vertex in members.dropFirst() {
                let slot = generator.nextInt(below: open.count)
                let parent = open[slot]
                neighbours[parent].append(vertex)
                neighbours[vertex].append(parent)
                if neighbours[parent].count >= 3 { open.remove(at: slot) }
                open.append(vertex)
                parents[vertex] = parent
                distances[vertex] = distances[parent] + 1
                componentLabels[vertex] = componentLabelsByIndex[component]
            }
            start = end
        }
        for vertex in 0..<size { neighbours[vertex].sort() }

        self.size = size
        self.seed = seed
        self.componentCount = componentCount
        self.neighbours = neighbours
        self.labels = labels
        self.parents = parents
        self.distances = distances
        self.componentLabels = componentLabels
        self.maximumDistance = distances.max() ?? 0
    }

    /// The difficulties: the distances to the labelled vertices, `0...maximumDistance`.
    public var difficulties: ClosedRange<Int> { 0...maximumDistance }

    /// Every question: each kind for each vertex, kind-major.
    public var questions: [Question] {
        Question.Kind.allCases.flatMap { kind in (0..<size).map { Question(kind, vertex: $0) } }
    }

    /// Returns the distance from the question's vertex to its labelled vertex, or `nil` when the vertex is
    /// not of this world.
    public func difficulty(of question: Question) -> Int? {
        (0..<size).contains(question.vertex) ? distances[question.vertex] : nil
    }

    /// Returns a question of a random kind about a random vertex at distance `difficulty` from its label.
    public func sampleQuestion(
        ofDifficulty difficulty: Int,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Question {
        try validate(difficulty: difficulty)
        let kind = Question.Kind.allCases[generator.nextInt(below: Question.Kind.allCases.count)]
        let candidates = (0..<size).filter { distances[$0] == difficulty }
        return Question(kind, vertex: candidates[generator.nextInt(below: candidates.count)])
    }

    /// Returns the label, the parent or the distance, or unknown when the vertex is not of this world.
    public func correctAnswer(to question: Question) -> TaskAnswer {
        guard (0..<size).contains(question.vertex) else { return .unknown }
        switch question.kind {
        case .label: return .value(componentLabels[question.vertex])
        case .parent: return .value(parents[question.vertex])
        case .distance: return .value(distances[question.vertex])
        }
    }

    /// The weak expert of this world.
    public var expert: Expert { Expert(neighbours: neighbours, labels: labels) }

    /// The encoding of this world for learners.
    public var encoding: Encoding { Encoding(size: size) }
}
