public import IteratedAmplification

extension UnionFindTask {
    /// The weak expert H of union find.
    ///
    /// H first reads whether the vertex is labelled (one fact): a labelled vertex is its own parent, at
    /// distance 0, with its own label. Otherwise H finds the parent with candidate-and-verify
    /// (`Consultation.bestCandidate`): the candidates are the assistant's guess at the parent (when there is
    /// an assistant) and the vertex's neighbours (one fact); a guess that is not a neighbour is dropped. Each
    /// candidate is asked its distance and its parent, in parallel, and H checks the claimed parent against
    /// the candidate's neighbours (one fact each): it must be one of them and not the vertex itself (or, for a
    /// labelled candidate, the candidate itself at distance 0). The nearest candidate that passes wins. Then:
    /// - "parent?" is the winner;
    /// - "distance?" is the winner's distance plus one;
    /// - "label?" asks the winner's label, after the search, because the question depends on its result.
    ///
    /// An unknown subanswer drops its candidate or makes the answer unknown. The check on the claimed parent
    /// guards against an assistant that guesses about vertices farther from the label than it has learned:
    /// a guessed parent is rarely one of the candidate's two or three neighbours.
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
                scoringWithQuestions: { [Question(.distance, vertex: $0), Question(.parent, vertex: $0)] },
                scoringAnswers: { candidate, answers in
                    verifiedDistance(of: candidate, from: vertex, distance: answers[0], parent: answers[1])
                },
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

        /// Returns a candidate's claimed distance if the facts bear out its claimed parent, or `nil`.
        ///
        /// A labelled candidate must claim distance 0 and itself as parent. Any other must claim a positive
        /// distance and a parent among its own neighbours other than `asker`: a child of the asker names the
        /// asker, and a guess names a neighbour only by luck.
        private func verifiedDistance(
            of candidate: Int,
            from asker: Int,
            distance: TaskAnswer,
            parent: TaskAnswer
        ) -> Int? {
            guard let distance = distance.value, let parent = parent.value, distance < neighbours.count else {
                return nil
            }
            if labels[candidate] != nil { return distance == 0 && parent == candidate ? 0 : nil }
            guard distance >= 1, parent != asker, neighbours[candidate].contains(parent) else { return nil }
            return distance
        }
    }
}
