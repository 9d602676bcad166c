public import Foundation

/// The iterated amplification loop: amplify, distill, evaluate, repeat.
///
/// Round k draws questions from a ``Curriculum``, answers each with Amp(H, X_k) on an ``HCHEngine`` (the
/// supervisor H consulting the current student X_k, at the configured depth), collects the demonstrations
/// of the trees, distills the student X_(k+1) from them (continuing X_k), has a ``StudentEvaluator``
/// measure it on held-out questions, and reports. The loop never sees ground truth: only the evaluator
/// may hold an oracle.
///
/// Reports stream while the loop runs. Given a directory, the loop appends every demonstration and report
/// to JSON Lines files as it produces them and syncs them at the end of each round; a loop killed at any
/// moment and run again with the same directory resumes after the last completed round, rebuilding the
/// student by distilling the stored demonstrations again. See <doc:TheAmplificationLoop>.
///
/// ```swift
/// let loop = AmplificationLoop(
///     supervisor: supervisor, distiller: distiller, initialStudent: untrained,
///     curriculum: curriculum, evaluator: evaluator, configuration: .init(rounds: 8))
/// try await loop.run(storingIn: directory) { session in
///     for try await report in session.reports {
///         print(report.round, report.evaluation?.accuracy ?? 0, report.supervisorCalls)
///     }
/// }
/// ```
public struct AmplificationLoop<S: Supervisor, D: Distiller>: Sendable
where D.Question == S.Question, D.Answer == S.Answer {
    /// The question type.
    public typealias Question = S.Question
    /// The answer type.
    public typealias Answer = S.Answer
    /// The type of the distilled students.
    public typealias Student = D.Student

    /// The supervisor H.
    public var supervisor: S
    /// The distiller that turns demonstrations into the next student.
    public var distiller: D
    /// The student X_0 that round 0 consults.
    public var initialStudent: Student
    /// The source of each round's questions.
    public var curriculum: any Curriculum<Question>
    /// The measure of each distilled student, or `nil` to skip evaluation.
    public var evaluator: (any StudentEvaluator<Student>)?
    /// How the loop runs.
    public var configuration: AmplificationLoopConfiguration

    /// Creates a loop.
    ///
    /// - Parameters:
    ///   - supervisor: The supervisor H.
    ///   - distiller: The distiller.
    ///   - initialStudent: The student X_0 that round 0 consults, for example an untrained learner.
    ///   - curriculum: The source of each round's questions.
    ///   - evaluator: The measure of each distilled student, or `nil`.
    ///   - configuration: How the loop runs.
    public init(
        supervisor: S,
        distiller: D,
        initialStudent: Student,
        curriculum: some Curriculum<Question>,
        evaluator: (any StudentEvaluator<Student>)? = nil,
        configuration: AmplificationLoopConfiguration
    ) {
        self.supervisor = supervisor
        self.distiller = distiller
        self.initialStudent = initialStudent
        self.curriculum = curriculum
        self.evaluator = evaluator
        self.configuration = configuration
    }

    /// Runs the loop in memory, handing the stream of reports to a closure.
    ///
    /// The loop runs in a child task while `body` runs; this method returns when both have finished. If
    /// `body` throws, the loop is cancelled.
    ///
    /// - Parameter body: Receives the session, whose ``AmplificationLoopSession/reports`` yields a report
    ///   per round and finishes when the loop does, throwing the loop's error if it fails.
    /// - Returns: What `body` returns.
    /// - Throws: ``AmplificationLoopError``, or what `body` throws.
    public func run<Result>(
        body: (AmplificationLoopSession<Question, Answer>) async throws -> Result
    ) async throws -> Result {
        try validate()
        return try await run(storage: MemoryLoopStorage<Question, Answer>(), body: body)
    }

    /// Runs the loop in memory and returns every round's report.
    ///
    /// - Returns: The reports, one per round.
    /// - Throws: ``AmplificationLoopError``.
    public func run() async throws -> [RoundReport] {
        try await run { session in try await session.reports.collect() }
    }

    func validate() throws(AmplificationLoopError) {
        let problems = configuration.validationErrors()
        guard problems.isEmpty else {
            throw AmplificationLoopError(code: .invalidConfiguration, message: problems.joined(separator: "; "))
        }
    }

    func run<Storage: LoopStorage<Question, Answer>, Result>(
        storage: Storage,
        body: (AmplificationLoopSession<Question, Answer>) async throws -> Result
    ) async throws -> Result {
        let resumption = storage.resumption
        let student = try await rebuildStudent(from: resumption)
        let (reports, continuation) = AsyncThrowingStream<RoundReport, any Error>.makeStream()
        let session = AmplificationLoopSession(resumption: resumption, reports: reports)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await runRounds(from: resumption, student: student, storage: storage) {
                        continuation.yield($0)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                    throw error
                }
            }
            let result = try await body(session)
            try await group.waitForAll()
            return result
        }
    }

    /// Distills the student again from the stored demonstrations of every completed round.
    private func rebuildStudent(from resumption: LoopResumption<Question, Answer>) async throws -> Student {
        var student = initialStudent
        var byRound = [[Demonstration<Question, Answer>]](repeating: [], count: resumption.reports.count)
        for demonstration in resumption.demonstrations {
            // LoopDirectory has checked that every stored demonstration belongs to a completed round.
            if let round = demonstration.provenance.round, byRound.indices.contains(round) {
                byRound[round].append(demonstration)
            }
        }
        var cumulative: [Demonstration<Question, Answer>] = []
        for round in byRound.indices {
            try Task.checkCancellation()
            cumulative += byRound[round]
            let training = configuration.trainingWindow == .allRounds ? cumulative : byRound[round]
            student = try await distill(training, continuing: student, round: round)
        }
        return student
    }

    private func distill(
        _ demonstrations: [Demonstration<Question, Answer>],
        continuing student: Student,
        round: Int
    ) async throws -> Student {
        do {
            return try await distiller.distill(demonstrations, continuing: student)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw AmplificationLoopError(
                code: .distillationFailed, message: "the distiller threw on \(demonstrations.count) demonstrations",
                round: round, underlyingError: error)
        }
    }

    private func runRounds(
        from resumption: LoopResumption<Question, Answer>,
        student initial: Student,
        storage: some LoopStorage<Question, Answer>,
        report: (RoundReport) -> Void
    ) async throws {
        var student = initial
        var lastEvaluation = resumption.reports.last?.evaluation
        var cumulative = configuration.trainingWindow == .allRounds ? resumption.demonstrations : []
        let engineConfiguration = configuration.effectiveEngine
        for round in resumption.nextRound..<max(resumption.nextRound, configuration.rounds) {
            try Task.checkCancellation()
            let clock = ContinuousClock()
            let start = clock.now
            let questions: [Question]
            do {
                questions = try await curriculum.questions(forRound: round, after: lastEvaluation)
            } catch let error as CancellationError {
                throw error
            } catch {
                throw AmplificationLoopError(
                    code: .curriculumFailed, message: "the curriculum threw", round: round, underlyingError: error)
            }
            let engine = HCHEngine(supervisor: supervisor, assistant: student, configuration: engineConfiguration)
            let answered = try await amplify(questions, round: round, engine: engine, storage: storage)
            try storage.syncDemonstrations(round: round)

            cumulative += answered.demonstrations
            let training = configuration.trainingWindow == .allRounds ? cumulative : answered.demonstrations
            student = try await distill(training, continuing: student, round: round)
            var evaluation: StudentEvaluation?
            if let evaluator {
                do {
                    evaluation = try await evaluator.evaluate(student, afterRound: round)
                } catch let error as CancellationError {
                    throw error
                } catch {
                    throw AmplificationLoopError(
                        code: .evaluationFailed, message: "the evaluator threw", round: round, underlyingError: error)
                }
            }
            lastEvaluation = evaluation
            let elapsed = clock.now - start
            let roundReport = RoundReport(
                round: round,
                questions: questions.count,
                failedQuestions: answered.failures,
                demonstrations: answered.demonstrations.count,
                trainingDemonstrations: training.count,
                statistics: answered.statistics,
                evaluation: evaluation,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            )
            report(try storage.commit(roundReport))
        }
    }

    /// Answers a round's questions with Amp(H, X), a few at a time, storing demonstrations in question order.
    private func amplify(
        _ questions: [Question],
        round: Int,
        engine: HCHEngine<S, Student>,
        storage: some LoopStorage<Question, Answer>
    ) async throws -> (demonstrations: [Demonstration<Question, Answer>], statistics: RunStatistics, failures: Int) {
        var demonstrations: [Demonstration<Question, Answer>] = []
        var statistics = RunStatistics()
        var failures = 0
        let scope = configuration.demonstrationScope
        let width = configuration.maximumConcurrentQuestions
        try await withThrowingTaskGroup(of: (Int, RunOutcome<Question, Answer>).self) { group in
            var launched = 0
            var stored = 0
            var finished: [Int: RunOutcome<Question, Answer>] = [:]
            while launched < min(width, questions.count) {
                let index = launched
                group.addTask { (index, await engine.run(questions[index])) }
                launched += 1
            }
            while let (index, outcome) = try await group.next() {
                finished[index] = outcome
                // Store in question order, so the dataset is the same however the runs interleave.
                while let outcome = finished.removeValue(forKey: stored) {
                    statistics = statistics + outcome.statistics
                    switch outcome.result {
                    case .success:
                        let produced = outcome.trace?.demonstrations(round: round, scope: scope) ?? []
                        try storage.append(produced, round: round)
                        demonstrations += produced
                    case .failure(let error):
                        try Task.checkCancellation()
                        guard configuration.questionFailurePolicy == .skipQuestion else {
                            throw AmplificationLoopError(
                                code: .questionFailed, message: "Amp(H, X) failed on a question", round: round,
                                question: questions[stored], underlyingError: error)
                        }
                        failures += 1
                    }
                    stored += 1
                }
                // Launch after storing, so that with one question at a time, every earlier question's
                // demonstrations are written before the next question starts.
                if launched < questions.count {
                    let next = launched
                    group.addTask { (next, await engine.run(questions[next])) }
                    launched += 1
                }
            }
        }
        return (demonstrations, statistics, failures)
    }
}

