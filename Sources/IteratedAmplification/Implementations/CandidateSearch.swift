/// Where a candidate search sends the questions whose answers propose candidates.
///
/// A candidate search is `Consultation.bestCandidate(proposedBy:…)`; its proposals go where the route says.
public struct ProposalRoute: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable { case assistant, subquestions }
    let value: Value

    /// Proposals are quick guesses from the assistant (``Consultation/askAssistant(_:)``), and are skipped
    /// when the engine has no assistant. This suits a proposal question that is the node's own question:
    /// asked of a copy of HCH it would recur on its own path.
    public static let assistant = ProposalRoute(value: .assistant)
    /// Proposals are ordinary subquestions (``Consultation/askAll(_:)``), answered one level shallower.
    public static let subquestions = ProposalRoute(value: .subquestions)

    /// The route's name.
    public var description: String { value == .assistant ? "assistant" : "subquestions" }
}

/// A candidate that passed its checks, with the score that made it the best.
public struct ScoredCandidate<Candidate: Sendable, Score: Sendable>: Sendable {
    /// The candidate.
    public var candidate: Candidate
    /// Its score; lower is better.
    public var score: Score

    /// Creates a scored candidate.
    ///
    /// - Parameters:
    ///   - candidate: The candidate.
    ///   - score: Its score; lower is better.
    public init(candidate: Candidate, score: Score) {
        self.candidate = candidate
        self.score = score
    }
}

extension ScoredCandidate: Equatable where Candidate: Equatable, Score: Equatable {}
extension ScoredCandidate: Hashable where Candidate: Hashable, Score: Hashable {}

extension Consultation {
    /// Returns the best of a set of candidates: proposed by asking, added from primitive facts, checked, scored.
    ///
    /// Candidate-and-verify is how a weak supervisor uses answers it cannot trust: it asks for proposals, adds
    /// candidates it can read itself, throws out every candidate its own facts contradict, and asks one
    /// question per surviving candidate whose answer scores it. The lowest score wins.
    ///
    /// 1. The proposal questions are asked (in parallel, by `proposalRoute`); `reading` turns each answer into a
    ///    candidate, or `nil` when the answer proposes none.
    /// 2. The proposed candidates come first, then `knownCandidates`; duplicates are dropped.
    /// 3. `isValid` checks each candidate with primitive facts; a candidate that fails is dropped unasked.
    /// 4. The score questions of the valid candidates are asked in parallel; `score` turns each answer into a
    ///    score, or `nil` when the answer is unusable (an "unknown"), which drops the candidate.
    /// 5. The candidate with the lowest score wins; among equal scores, the one `breakingTiesWith` orders first,
    ///    or without it the one that came first in step 2.
    ///
    /// ```swift
    /// // The next vertex on a shortest path from x to y: candidates are x's out-neighbours and
    /// // the assistant's guess; each is scored by its distance to y.
    /// let best = try await consultation.bestCandidate(
    ///     proposedBy: [.next(x, y)],
    ///     reading: { $0.vertex },
    ///     knownCandidates: graph.outNeighbours(of: x),
    ///     isValid: { graph.hasEdge(from: x, to: $0) },
    ///     scoringWith: { .distance($0, y) },
    ///     score: { $0.distance }
    /// )
    /// ```
    ///
    /// - Parameters:
    ///   - proposals: Questions whose answers propose candidates.
    ///   - proposalRoute: Where the proposal questions go; by default to the assistant, skipped without one.
    ///   - reading: Returns the candidate an answer to a proposal question proposes, or `nil`.
    ///   - knownCandidates: Candidates the supervisor read from primitive facts.
    ///   - isValid: Checks a candidate against primitive facts.
    ///   - scoreQuestion: Returns the question whose answer scores a candidate.
    ///   - score: Returns the score an answer gives, or `nil` when the answer is unusable; lower is better.
    ///   - areInIncreasingOrder: Orders candidates of equal score; `nil` keeps the order of step 2.
    /// - Returns: The best candidate with its score, or `nil` when no candidate survived.
    /// - Throws: ``EngineError`` from a subquestion, or `CancellationError`.
    public func bestCandidate<Candidate: Hashable & Sendable, Score: Comparable & Sendable>(
        proposedBy proposals: [Question] = [],
        proposalRoute: ProposalRoute = .assistant,
        reading: (Answer) -> Candidate? = { _ in nil },
        knownCandidates: [Candidate],
        isValid: (Candidate) -> Bool,
        scoringWith scoreQuestion: (Candidate) -> Question,
        score: (Answer) -> Score?,
        breakingTiesWith areInIncreasingOrder: ((Candidate, Candidate) -> Bool)? = nil
    ) async throws -> ScoredCandidate<Candidate, Score>? {
        try await bestCandidate(
            proposedBy: proposals,
            proposalRoute: proposalRoute,
            reading: reading,
            knownCandidates: knownCandidates,
            isValid: isValid,
            scoringWithQuestions: { [scoreQuestion($0)] },
            scoringAnswers: { _, answers in answers.first.flatMap(score) },
            breakingTiesWith: areInIncreasingOrder
        )
    }

