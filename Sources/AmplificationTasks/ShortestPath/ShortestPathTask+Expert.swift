public import IteratedAmplification

extension ShortestPathTask {
    /// The weak expert H of shortest path.
    ///
    /// H reads out-neighbour lists (one fact per vertex, at most seven per node) and looks two steps ahead:
    /// - If y is an out-neighbour of x, the distance is 1 and the next vertex is y.
    /// - If y is an out-neighbour of an out-neighbour c of x, the distance is 2 and the next vertex is the
    ///   lowest-numbered such c. H needs no help for either.
    /// - Otherwise H checks candidate next steps with candidate-and-verify (`Consultation.bestCandidate`):
    ///   the assistant's guess at the next vertex (when there is an assistant) and x's out-neighbours; a guess
    ///   that is not an out-neighbour is dropped. For each candidate c, H reads c's out-neighbours c' (except
    ///   x: a shortest path never comes back) and asks, in parallel, "distance from c' to y?", "next vertex
    ///   from c' to y?" and "distance from c'' to y?" for the out-neighbours c'' of c'. A claimed distance k
    ///   of c' counts only if the facts and the other claims bear it out: the claimed next vertex must be an
    ///   out-neighbour of c', y exactly when k is 1, and otherwise claimed to lie at distance k - 1. The
    ///   score of c is one more than the least distance that counts. The lowest score wins, ties going to the
    ///   lowest-numbered vertex; the distance is the score plus one. With no usable answer the answer is
    ///   unknown.
    ///
    /// Looking two steps ahead halves the rounds amplification needs: a question's difficulty is half its
    /// distance, rounded up. Dropping unknown answers is sound for an assistant that knows every question up to
    /// some distance and says "unknown" beyond it: the vertices it does not know are farther from y than the
    /// ones it knows. The checks guard against an assistant that guesses about vertices farther away than it
    /// has learned: a guess passes them only by luck.
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
                    lookahead(from: candidate, avoiding: from).flatMap { claimQuestions(about: $0, to: target) }
                },
                scoringAnswers: { candidate, answers in
                    var nearest: Int?
                    var offset = 0
                    for vertex in lookahead(from: candidate, avoiding: from) {
                        let count = claimQuestions(about: vertex, to: target).count
                        let claims = answers[offset..<(offset + count)]
                        offset += count
                        guard let distance = verifiedDistance(from: vertex, to: target, claims: Array(claims)) else {
                            continue
                        }
                        nearest = min(nearest ?? distance, distance)
                    }
                    return nearest.map { $0 + 1 }
                },
                breakingTiesWith: { $0 < $1 }
            )
            guard let best else { return .unknown }
            return .value(question.kind == .distance ? best.score + 1 : best.candidate)
        }

        /// The vertices two steps ahead through a candidate, except the asking vertex: a shortest path never
        /// comes back to where it started.
        private func lookahead(from candidate: Int, avoiding start: Int) -> [Int] {
            successors[candidate].filter { $0 != start }
        }

        /// The questions whose answers make a checkable claim about a vertex's distance to the target: its
        /// distance, its next vertex, and the distance of each of its out-neighbours other than the target.
        private func claimQuestions(about vertex: Int, to target: Int) -> [Question] {
            var questions = [Question.distance(from: vertex, to: target), Question.nextVertex(from: vertex, to: target)]
            for next in successors[vertex] where next != target {
                questions.append(.distance(from: next, to: target))
            }
            return questions
        }

        /// Returns a vertex's claimed distance to the target if the facts and the other claims bear it out.
        ///
        /// The claimed next vertex must be one of the vertex's out-neighbours, the target exactly when the
        /// distance is 1, and otherwise claimed to lie one step nearer. A guess passes all three only by luck.
        private func verifiedDistance(from vertex: Int, to target: Int, claims: [TaskAnswer]) -> Int? {
            guard let distance = claims[0].value, let next = claims[1].value, distance >= 1,
                distance < successors.count, successors[vertex].contains(next), (distance == 1) == (next == target)
            else { return nil }
            if distance == 1 { return 1 }
            let neighbours = successors[vertex].filter { $0 != target }
            guard let index = neighbours.firstIndex(of: next), claims[2 + index].value == distance - 1 else {
                return nil
            }
            return distance
        }
    }
}
