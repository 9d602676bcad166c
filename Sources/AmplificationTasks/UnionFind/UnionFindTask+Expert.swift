public import IteratedAmplification

extension UnionFindTask {
    /// The weak expert H of union find.
    ///
    /// H first reads whether the vertex is labelled (one fact): a labelled vertex is its own parent, at
    /// distance 0, with its own label. Otherwise H finds the parent with candidate-and-verify
    /// (`Consultation.bestCandidate`): the candidates are the assistant's guess at the parent (when there is
    /// an assistant) and the vertex's neighbours (one fact); a guess that is not a neighbour is dropped; each
    /// candidate is scored by asking its distance; the nearest wins. Then:
    /// - "parent?" is the winner;
    /// - "distance?" is the winner's distance plus one;
    /// - "label?" asks the winner's label, after the search, because the question depends on its result.
    ///
    /// An unknown subanswer drops its candidate or makes the answer unknown.
    public struct Expert: Supervisor {
        /// The facts: the neighbours of each vertex.
        public let neighbours: [[Int]]
        /// The facts: the label of each labelled vertex.
        public let labels: [Int?]

        /// Creates the expert for a forest.
        ///
        /// - Parameters:
        ///   - neighbours: The neighbours of each vertex.
        ///   - labels: The label of each labelled vertex, `nil` for the others.
        public init(neighbours: [[Int]], labels: [Int?]) {
            self.neighbours = neighbours
            self.labels = labels
        }

        /// Answers a label, parent or distance question from facts and a search for the parent.
        public func respond(
            to question: Question,
            consulting consultation: Consultation<Question, TaskAnswer>
        ) async throws -> TaskAnswer {
            let vertex = question.vertex
            let size = neighbours.count
            guard (0..<size).contains(vertex) else { return .unknown }
            if let label = labels[vertex] {
                switch question.kind {
                case .label: return .value(label)
                case .parent: return .value(vertex)
                case .distance: return .value(0)
                }
            }
            guard consultation.canConsult else { return .unknown }
            let candidates = neighbours[vertex]
            let parent = try await consultation.bestCandidate(
                proposedBy: [Question(.parent, vertex: vertex)],
                reading: { answer in answer.value },
                knownCandidates: candidates,
                isValid: { candidates.contains($0) },
                scoringWith: { Question(.distance, vertex: $0) },
                score: { answer in answer.value.flatMap { $0 >= 0 && $0 < size ? $0 : nil } },
                breakingTiesWith: { $0 < $1 }
            )
            guard let parent else { return .unknown }
            switch question.kind {
            case .parent:
                return .value(parent.candidate)
            case .distance:
                return .value(parent.score + 1)
            case .label:
                return try await consultation.ask(Question(.label, vertex: parent.candidate))
            }
        }
    }
}
