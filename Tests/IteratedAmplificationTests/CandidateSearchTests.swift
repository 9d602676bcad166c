import IteratedAmplification
import Synchronization
import Testing

/// A toy world for candidate-and-verify: questions are `.guess` (propose a candidate) or `.score(c)`.
private enum ToyQuestion: Hashable, Sendable {
    case search
    case guess
    case score(Int)
}

private struct SearchResult: Hashable, Sendable {
    var candidate: Int?
    var score: Int?
}

struct CandidateSearchTests {
    /// Scores: candidate c scores `scores[c]`, or is unusable when absent.
    private func engine(
        scores: [Int: Int],
        known: [Int],
        valid: Set<Int>,
        guess: Int?,
        route: ProposalRoute = .assistant,
        withAssistant: Bool = true
    ) -> (
        run: @Sendable () async throws -> SearchResult,
        calls: @Sendable () -> [ToyQuestion]
    ) {
        let log = CallLog()
        let supervisor = ClosureSupervisor<ToyQuestion, Int?> { question, consultation in
            switch question {
            case .search:
                let best = try await consultation.bestCandidate(
                    proposedBy: [.guess],
                    proposalRoute: route,
                    reading: { $0 },
                    knownCandidates: known,
                    isValid: { valid.contains($0) },
                    scoringWith: { .score($0) },
                    score: { $0 },
                    breakingTiesWith: { $0 < $1 }
                )
                guard let best else { return nil }
                return best.candidate * 1_000 + best.score
            case .guess:
                log.append(question)
                return guess
            case .score(let candidate):
                log.append(question)
                return scores[candidate]
            }
        }
        let assistant = ClosureAssistant<ToyQuestion, Int?> { question in
            log.append(question)
            switch question {
            case .guess: return guess
            case .score(let candidate): return scores[candidate]
            case .search: return nil
            }
        }
        return (
            run: {
                let answer: Int??
                if withAssistant {
                    var configuration = HCHConfiguration()
                    configuration.depth = 1
                    let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
                    answer = try await engine.answer(.search)
                } else {
                    answer = try await HCHEngine(supervisor: supervisor).answer(.search)
                }
                guard let encoded = answer ?? nil else { return SearchResult() }
                return SearchResult(candidate: encoded / 1_000, score: encoded % 1_000)
            },
            calls: { log.entries }
        )
    }

    @Test func keepsTheLowestScoringValidCandidate() async throws {
        let search = engine(scores: [1: 5, 2: 3, 3: 4], known: [1, 2, 3], valid: [1, 2, 3], guess: nil)
        #expect(try await search.run() == SearchResult(candidate: 2, score: 3))
    }

    @Test func dropsInvalidProposalsWithoutScoringThem() async throws {
        let search = engine(scores: [1: 5, 9: 0], known: [1], valid: [1], guess: 9)
        #expect(try await search.run() == SearchResult(candidate: 1, score: 5))
        #expect(!search.calls().contains(.score(9)))
    }

    @Test func aValidProposalCompetesWithKnownCandidates() async throws {
        let search = engine(scores: [1: 5, 7: 2], known: [1], valid: [1, 7], guess: 7)
        #expect(try await search.run() == SearchResult(candidate: 7, score: 2))
    }

    @Test func dropsCandidatesWhoseScoreIsUnusable() async throws {
        let search = engine(scores: [2: 8], known: [1, 2], valid: [1, 2], guess: nil)
        #expect(try await search.run() == SearchResult(candidate: 2, score: 8))
    }

    @Test func returnsNilWhenNoCandidateSurvives() async throws {
        let search = engine(scores: [:], known: [1, 2], valid: [1, 2], guess: nil)
        #expect(try await search.run() == SearchResult())
    }

    @Test func breaksTiesWithTheGivenOrder() async throws {
        let search = engine(scores: [4: 1, 2: 1], known: [4, 2], valid: [2, 4], guess: nil)
        #expect(try await search.run() == SearchResult(candidate: 2, score: 1))
    }

    @Test func scoresEachCandidateOnceEvenWhenProposedAndKnown() async throws {
        let search = engine(scores: [1: 5, 2: 3], known: [1, 2], valid: [1, 2], guess: 2)
        _ = try await search.run()
        #expect(search.calls().filter { $0 == .score(2) }.count == 1)
    }

    @Test func skipsAssistantProposalsWithoutAnAssistant() async throws {
        // Pure HCH: H answers the score questions itself, and no guess is asked for.
        let search = engine(scores: [1: 5, 2: 3], known: [1, 2], valid: [1, 2], guess: 1, withAssistant: false)
        #expect(try await search.run() == SearchResult(candidate: 2, score: 3))
        #expect(!search.calls().contains(.guess))
    }

    @Test func asksProposalsAsSubquestionsOnThatRoute() async throws {
        let search = engine(
            scores: [1: 5, 6: 1], known: [1], valid: [1, 6], guess: 6, route: .subquestions, withAssistant: false
        )
        #expect(try await search.run() == SearchResult(candidate: 6, score: 1))
        #expect(search.calls().contains(.guess))
    }
}

struct MultipleQuestionCandidateSearchTests {
    @Test func scoresACandidateFromSeveralAnswersOrNone() async throws {
        // Candidate c is scored by the sum of the answers to c+10 and c+20; candidate 3 needs no question.
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            guard question == 0 else { return question }
            let best = try await consultation.bestCandidate(
                knownCandidates: [1, 2, 3],
                isValid: { _ in true },
                scoringWithQuestions: { $0 == 3 ? [] : [$0 + 10, $0 + 20] },
                scoringAnswers: { candidate, answers in
                    candidate == 3 ? 100 : answers.reduce(0, +) - (candidate == 2 ? 40 : 0)
                }
            )
            return (best?.candidate ?? -1) * 1_000 + (best?.score ?? -1)
        }
        // Scores: 1 -> 11 + 21 = 32; 2 -> 12 + 22 - 40 = -6; 3 -> 100.
        #expect(try await HCHEngine(supervisor: supervisor).answer(0) == 2 * 1_000 - 6)
    }
}

private final class CallLog: Sendable {
    private let storage = Synchronization.Mutex<[ToyQuestion]>([])
    func append(_ question: ToyQuestion) { storage.withLock { $0.append(question) } }
    var entries: [ToyQuestion] { storage.withLock { $0 } }
}