extension AmplificationLoop where Question: Codable, Answer: Codable {
    /// Runs the loop, storing its progress in a directory and resuming from it, and hands the stream of
    /// reports to a closure.
    ///
    /// The directory holds `demonstrations.jsonl` and `reports.jsonl` (see ``LoopDirectory``). The loop first
    /// reads them: the rounds already completed are not run again; their students are distilled again from
    /// the stored demonstrations; whatever the interrupted round left is discarded and reported in
    /// ``AmplificationLoopSession/resumption``. Each round's demonstrations are appended as Amp(H, X)
    /// produces them and synced before its report is appended and synced, which completes the round.
    ///
    /// - Parameters:
    ///   - directory: The directory; created if missing.
    ///   - body: Receives the session with the resumption and the stream of this run's reports.
    /// - Returns: What `body` returns.
    /// - Throws: ``AmplificationLoopError``: ``AmplificationLoopError/Code/storageFailed`` naming the file
    ///   and line of a corrupt file, ``AmplificationLoopError/Code/inconsistentStorage`` when the files
    ///   contradict each other; or what `body` throws.
    public func run<Result>(
        storingIn directory: URL,
        body: (AmplificationLoopSession<Question, Answer>) async throws -> Result
    ) async throws -> Result {
        try validate()
        let storage = try DirectoryLoopStorage<Question, Answer>(LoopDirectory(url: directory))
        return try await run(storage: storage, body: body)
    }

    /// Runs the loop, storing its progress in a directory and resuming from it, and returns the reports of
    /// every round: those stored by earlier runs, then this run's.
    ///
    /// - Parameter directory: The directory; created if missing.
    /// - Returns: The reports, one per round.
    /// - Throws: ``AmplificationLoopError``.
    public func run(storingIn directory: URL) async throws -> [RoundReport] {
        try await run(storingIn: directory) { session in
            try await session.resumption.reports + session.reports.collect()
        }
    }
}

/// One run of an ``AmplificationLoop``: what it resumed from, and the reports of the rounds it runs.
public struct AmplificationLoopSession<Question: Sendable, Answer: Sendable>: Sendable {
    /// What the loop found in its directory; empty for a loop in memory or a fresh directory.
    public var resumption: LoopResumption<Question, Answer>
    /// The reports of the rounds this run completes, in order; finishes when the loop does, throwing the
    /// loop's error if it fails.
    public var reports: AsyncThrowingStream<RoundReport, any Error>
}

extension AsyncThrowingStream {
    /// Collects every element.
    fileprivate func collect() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
