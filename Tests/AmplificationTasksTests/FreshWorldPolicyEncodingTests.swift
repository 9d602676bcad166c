import IteratedAmplification
import Testing

@testable import AmplificationTasks

/// H's decisions as a learned model of H sees them: every step of every expert's transcripts becomes tokens and
/// decodes back to the same action, contexts have the declared shape, and questions survive the trip to tokens.
struct FreshWorldPolicyEncodingTests {
    /// H's transcripts on questions about fresh worlds, its subquestions answered by the oracle, with each world's
    /// seed.
    static func transcripts<Task: FactPresentingTask>(
        _ type: Task.Type,
        size: Int,
        worlds: Int
    ) async throws -> [(worldSeed: UInt64, transcripts: [SupervisorTranscript<Task.Question, TaskAnswer>])] {
        var generator = SeededRandomNumberGenerator(seed: 11)
        var result: [(worldSeed: UInt64, transcripts: [SupervisorTranscript<Task.Question, TaskAnswer>])] = []
        for _ in 0..<worlds {
            let worldSeed = generator.next()
            let world = try Task(size: size, seed: worldSeed)
            let recording = SupervisorTranscriptRecording<Task.Question, TaskAnswer>()
            var configuration = HCHConfiguration()
            configuration.depth = 1
            let engine = HCHEngine(
                supervisor: RecordingSupervisor(world.expert, recording: recording),
                assistant: ClosureAssistant<Task.Question, TaskAnswer> { world.correctAnswer(to: $0) },
                configuration: configuration
            )
            for _ in 0..<4 {
                let question = try world.sampleQuestion(difficultyIn: world.difficulties, using: &generator)
                let answer = try await engine.run(question).result.get()
                #expect(answer == world.correctAnswer(to: question), "\(question)")
            }
            result.append((worldSeed, recording.entries))
        }
        return result
    }

