import AmplificationTasks
import IteratedAmplification
import Testing

/// Checks every task must pass, written once and run for each of the five tasks.
enum TaskChecks {
    /// Answers every question of a task with an engine, concurrently.
    static func answers<T: AlgorithmicTask, X: Assistant>(
        of task: T,
        engine: HCHEngine<T.Expert, X>
    ) async throws -> [T.Question: T.Answer] {
        try await withThrowingTaskGroup(of: (T.Question, T.Answer).self) { group in
            for question in task.questions {
                group.addTask { (question, try await engine.answer(question)) }
            }
            var answers: [T.Question: T.Answer] = [:]
            for try await (question, answer) in group { answers[question] = answer }
            return answers
        }
    }

    /// Pure HCH, with one level of help per difficulty above the lowest and no learner, answers every
    /// question exactly.
    static func pureHCHAnswersEveryQuestion<T: AlgorithmicTask>(_ task: T) async throws {
        var configuration = HCHConfiguration()
        configuration.depth = .levels(task.difficulties.count - 1)
        configuration.memoization = true
        configuration.cyclePolicy = .ignore
        let engine = HCHEngine(supervisor: task.expert, configuration: configuration)
        let answers = try await answers(of: task, engine: engine)
        #expect(answers.count == task.questions.count)
        for question in task.questions {
            #expect(answers[question] == task.correctAnswer(to: question), "\(T.name) seed \(task.seed): \(question)")
        }
    }

    /// Pure HCH one level too shallow leaves the hardest questions unknown: H really needs the help.
    static func shallowHCHCannotAnswerTheHardestQuestions<T: AlgorithmicTask>(_ task: T) async throws
    where T.Answer == TaskAnswer {
        var configuration = HCHConfiguration()
        configuration.depth = .levels(task.difficulties.count - 2)
        configuration.memoization = true
        configuration.cyclePolicy = .ignore
        let engine = HCHEngine(supervisor: task.expert, configuration: configuration)
        let hardest = task.questions(ofDifficulty: task.difficulties.upperBound)
        #expect(!hardest.isEmpty)
        for question in hardest {
            #expect(try await engine.answer(question) == .unknown, "\(T.name) seed \(task.seed): \(question)")
        }
    }

