import AmplificationTasks
import IteratedAmplification
import Testing

@testable import AmplificationLearners

/// A learned supervisor's loop: token by token to an action, subquestions through the engine, and an invalid
/// action met by the fallback the user chose, each counted.
struct LearnedSupervisorTests {
    typealias Task = PermutationPoweringTask
    typealias Encoding = FreshWorldPolicyEncoding<Task>

    static func base() throws -> FreshWorldEncoding<Task> { try FreshWorldEncoding<Task>(size: 8) }

    /// H's transcripts on questions about one world, the subquestions answered by the oracle.
    static func expertTranscripts(world: Task, questions: [Task.Question]) async throws -> [SupervisorTranscript<
        Task.Question, TaskAnswer
    >] {
        let recording = SupervisorTranscriptRecording<Task.Question, TaskAnswer>()
        let engine = HCHEngine(
            supervisor: RecordingSupervisor(world.expert, recording: recording),
            assistant: oracle(world),
            configuration: depthOne
        )
        for question in questions { _ = try await engine.run(question).result.get() }
        return recording.entries
    }

    static func oracle(_ world: Task) -> ClosureAssistant<Task.Question, TaskAnswer> {
        ClosureAssistant { world.correctAnswer(to: $0) }
    }

    static var depthOne: HCHConfiguration {
        var configuration = HCHConfiguration()
        configuration.depth = 1
        return configuration
    }

    static func questions(_ world: Task, count: Int, seed: UInt64) throws -> [Task.Question] {
        var generator = SeededRandomNumberGenerator(seed: seed)
        return try (0..<count).map { _ in try world.sampleQuestion(difficultyIn: world.difficulties, using: &generator)
        }
    }

    @Test
    func aModelThatEmitsHsTokensAnswersAsHDoes() async throws {
        for worldSeed: UInt64 in [1, 2, 3] {
            let world = try Task(size: 8, seed: worldSeed)
            let encoding = try Encoding(base: Self.base(), worldSeed: worldSeed, maximumExchanges: 2)
            let questions = try Self.questions(world, count: 12, seed: worldSeed)
            let transcripts = try await Self.expertTranscripts(world: world, questions: questions)
            // A "model" that knows H's token for every context H's transcripts visit.
            var table: [FactContext: FactTarget] = [:]
            for transcript in transcripts {
                for (context, target) in try encoding.emissions(of: transcript) { table[context] = target }
            }
            let policy = table
            let statistics = LearnedSupervisorStatistics()
            let learned = LearnedSupervisor(encoding: encoding, statistics: statistics) { context in
                try #require(policy[context])
            }
            let engine = HCHEngine(supervisor: learned, assistant: Self.oracle(world), configuration: Self.depthOne)
            for question in questions {
                #expect(try await engine.run(question).result.get() == world.correctAnswer(to: question))
            }
            #expect(statistics.actions == transcripts.map { $0.exchanges.count + 1 }.reduce(0, +))
            #expect(statistics.invalidActions == 0)
        }
    }

    @Test
    func anInvalidActionFailsAnswersOrGoesToHAsTheFallbackSays() async throws {
        let world = try Task(size: 8, seed: 4)
        let encoding = try Encoding(base: Self.base(), worldSeed: 4, maximumExchanges: 2)
        let question = Task.Question(element: 2, exponent: 6)
        // "unknown" cannot begin an action.
        let babble: LearnedSupervisor<Encoding>.Predictor = { _ in .unknown }

        let failing = LearnedSupervisor(encoding: encoding, fallback: .fail, predictingWith: babble)
        let failed = await HCHEngine(supervisor: failing, assistant: Self.oracle(world)).run(question)
        #expect {
            try failed.result.get()
        } throws: { error in
            let learnerError = (error as? EngineError)?.underlyingError as? LearnerError ?? error as? LearnerError
            return learnerError?.code == .invalidAction && learnerError?.message.contains("\(question)") == true
        }
        #expect(failing.statistics.invalidActions == 1)

        let answering = LearnedSupervisor(encoding: encoding, fallback: .answer(.unknown), predictingWith: babble)
        let answered = await HCHEngine(supervisor: answering, assistant: Self.oracle(world)).run(question)
        #expect(try answered.result.get() == .unknown)
        #expect(answering.statistics.fallbackAnswers == 1)
        #expect(answering.statistics.delegations == 0)

        let delegating = LearnedSupervisor(
            encoding: encoding, fallback: .delegate(to: world.expert), predictingWith: babble)
        let delegated = await HCHEngine(
            supervisor: delegating, assistant: Self.oracle(world), configuration: Self.depthOne
        ).run(question)
        #expect(try delegated.result.get() == world.correctAnswer(to: question))
        #expect(delegating.statistics.delegations == 1)
        #expect(delegating.statistics.invalidActions == 1)
    }

    @Test
    func aSubquestionBeyondTheStatesRoomOrWhereItMayNotConsultIsInvalid() async throws {
        let world = try Task(size: 8, seed: 5)
        let encoding = try Encoding(base: Self.base(), worldSeed: 5, maximumExchanges: 2)
        let question = Task.Question(element: 1, exponent: 3)
        // Always asks the question itself again: valid twice, then one too many.
        let ask = try #require(encoding.targets(of: .ask(question), in: SupervisorState(question: question)))
        let asker: LearnedSupervisor<Encoding>.Predictor = { context in
            // The action so far fills the tuple's last places from the left; the rest, the last included, are blank.
            let actionSoFar = context.question.suffix(encoding.maximumActionLength)
            return ask[actionSoFar.filter { $0 != context.question.last }.count]
        }
        let statistics = LearnedSupervisorStatistics()
        let learned = LearnedSupervisor(
            encoding: encoding, fallback: .answer(.unknown), statistics: statistics, predictingWith: asker)
        var configuration = Self.depthOne
        configuration.depth = 1
        let outcome = await HCHEngine(supervisor: learned, assistant: Self.oracle(world), configuration: configuration)
            .run(question)
        #expect(try outcome.result.get() == .unknown)
        #expect(statistics.actions == 2)
        #expect(statistics.invalidActions == 1)

        // At depth 0 the supervisor may not consult: its first subquestion is invalid.
        configuration.depth = 0
        let alone = LearnedSupervisorStatistics()
        let leaf = LearnedSupervisor(
            encoding: encoding, fallback: .answer(.unknown), statistics: alone, predictingWith: asker)
        #expect(
            try await HCHEngine(supervisor: leaf, configuration: configuration).run(question).result.get() == .unknown)
        #expect(alone.invalidActions == 1)
        #expect(alone.actions == 0)
    }

    @Test
    func aModelOfAnotherShapeIsRefused() throws {
        let encoding = try Encoding(base: Self.base(), worldSeed: 6, maximumExchanges: 2)
        let answerModel = try AttentionModel(
            configuration: AttentionConfiguration(seed: 1), shape: FactShape(Self.base()))
        #expect {
            try LearnedSupervisor(model: answerModel, encoding: encoding)
        } throws: { error in
            (error as? LearnerError)?.code == .invalidEncoding
        }
        let policyModel = try AttentionModel(
            configuration: AttentionConfiguration(seed: 1), shape: FactShape(policy: encoding))
        _ = try LearnedSupervisor(model: policyModel, encoding: encoding)
    }
}
