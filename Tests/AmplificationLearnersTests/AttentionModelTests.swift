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
                context: context, target: try #require(encoding.target(of: demonstration.answer, in: context))
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
        #expect(one.weights != (try AttentionModel(configuration: Self.configuration(threads: 1), shape: one.shape))
            .weights)
    }

    @Test func continuedTrainingEqualsOneLongerCall() throws {
        var split = try Self.trainedModel(threads: 1, steps: 6)
        try split.train(on: try Self.examples(64), steps: 6)
        let whole = try Self.trainedModel(threads: 1, steps: 12)
        // Each call reshuffles from the step count, so the two schedules differ, but both reproduce.
        var again = try Self.trainedModel(threads: 1, steps: 6)
        try again.train(on: try Self.examples(64), steps: 6)
        #expect(split.weights == again.weights)
        #expect(split.step == whole.step)
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
            ("a flipped weight", { var d = data; d[d.count - 100] ^= 0x40; return d }(), "checksum"),
            ("another version", { var d = data; d[8] = 7; return d }(), "format version 7"),
        ]
        for (name, bytes, says) in cases {
            let error = try #require(Self.fileError(bytes), "\(name)")
            #expect(error.code == .invalidModelFile, "\(name)")
            #expect(error.message.contains(says), "\(name): \(error.message)")
        }
        let missing = URL(fileURLWithPath: "/nonexistent/model.iaattn")
        #expect(throws: LearnerError.self) { try AttentionModel(contentsOf: missing) }
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
            ("a token outside the vocabulary",
             FactExample(context: FactContext(facts: [[1, 99]], question: [1]), target: .unknown),
             .invalidContext, "outside the vocabulary"),
            ("a negative question token",
             FactExample(context: FactContext(facts: [[1, 2]], question: [-1]), target: .unknown),
             .invalidContext, "outside the vocabulary"),
            ("no facts", FactExample(context: FactContext(facts: [], question: [1]), target: .unknown),
             .invalidContext, "no facts"),
            ("a short fact", FactExample(context: FactContext(facts: [[1]], question: [1]), target: .unknown),
             .invalidContext, "fact 0 has 1 tokens"),
            ("a long question",
             FactExample(context: FactContext(facts: [[1, 2]], question: [1, 2]), target: .unknown),
             .invalidContext, "question has 2 tokens"),
            ("a pointer outside the facts",
             FactExample(context: FactContext(facts: [[1, 2]], question: [1]), target: .pointer(fact: 1, slot: 0)),
             .invalidTarget, "outside the 1 facts"),
            ("a pointer outside the slots",
             FactExample(context: FactContext(facts: [[1, 2]], question: [1]), target: .pointer(fact: 0, slot: 2)),
             .invalidTarget, "slot 2"),
            ("a word outside the vocabulary",
             FactExample(context: FactContext(facts: [[1, 2]], question: [1]), target: .word(0)),
             .invalidTarget, "answer vocabulary"),
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