    /// Returns the best of a set of candidates, each scored from the answers to several questions.
    ///
    /// The same search as
    /// ``bestCandidate(proposedBy:proposalRoute:reading:knownCandidates:isValid:scoringWith:score:breakingTiesWith:)``,
    /// except that each candidate may need several questions, or none, to be scored: a supervisor that looks
    /// two steps ahead, for example, scores a candidate from the answers about the candidate's own
    /// neighbours. Every score question of every valid candidate is asked in one parallel batch.
    ///
    /// - Parameters:
    ///   - proposals: Questions whose answers propose candidates.
    ///   - proposalRoute: Where the proposal questions go; by default to the assistant, skipped without one.
    ///   - reading: Returns the candidate an answer to a proposal question proposes, or `nil`.
    ///   - knownCandidates: Candidates the supervisor read from primitive facts.
    ///   - isValid: Checks a candidate against primitive facts.
    ///   - scoreQuestions: Returns the questions whose answers score a candidate; may be empty.
    ///   - score: Returns a candidate's score from the answers to its questions, in their order, or `nil`
    ///     when they are unusable; lower is better.
    ///   - areInIncreasingOrder: Orders candidates of equal score; `nil` keeps the order of proposal first.
    /// - Returns: The best candidate with its score, or `nil` when no candidate survived.
    /// - Throws: ``EngineError`` from a subquestion, or `CancellationError`.
    public func bestCandidate<Candidate: Hashable & Sendable, Score: Comparable & Sendable>(
        proposedBy proposals: [Question] = [],
        proposalRoute: ProposalRoute = .assistant,
        reading: (Answer) -> Candidate? = { _ in nil },
        knownCandidates: [Candidate],
        isValid: (Candidate) -> Bool,
        scoringWithQuestions scoreQuestions: (Candidate) -> [Question],
        scoringAnswers score: (Candidate, [Answer]) -> Score?,
        breakingTiesWith areInIncreasingOrder: ((Candidate, Candidate) -> Bool)? = nil
    ) async throws -> ScoredCandidate<Candidate, Score>? {
        var candidates: [Candidate] = []
        candidates.reserveCapacity(proposals.count + knownCandidates.count)
        if !proposals.isEmpty {
            for answer in try await proposalAnswers(proposals, route: proposalRoute) {
                if let candidate = reading(answer) { candidates.append(candidate) }
            }
        }
        candidates.append(contentsOf: knownCandidates)

        // Candidate lists are a handful long: a linear scan beats hashing them into a set.
        var checked: [Candidate] = []
        checked.reserveCapacity(candidates.count)
        for candidate in candidates where !checked.contains(candidate) && isValid(candidate) {
            checked.append(candidate)
        }
        guard !checked.isEmpty else { return nil }

        var questions: [Question] = []
        var ends: [Int] = []
        ends.reserveCapacity(checked.count)
        for candidate in checked {
            questions.append(contentsOf: scoreQuestions(candidate))
            ends.append(questions.count)
        }
        let answers = questions.isEmpty ? [] : try await askAll(questions)

        var best: ScoredCandidate<Candidate, Score>?
        var start = 0
        for (candidate, end) in zip(checked, ends) {
            defer { start = end }
            guard let value = score(candidate, Array(answers[start..<end])) else { continue }
            guard let current = best else {
                best = ScoredCandidate(candidate: candidate, score: value)
                continue
            }
            let wins: Bool
            if value != current.score {
                wins = value < current.score
            } else {
                wins = areInIncreasingOrder?(candidate, current.candidate) ?? false
            }
            if wins { best = ScoredCandidate(candidate: candidate, score: value) }
        }
        return best
    }

    private func proposalAnswers(_ proposals: [Question], route: ProposalRoute) async throws -> [Answer] {
        switch route.value {
        case .subquestions:
            return try await askAll(proposals)
        case .assistant:
            guard hasAssistant else { return [] }
            var answers: [Answer] = []
            answers.reserveCapacity(proposals.count)
            for proposal in proposals { answers.append(try await askAssistant(proposal)) }
            return answers
        }
    }
}