    static func check<Task: FactPresentingTask>(_ type: Task.Type, size: Int, requireEveryStep: Bool) async throws {
        let base = try FreshWorldEncoding<Task>(size: size)
        let recorded = try await transcripts(Task.self, size: size, worlds: 12)
        let maximumExchanges = recorded.flatMap(\.transcripts).map(\.exchanges.count).max() ?? 0
        var steps = 0
        var expressed = 0
        for (worldSeed, transcripts) in recorded {
            let encoding = try FreshWorldPolicyEncoding(
                base: base, worldSeed: worldSeed, maximumExchanges: maximumExchanges)
            for transcript in transcripts {
                for step in transcript.steps {
                    steps += 1
                    guard let targets = encoding.targets(of: step.action, in: step.state) else { continue }
                    expressed += 1
                    for length in 1...targets.count {
                        let prefix = Array(targets[..<length])
                        let context = try encoding.context(of: step.state, emitted: Array(targets[..<(length - 1)]))
                        #expect(context.question.count == encoding.contextWidth)
                        #expect(context.facts.allSatisfy { $0.count == encoding.factWidth })
                        let tokens = context.facts.flatMap { $0 } + context.question
                        #expect(tokens.allSatisfy { (0..<encoding.tokenCount).contains($0) })
                        let decoded = encoding.decode(prefix, in: step.state)
                        if length < targets.count {
                            #expect(decoded == .incomplete, "\(step.action) after \(length) tokens")
                        } else {
                            #expect(decoded == .action(step.action), "\(step.action)")
                        }
                    }
                    #expect(targets.count <= encoding.maximumActionLength)
                }
            }
        }
        #expect(steps > 0)
        if requireEveryStep { #expect(expressed == steps) }
        // Even where a symbol is in no fact (an isolated vertex), most steps can be expressed.
        #expect(Double(expressed) >= 0.9 * Double(steps))
    }

    @Test(arguments: FreshWorldEncodingTests.TaskName.allCases, [8, 16])
    func everyStepOfHsTranscriptsDecodesToTheSameAction(task: FreshWorldEncodingTests.TaskName, size: Int)
        async throws
    {
        switch task {
        case .permutationPowering:
            try await Self.check(PermutationPoweringTask.self, size: size, requireEveryStep: true)
        case .sequentialAssignments:
            try await Self.check(SequentialAssignmentsTask.self, size: size, requireEveryStep: true)
        case .wildcardSearch: try await Self.check(WildcardSearchTask.self, size: size, requireEveryStep: true)
        case .shortestPath: try await Self.check(ShortestPathTask.self, size: size, requireEveryStep: false)
        case .unionFind: try await Self.check(UnionFindTask.self, size: size, requireEveryStep: false)
        }
    }

    static func checkQuestionsRoundTrip<Task: FactPresentingTask>(_ type: Task.Type, size: Int) throws {
        var generator = SeededRandomNumberGenerator(seed: 5)
        for _ in 0..<10 {
            let world = try Task(size: size, seed: generator.next())
            for _ in 0..<20 {
                let question = try world.sampleQuestion(difficultyIn: world.difficulties, using: &generator)
                #expect(world.question(from: world.tokens(of: question)) == question, "\(question)")
            }
            #expect(world.question(from: []) == nil)
            #expect(world.question(from: Array(repeating: .symbol(size), count: Task.questionWidth(size: size))) == nil)
        }
    }

    @Test(arguments: FreshWorldEncodingTests.TaskName.allCases)
    func questionsSurviveTheTripToTokensAndBadTokensAreNoQuestion(task: FreshWorldEncodingTests.TaskName) throws {
        switch task {
        case .permutationPowering: try Self.checkQuestionsRoundTrip(PermutationPoweringTask.self, size: 8)
        case .sequentialAssignments: try Self.checkQuestionsRoundTrip(SequentialAssignmentsTask.self, size: 8)
        case .wildcardSearch: try Self.checkQuestionsRoundTrip(WildcardSearchTask.self, size: 8)
        case .shortestPath: try Self.checkQuestionsRoundTrip(ShortestPathTask.self, size: 8)
        case .unionFind: try Self.checkQuestionsRoundTrip(UnionFindTask.self, size: 8)
        }
    }

    @Test
    func tokensThatAreNoActionAreInvalidAndAStateBeyondItsExchangesIsRefused() throws {
        let base = try FreshWorldEncoding<PermutationPoweringTask>(size: 8)
        let encoding = try FreshWorldPolicyEncoding(base: base, worldSeed: 3, maximumExchanges: 2)
        let question = PermutationPoweringTask.Question(element: 0, exponent: 5)
        let state = SupervisorState<PermutationPoweringTask.Question, TaskAnswer>(question: question)
        // An action must begin with `ask` or `answer`.
        guard case .invalid = encoding.decode([.unknown], in: state) else {
            Issue.record("an action that begins with unknown decoded")
            return
        }
        // `ask` followed by a bit where the element goes is no question.
        guard case .invalid = encoding.decode([.word(0), .word(2), .word(2), .word(2), .word(2)], in: state) else {
            Issue.record("a question without its element decoded")
            return
        }
        // A third subquestion where two are the most.
        let full = SupervisorState(
            question: question,
            exchanges: [
                SupervisorExchange(question: question, answer: TaskAnswer.value(1)),
                SupervisorExchange(question: question, answer: TaskAnswer.value(2)),
            ])
        guard case .invalid = encoding.decode([.word(0)], in: full) else {
            Issue.record("a third subquestion decoded")
            return
        }
        var crowded = full
        crowded.exchanges.append(SupervisorExchange(question: question, answer: TaskAnswer.unknown))
        #expect(throws: TaskError.self) { try encoding.context(of: crowded, emitted: []) }
        #expect(throws: TaskError.self) {
            try FreshWorldPolicyEncoding(base: base, worldSeed: 3, maximumExchanges: -1)
        }
    }
}