    /// Amp(H, X) with depth 1, where X answers exactly the questions up to a difficulty and "unknown" beyond,
    /// answers every question one difficulty further, and is never wrong beyond that.
    static func amplificationExtendsTheHorizonByOne<T: AlgorithmicTask>(_ task: T) async throws
    where T.Answer == TaskAnswer {
        var configuration = HCHConfiguration()
        configuration.depth = 1
        for known in (task.difficulties.lowerBound - 1)..<task.difficulties.upperBound {
            let assistant = ClosureAssistant<T.Question, TaskAnswer> { question in
                guard let difficulty = task.difficulty(of: question), difficulty <= known else { return .unknown }
                return task.correctAnswer(to: question)
            }
            let engine = HCHEngine(supervisor: task.expert, assistant: assistant, configuration: configuration)
            let answers = try await answers(of: task, engine: engine)
            for question in task.questions {
                let difficulty = try #require(task.difficulty(of: question))
                let answer = answers[question]
                let correct = task.correctAnswer(to: question)
                if difficulty <= known + 1 {
                    #expect(answer == correct, "\(T.name) knowing \(known): \(question) (difficulty \(difficulty))")
                } else {
                    #expect(
                        answer == correct || answer == .unknown,
                        "\(T.name) knowing \(known): \(question) (difficulty \(difficulty))"
                    )
                }
            }
        }
    }

    /// Equal sizes and seeds give equal worlds; different seeds give different ones.
    static func seedsReproduceWorlds<T: AlgorithmicTask>(_ type: T.Type, size: Int) throws {
        let first = try T(size: size, seed: 17)
        let second = try T(size: size, seed: 17)
        let other = try T(size: size, seed: 18)
        #expect(first.size == size)
        #expect(first.seed == 17)
        #expect(first.questions == second.questions)
        #expect(first.difficulties == second.difficulties)
        let firstAnswers = first.questions.map(first.correctAnswer(to:))
        #expect(firstAnswers == second.questions.map(second.correctAnswer(to:)))
        #expect(first.questions.map(first.difficulty(of:)) == second.questions.map(second.difficulty(of:)))
        let otherAnswers = other.questions.map(other.correctAnswer(to:))
        #expect(first.questions != other.questions || firstAnswers != otherAnswers)
    }

    /// Equal generator states give equal samples, and each sample has the difficulty asked for.
    static func samplesAreReproducibleAndHaveTheirDifficulty<T: AlgorithmicTask>(_ task: T) throws {
        var first = SeededRandomNumberGenerator(seed: 3)
        var second = SeededRandomNumberGenerator(seed: 3)
        for difficulty in task.difficulties {
            let a = try task.sampleQuestions(count: 20, ofDifficulty: difficulty, using: &first)
            let b = try task.sampleQuestions(count: 20, ofDifficulty: difficulty, using: &second)
            #expect(a == b)
            #expect(a.allSatisfy { task.difficulty(of: $0) == difficulty }, "\(T.name) difficulty \(difficulty)")
        }
        var ranged = SeededRandomNumberGenerator(seed: 4)
        for _ in 0..<50 {
            let question = try task.sampleQuestion(
                difficultyIn: (task.difficulties.lowerBound - 5)...1_000,
                using: &ranged
            )
            #expect(task.difficulty(of: question).map(task.difficulties.contains) == true)
        }
    }

    /// Every difficulty of the range has a question, and every question's difficulty lies in the range.
    static func difficultiesAreContiguous<T: AlgorithmicTask>(_ task: T) {
        let difficulties = Set(task.questions.compactMap(task.difficulty(of:)))
        #expect(difficulties == Set(task.difficulties), "\(T.name) seed \(task.seed)")
        #expect(Set(task.questions).count == task.questions.count)
    }

    /// Features lie in their cardinalities, and every correct answer and "unknown" round-trip through a class.
    static func encodingCoversEveryQuestionAndAnswer<T: AlgorithmicTask>(_ task: T) where T.Answer == TaskAnswer {
        let encoding = task.encoding
        let cardinalities = encoding.featureCardinalities
        for question in task.questions {
            let features = encoding.features(of: question)
            #expect(features.count == cardinalities.count)
            #expect(zip(features, cardinalities).allSatisfy { $0 >= 0 && $0 < $1 }, "\(question)")
            let answer = task.correctAnswer(to: question)
            let answerClass = encoding.answerClass(of: answer)
            #expect(answerClass.map { (0..<encoding.answerClassCount).contains($0) } == true, "\(question)")
            #expect(answerClass.map(encoding.answer(ofClass:)) == answer)
        }
        #expect(encoding.unknownAnswer == .unknown)
        let unknownClass = encoding.answerClass(of: .unknown)
        #expect(unknownClass.map(encoding.answer(ofClass:)) == .unknown)
        #expect(encoding.answer(ofClass: -1) == .unknown)
        #expect(encoding.answerClass(of: .value(Int.max)) == nil)
    }

    /// Sizes outside 8...64 and difficulties outside the world's range are refused with a clear error.
    static func badInputGetsAClearError<T: AlgorithmicTask>(_ type: T.Type) throws {
        for size in [0, 7, 65, -3] {
            let error = #expect(throws: TaskError.self) { try T(size: size, seed: 1) }
            #expect(error?.code == .sizeOutOfRange)
            #expect(error?.task == T.name)
            #expect(error?.message.contains("\(size)") == true)
        }
        let task = try T(size: 8, seed: 1)
        var generator = SeededRandomNumberGenerator(seed: 1)
        for difficulty in [task.difficulties.lowerBound - 1, task.difficulties.upperBound + 1] {
            let error = #expect(throws: TaskError.self) {
                try task.sampleQuestion(ofDifficulty: difficulty, using: &generator)
            }
            #expect(error?.code == .difficultyOutOfRange)
            #expect(error?.description.contains("\(difficulty)") == true)
        }
        let negative = #expect(throws: TaskError.self) {
            try task.sampleQuestions(count: -1, ofDifficulty: task.difficulties.lowerBound, using: &generator)
        }
        #expect(negative?.code == .invalidArgument)
        let disjoint = #expect(throws: TaskError.self) {
            try task.sampleQuestion(difficultyIn: 100...200, using: &generator)
        }
        #expect(disjoint?.code == .difficultyOutOfRange)
    }

    /// Runs every generic check on small worlds of a task.
    static func runAll<T: AlgorithmicTask>(_ type: T.Type, sizes: [Int], seeds: [UInt64]) async throws
    where T.Answer == TaskAnswer {
        try badInputGetsAClearError(type)
        try seedsReproduceWorlds(type, size: sizes[0])
        for size in sizes {
            for seed in seeds {
                let task = try T(size: size, seed: seed)
                difficultiesAreContiguous(task)
                encodingCoversEveryQuestionAndAnswer(task)
                try samplesAreReproducibleAndHaveTheirDifficulty(task)
            }
        }
    }
}
