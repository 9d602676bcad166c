public import IteratedAmplification

extension ShortestPathTask {
    /// The weak expert H of shortest path.
    ///
    /// H reads out-neighbour lists, one fact per vertex, and looks two steps ahead:
    /// - If y is an out-neighbour of x, the distance is 1 and the next vertex is y.
    /// - If y is an out-neighbour of an out-neighbour c of x, the distance is 2 and the next vertex is the
    ///   lowest-numbered such c. H needs no help for either.
    /// - Otherwise H checks candidate next steps with candidate-and-verify (`Consultation.bestCandidate`):
    ///   the assistant's guess at the next vertex (when there is an assistant) and x's out-neighbours; a guess
    ///   that is not an out-neighbour is dropped. H reads each candidate c's out-neighbours and asks, in
    ///   parallel, "distance from c' to y?" for each of them (except x, which a shortest path never
    ///   revisits); c's score is one more than the least known answer. The lowest score wins, ties going to
    ///   the lowest-numbered vertex; the distance is the score plus one. With no usable answer the answer is
    ///   unknown.
    ///
    /// Looking two steps ahead halves the rounds amplification needs: a question's difficulty is half its
    /// distance, rounded up. Dropping unknown answers is sound for an assistant that knows every question up to
    /// some distance and says "unknown" beyond it: the vertices it does not know are farther from y than the
    /// ones it knows.
    public struct Expert: Supervisor {
        /// The facts: the out-neighbours of each vertex.
        public let successors: [[Int]]

        /// Creates the expert for a graph.
        ///
        /// - Parameter successors: The out-neighbours of each vertex.
        public init(successors: [[Int]]) {
            self.successors = successors
        }

        /// Answers a distance or next-vertex question from two steps of facts and candidate next steps.
        public func respond(
            to question: Question,
            consulting consultation: Consultation<Question, TaskAnswer>
        ) async throws -> TaskAnswer {
            let size = successors.count
            let (from, target) = (question.from, question.to)
            guard (0..<size).contains(from), (0..<size).contains(target), from != target else { return .unknown }
            let neighbours = successors[from]
            if neighbours.contains(target) {
                return .value(question.kind == .distance ? 1 : target)
            }
            if let step = neighbours.first(where: { successors[$0].contains(target) }) {
                return .value(question.kind == .distance ? 2 : step)
            }
            guard consultation.canConsult else { return .unknown }
            let best = try await consultation.bestCandidate(
                proposedBy: [.nextVertex(from: from, to: target)],
                reading: { answer in answer.value },
                knownCandidates: neighbours,
                isValid: { neighbours.contains($0) },
                scoringWithQuestions: { candidate in
                    successors[candidate].compactMap { $0 == from ? nil : Question.distance(from: $0, to: target) }
                },
                scoringAnswers: { _, answers in
                    answers.lazy.compactMap { $0.value }.filter { $0 >= 1 && $0 < size }.min().map { $0 + 1 }
                },
                breakingTiesWith: { $0 < $1 }
            )
            guard let best else { return .unknown }
            return .value(question.kind == .distance ? best.score + 1 : best.candidate)
        }
    }
}
