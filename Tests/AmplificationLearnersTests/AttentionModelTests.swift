import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLearners

/// The attention model's contract: deterministic training whatever the thread count, a saved model that loads
/// back bit for bit, and typed errors (never a crash) for bad configurations, bad input and bad files.
struct AttentionModelTests {
    static let worlds = LookupWorlds(tokenCount: 24, symbols: 6, hops: 1)

    static func examples(_ count: Int, seed: UInt64 = 1) throws -> [FactExample] {
        let encoding = worlds.encoding
        return try worlds.demonstrations(count: count, seed: seed).map { demonstration in
            let context = encoding.context(of: demonstration.question)
            return FactExample(
                context: context,
                target: try #require(encoding.target(of: demonstration.answer, to: demonstration.question, in: context))
            )
        }
    }

    static func configuration(threads: Int) -> AttentionConfiguration {
        AttentionConfiguration(
            width: 16, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForwardWidth: 16, batchSize: 8, seed: 9,
            threads: threads
        )
    }

    static func trainedModel(threads: Int, steps: Int = 12) throws -> AttentionModel {
        var model = try AttentionModel(
            configuration: configuration(threads: threads), shape: try FactShape(worlds.encoding)
        )
        try model.train(on: try examples(64), steps: steps)
        return model
    }

