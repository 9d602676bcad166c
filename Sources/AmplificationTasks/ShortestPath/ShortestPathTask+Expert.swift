public import IteratedAmplification

extension ShortestPathTask {
    /// The weak expert H of shortest path.
    ///
    /// H reads x's out-neighbours (one fact). If y is one of them, the distance is 1 and the next vertex is y.
    /// Otherwise H checks candidate next steps with ``IteratedAmplification/Consultation/bestCandidate(proposedBy:proposalRoute:reading:knownCandidates:isValid:scoringWith:score:breakingTiesWith:)``:
    /// the assistant's guess at the next vertex (when there is an assistant) and x's out-neighbours; a guess
    /// that is not an out-neighbour is dropped; each candidate c is scored by asking "distance from c to y?";
    /// the lowest distance wins, ties going to the lowest-numbered vertex. The distance is the winner's plus
    /// one. An unknown subanswer drops its candidate; with no candidate left the answer is unknown.
    ///
    /// Why dropping unknown candidates is sound: a learner that answers every question up to some distance and
    /// says "unknown" beyond it knows every candidate nearer to y than the unknown ones.
    public struct Expert: Supervisor {
        /// The facts: the out-neighbours of each vertex.
        public let successors: [[Int]]

        /// Creates the expert for a graph.
        ///
        /// - Parameter successors: The out-neighbours of each vertex.
        public init(successors: [[Int]]) {
            self.successors = successors
        }

        /// Answers a distance or next-vertex question by checking candidate next steps.
        public func respond(
            to question: Question,
            consulting consultation: Consultation<Question, TaskAnswer>
        ) async throws -> TaskAnswer {
            let size = successors.count
            guard (0..<size).contains(question.from), (0..<size).contains(question.to),
                question.from != question.to
            else { return .unknown }
            let neighbours = successors[question.from]
            if neighbours.contains(question.to) {
                return .value(question.kind == .distance ? 1 : question.to)
            }
            guard consultation.canConsult else { return .unknown }
            let target = question.to
            let best = try await consultation.bestCandidate(
                proposedBy: [.nextVertex(from: question.from, to: target)],
                reading: { answer in answer.value },
                knownCandidates: neighbours,
                isValid: { neighbours.contains($0) },
                scoringWith: { .distance(from: $0, to: target) },
                score: { answer in answer.value.flatMap { $0 >= 1 && $0 < size ? $0 : nil } },
                breakingTiesWith: { $0 < $1 }
            )
            guard let best else { return .unknown }
            return .value(question.kind == .distance ? best.score + 1 : best.candidate)
        }
    }
}