    @Test func trainingIsBitIdenticalOnOneThreadAndTwo() throws {
        let one = try Self.trainedModel(threads: 1)
        let two = try Self.trainedModel(threads: 2)
        #expect(one.step == 12)
        #expect(one.weights == two.weights)
        #expect(one.teacher == two.teacher)
        #expect(
            one.weights
                != (try AttentionModel(configuration: Self.configuration(threads: 1), shape: one.shape))
                .weights)
    }

    /// At the default width and a batch of 32 worlds of 6 facts, the encoder's products have 192 rows: two blocks,
    /// shared between two threads.
    @Test func trainingIsBitIdenticalWhenTheMatrixProductsAreShared() throws {
        func trained(threads: Int) throws -> AttentionModel {
            let configuration = AttentionConfiguration(encoderLayers: 1, decoderLayers: 1, seed: 2, threads: threads)
            var model = try AttentionModel(configuration: configuration, shape: try FactShape(Self.worlds.encoding))
            try model.train(on: try Self.examples(64), steps: 2)
            return model
        }
        let one = try trained(threads: 1)
        let two = try trained(threads: 2)
        #expect(one.weights == two.weights)
        #expect(one.teacher == two.teacher)
    }

    @Test func continuedTrainingReproduces() throws {
        var split = try Self.trainedModel(threads: 1, steps: 6)
        try split.train(on: try Self.examples(64), steps: 6)
        var again = try Self.trainedModel(threads: 1, steps: 6)
        try again.train(on: try Self.examples(64), steps: 6)
        #expect(split.weights == again.weights)
        #expect(split.step == 12)
        // Each call reshuffles from the step count, so two calls of 6 are not one call of 12.
        #expect(split.weights != (try Self.trainedModel(threads: 1, steps: 12)).weights)
    }

    @Test func aCallOfNoStepsChangesNothingAndReportsNoLoss() throws {
        var model = try Self.trainedModel(threads: 1, steps: 1)
        let before = model.weights
        let summary = try model.train(on: try Self.examples(8), steps: 0)
        #expect(summary.steps == 0)
        #expect(summary.firstLoss == nil)
        #expect(summary.finalLoss == nil)
        #expect(model.weights == before)
        let error = try #require(throws: LearnerError.self) { try model.loss(on: []) }
        #expect(error.code == .noTrainingData)
    }

    @Test func aDivergingStepThrowsAndChangesNothing() throws {
        var configuration = Self.configuration(threads: 1)
        configuration.learningRate = 1e30
        configuration.warmUpSteps = 0
        configuration.gradientClipNorm = 1e30
        var model = try AttentionModel(configuration: configuration, shape: try FactShape(Self.worlds.encoding))
        let examples = try Self.examples(16)
        var diverged: LearnerError?
        for _ in 0..<20 where diverged == nil {
            let before = (model.weights, model.step)
            do {
                try model.trainStep(on: Array(examples.prefix(8)))
            } catch let error as LearnerError {
                diverged = error
                #expect(model.weights == before.0)
                #expect(model.step == before.1)
            }
        }
        #expect(diverged?.code == .trainingDiverged)
    }

    @Test(.timeLimit(.minutes(1)))
    func aDistillationStopsWhenItsTaskIsCancelled() async throws {
        let distiller = AttentionDistiller(
            encoding: Self.worlds.encoding, configuration: Self.configuration(threads: 1), trainingSteps: 100_000_000
        )
        let demonstrations = Self.worlds.demonstrations(count: 16, seed: 6)
        let task = Task { try await distiller.distill(demonstrations) }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }

    @Test func trainingStopsWhenItsTaskIsCancelled() async throws {
        let model = try Self.trainedModel(threads: 1, steps: 1)
        let examples = try Self.examples(16)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            var copy = model
            return try copy.train(on: examples, steps: 5)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func aSavedModelLoadsBackBitForBit() throws {
        let model = try Self.trainedModel(threads: 2)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attention-\(UUID()).iaattn")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try AttentionModel(contentsOf: url, threads: 1)
        #expect(loaded.weights == model.weights)
        #expect(loaded.teacher == model.teacher)
        #expect(loaded.firstMoment == model.firstMoment)
        #expect(loaded.secondMoment == model.secondMoment)
        #expect(loaded.step == model.step)
        #expect(loaded.shape == model.shape)
        #expect(loaded.configuration.threads == 1)
        let contexts = try Self.examples(20, seed: 3).map(\.context)
        #expect(try loaded.predict(contexts) == model.predict(contexts))
    }

    static func fileError(_ data: Data) -> LearnerError? {
        do {
            _ = try AttentionModel(fileData: data)
            return nil
        } catch {
            return error as? LearnerError
        }
    }

    @Test func badFilesGetErrorsThatNameTheProblem() throws {
        let data = try Self.trainedModel(threads: 1, steps: 1).fileData()
        let cases: [(name: String, data: Data, says: String)] = [
            ("empty", Data(), "not a saved attention model"),
            ("foreign", Data("{\"weights\": []}".utf8), "not a saved attention model"),
            ("cut in the header", data.prefix(20), "truncated"),
            ("cut in the weights", data.prefix(data.count / 2), "truncated"),
            ("one byte short", data.dropLast(), "truncated"),
            ("one byte long", data + Data([0]), "after the end"),
            (
                "a flipped weight",
                {
                    var d = data
                    d[d.count - 100] ^= 0x40
                    return d
                }(), "checksum"
            ),
            (
                "another version",
                {
                    var d = data
                    d[8] = 7
                    return d
                }(), "format version 7"
            ),
        ]
        for (name, bytes, says) in cases {
            let error = try #require(Self.fileError(bytes), "\(name)")
            #expect(error.code == .invalidModelFile, "\(name)")
            #expect(error.message.contains(says), "\(name): \(error.message)")
        }
        // Headers that decode but do not fit: the error comes before any weight is read.
        let header = try Self.header(of: data)
        let headerCases: [(name: String, edit: (inout [String: Any]) -> Void, says: String)] = [
            ("a parameter count that does not match", { $0["parameterCount"] = 12 }, "declares 12 parameters"),
            ("a negative step", { $0["step"] = -1 }, "step -1"),
            ("a step that cannot go on", { $0["step"] = Int.max }, "step \(Int.max)"),
            ("a huge width", { Self.edit(&$0, "configuration", "width", 1 << 40) }, "width"),
            ("a billion layers", { Self.edit(&$0, "configuration", "encoderLayers", 1_000_000_000) }, "encoder layers"),
            ("a negative vocabulary", { Self.edit(&$0, "shape", "tokenCount", -1) }, "impossible shape"),
            ("heads that do not divide", { Self.edit(&$0, "configuration", "heads", 3) }, "do not divide"),
        ]
        for (name, edit, says) in headerCases {
            var edited = header.object
            edit(&edited)
            let bytes = try Self.replacingHeader(of: data, with: edited)
            let error = try #require(Self.fileError(bytes), "\(name)")
            #expect(error.code == .invalidModelFile, "\(name)")
            #expect(error.message.contains(says), "\(name): \(error.message)")
        }
        let threads = try #require(throws: LearnerError.self) { try AttentionModel(fileData: data, threads: 0) }
        #expect(threads.code == .invalidConfiguration)

        let missing = URL(fileURLWithPath: "/nonexistent/model.iaattn")
        #expect(throws: LearnerError.self) { try AttentionModel(contentsOf: missing) }
    }

    /// The header of a saved model as a JSON object, and where it lies in the bytes.
    static func header(of data: Data) throws -> (object: [String: Any], range: Range<Int>) {
        let bytes = [UInt8](data)
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let range = 16..<(16 + length)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes[range])) as? [String: Any])
        return (object, range)
    }

    static func replacingHeader(of data: Data, with object: [String: Any]) throws -> Data {
        let (_, range) = try header(of: data)
        let json = [UInt8](try JSONSerialization.data(withJSONObject: object))
        var bytes = [UInt8](data)
        bytes.replaceSubrange(range, with: json)
        let length = UInt32(json.count)
        for index in 0..<4 { bytes[12 + index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
        return Data(bytes)
    }

    static func edit(_ object: inout [String: Any], _ part: String, _ key: String, _ value: Int) {
        var inner = object[part] as? [String: Any] ?? [:]
        inner[key] = value
        object[part] = inner
    }

    @Test func aModelForAnotherShapeIsRefusedByTheAssistant() throws {
        let model = try Self.trainedModel(threads: 1, steps: 1)
        let other = LookupEncoding(tokenCount: 30)
        let error = try #require(throws: LearnerError.self) {
            try AttentionAssistant(encoding: other, checking: model)
        }
        #expect(error.code == .incompatibleStudent)
        #expect(try AttentionAssistant(encoding: Self.worlds.encoding, checking: model).model.step == 1)
    }

    @Test(arguments: [
        (AttentionConfiguration(width: 0), "width"),
        (AttentionConfiguration(width: 30, heads: 4), "do not divide"),
        (AttentionConfiguration(heads: 0), "head"),
        (AttentionConfiguration(decoderLayers: 0), "decoder"),
        (AttentionConfiguration(feedForwardWidth: 0), "feed-forward"),
        (AttentionConfiguration(batchSize: 0), "batch"),
        (AttentionConfiguration(learningRate: .nan), "learning rate"),
        (AttentionConfiguration(teacherDecay: 1), "teacher decay"),
        (AttentionConfiguration(threads: 0), "threads"),
    ])
    func impossibleConfigurationsAreRefused(configuration: AttentionConfiguration, says: String) throws {
        let error = try #require(throws: LearnerError.self) {
            try AttentionModel(configuration: configuration, shape: try FactShape(Self.worlds.encoding))
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains(says), "\(error.message)")
    }

    @Test func badExamplesAreRefusedNamingTheExample() throws {
        var model = try AttentionModel(
            configuration: Self.configuration(threads: 1), shape: try FactShape(Self.worlds.encoding)
        )
        let good = try Self.examples(3)
        let cases: [(name: String, example: FactExample, code: LearnerError.Code, says: String)] = [
            (
                "a token outside the vocabulary",
                FactExample(context: FactContext(facts: [[1, 99]], question: [1]), target: .unknown),
                .invalidContext, "outside the vocabulary"
            ),
            (
                "a negative question token",
                FactExample(context: FactContext(facts: [[1, 2]], question: [-1]), target: .unknown),
                .invalidContext, "outside the vocabulary"
            ),
            (
                "no facts", FactExample(context: FactContext(facts: [], question: [1]), target: .unknown),
                .invalidContext, "no facts"
            ),
            (
                "a short fact", FactExample(context: FactContext(facts: [[1]], question: [1]), target: .unknown),
                .invalidContext, "fact 0 has 1 tokens"
            ),
            (
                "a long question",
                FactExample(context: FactContext(facts: [[1, 2]], question: [1, 2]), target: .unknown),
                .invalidContext, "question has 2 tokens"
            ),
            (
                "a pointer outside the facts",
                FactExample(context: FactContext(facts: [[1, 2]], question: [1]), target: .pointer(fact: 1, slot: 0)),
                .invalidTarget, "outside the 1 facts"
            ),
            (
                "a pointer outside the slots",
                FactExample(context: FactContext(facts: [[1, 2]], question: [1]), target: .pointer(fact: 0, slot: 2)),
                .invalidTarget, "slot 2"
            ),
            (
                "a word outside the vocabulary",
                FactExample(context: FactContext(facts: [[1, 2]], question: [1]), target: .word(0)),
                .invalidTarget, "answer vocabulary"
            ),
        ]
        for (name, example, code, says) in cases {
            let error = try #require(throws: LearnerError.self, "\(name)") {
                try model.train(on: good + [example], steps: 1)
            }
            #expect(error.code == code, "\(name)")
            #expect(error.demonstrationIndex == 3, "\(name)")
            #expect(error.message.contains(says), "\(name): \(error.message)")
            if code == .invalidContext {
                #expect(throws: LearnerError.self, "\(name)") { try model.predict([example.context]) }
            }
        }
        #expect(model.step == 0)
        let empty = try #require(throws: LearnerError.self) { try model.train(on: [], steps: 1) }
        #expect(empty.code == .noTrainingData)
    }

    @Test func theDistillerSkipsAnswersWithoutATargetAndRefusesWhenNoneIsLeft() async throws {
        let distiller = AttentionDistiller(
            encoding: Self.worlds.encoding, configuration: Self.configuration(threads: 1), trainingSteps: 2
        )
        let question = Self.worlds.demonstrations(count: 1, seed: 4)[0].question
        // An answer that no fact holds has no pointer: it is left out, and nothing is left.
        let error = await #expect(throws: LearnerError.self) {
            try await distiller.distill([Demonstration(question: question, answer: 999)])
        }
        #expect(error?.code == .noTrainingData)
        let student = try await distiller.distill(Self.worlds.demonstrations(count: 8, seed: 4))
        #expect(student.model.step == 2)
        let continued = try await distiller.distill(Self.worlds.demonstrations(count: 8, seed: 5), continuing: student)
        #expect(continued.model.step == 4)
        #expect(student.model.step == 2)
    }
}
