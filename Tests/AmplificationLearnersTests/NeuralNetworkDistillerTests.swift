import IteratedAmplification
import Testing

@testable import AmplificationLearners

struct NeuralNetworkDistillerTests {
    /// A random table over 8 x 8 pairs with 6 classes: only memorising can fit it.
    let tableEncoding = TupleEncoding(featureCardinalities: [8, 8], answerClassCount: 6)
    let table = SyntheticTask.randomTable(size: 8, classCount: 6, seed: 11)

    func tableAnswer(_ question: TupleQuestion) -> Int { table[question] ?? -1 }

    func configuration(epochs: Int, seed: UInt64 = 5, hidden: [Int] = [64]) -> NeuralNetworkConfiguration {
        NeuralNetworkConfiguration(hiddenLayerSizes: hidden, trainingLength: .epochs(epochs), batchSize: 16, seed: seed)
    }

    @Test func fitsASmallRandomTableCompletely() async throws {
        let questions = SyntheticTask.allPairs(size: 8)
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 150))
        let student = try await distiller.distill(SyntheticTask.demonstrations(questions, answer: tableAnswer))
        #expect(try await SyntheticTask.accuracy(of: student, on: questions, answer: tableAnswer) == 1)
        let summary = try #require(student.lastTraining)
        #expect(summary.exampleCount == 64)
        #expect(summary.steps == 150 * 4)
        #expect(summary.finalPassAccuracy == 1)
    }

    @Test func embeddingInputWithTwoHiddenLayersFitsASmallRandomTable() async throws {
        let questions = SyntheticTask.allPairs(size: 8)
        var configuration = configuration(epochs: 150, hidden: [32, 32])
        configuration.input = .embedding(dimension: 8)
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration)
        let student = try await distiller.distill(SyntheticTask.demonstrations(questions, answer: tableAnswer))
        #expect(try await SyntheticTask.accuracy(of: student, on: questions, answer: tableAnswer) == 1)
    }

    /// The answer is a random function of the first feature; the second is noise. Trained on half of the
    /// 16 x 16 pairs, the network must learn to ignore the noise: it answers at least 95% of the other half
    /// (98.4% with these seeds and the default learning rate).
    @Test func generalisesToHeldOutQuestionsByIgnoringAnIrrelevantFeature() async throws {
        let encoding = TupleEncoding(featureCardinalities: [16, 16], answerClassCount: 5)
        var generator = SeededRandomNumberGenerator(seed: 21)
        let classOfFirst = (0..<16).map { _ in generator.nextInt(below: 5) }
        let answer = { (question: TupleQuestion) in classOfFirst[question.values[0]] }
        let (training, heldOut) = SyntheticTask.split(SyntheticTask.allPairs(size: 16), trainingFraction: 0.5, seed: 3)
        var configuration = configuration(epochs: 30)
        configuration.weightDecay = 0.05
        let distiller = NeuralNetworkDistiller(encoding: encoding, configuration: configuration)
        let student = try await distiller.distill(SyntheticTask.demonstrations(training, answer: answer))
        let accuracy = try await SyntheticTask.accuracy(of: student, on: heldOut, answer: answer)
        #expect(accuracy >= 0.95, "held-out accuracy \(accuracy)")
    }

    /// Comparison of a with b (less, equal, greater) over 24 x 24 pairs: trained on 60% of them, the network
    /// answers at least 80% of the rest (86.6% with these seeds; pairs near the diagonal are the hard ones).
    @Test func generalisesToHeldOutQuestionsOfAnOrderedTask() async throws {
        let encoding = TupleEncoding(featureCardinalities: [24, 24], answerClassCount: 3)
        let (training, heldOut) = SyntheticTask.split(
            SyntheticTask.allPairs(size: 24),
            trainingFraction: 0.6,
            seed: 3
        )
        let distiller = NeuralNetworkDistiller(encoding: encoding, configuration: configuration(epochs: 30))
        let student = try await distiller.distill(
            SyntheticTask.demonstrations(training, answer: SyntheticTask.comparison)
        )
        let accuracy = try await SyntheticTask.accuracy(of: student, on: heldOut, answer: SyntheticTask.comparison)
        #expect(accuracy >= 0.8, "held-out accuracy \(accuracy)")
    }

    @Test func theSameSeedAndDataGiveABitIdenticalStudent() async throws {
        let questions = SyntheticTask.allPairs(size: 8)
        let demonstrations = SyntheticTask.demonstrations(questions, answer: tableAnswer)
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 5))
        let first = try await distiller.distill(demonstrations)
        let second = try await distiller.distill(demonstrations)
        #expect(first.model.parameters == second.model.parameters)
        for question in questions {
            #expect(try first.classProbabilities(for: question) == second.classProbabilities(for: question))
        }
        let otherSeed = NeuralNetworkDistiller(
            encoding: tableEncoding, configuration: configuration(epochs: 5, seed: 6))
        #expect(try await otherSeed.distill(demonstrations).model.parameters != first.model.parameters)
    }

    @Test func aChainOfContinuedRoundsReproducesBitForBit() async throws {
        let questions = SyntheticTask.allPairs(size: 8)
        let (first, second) = SyntheticTask.split(questions, trainingFraction: 0.5, seed: 2)
        var configuration = configuration(epochs: 3)
        configuration.input = .embedding(dimension: 4)
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration)
        func chain() async throws -> NeuralNetworkAssistant<TupleEncoding> {
            let roundOne = try await distiller.distill(SyntheticTask.demonstrations(first, answer: tableAnswer))
            return try await distiller.distill(
                SyntheticTask.demonstrations(second, answer: tableAnswer),
                continuing: roundOne
            )
        }
        let one = try await chain()
        let other = try await chain()
        #expect(one.model.parameters == other.model.parameters)
        #expect(one.model.firstMoments == other.model.firstMoments)
        #expect(one.model.secondMoments == other.model.secondMoments)
        #expect(one.trainingRounds == 2)
    }

    @Test func trainingForAFixedNumberOfStepsTakesExactlyThoseSteps() async throws {
        var configuration = configuration(epochs: 1)
        configuration.trainingLength = .steps(37)
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration)
        // 64 examples in minibatches of 16: 37 steps make 9 passes and a quarter.
        let student = try await distiller.distill(
            SyntheticTask.demonstrations(SyntheticTask.allPairs(size: 8), answer: tableAnswer)
        )
        #expect(student.lastTraining?.steps == 37)
        #expect(student.optimizerSteps == 37)
    }

    @Test func continuingKeepsWhatWasLearned() async throws {
        let questions = SyntheticTask.allPairs(size: 8)
        let (kept, refreshed) = SyntheticTask.split(questions, trainingFraction: 0.5, seed: 9)
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 150))
        let first = try await distiller.distill(SyntheticTask.demonstrations(questions, answer: tableAnswer))
        #expect(try await SyntheticTask.accuracy(of: first, on: questions, answer: tableAnswer) == 1)

        let fineTuning = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 5))
        let continued = try await fineTuning.distill(
            SyntheticTask.demonstrations(refreshed, answer: tableAnswer),
            continuing: first
        )
        let keptAccuracy = try await SyntheticTask.accuracy(of: continued, on: kept, answer: tableAnswer)
        #expect(keptAccuracy >= 0.9, "accuracy on questions not in the second round: \(keptAccuracy)")
        #expect(continued.trainingRounds == 2)
        #expect(continued.optimizerSteps == first.optimizerSteps + 5 * 2)

        // A fresh student trained the same way has nothing to keep: the table is random (12.5% here; chance
        // is 1 in 6).
        let fresh = try await fineTuning.distill(SyntheticTask.demonstrations(refreshed, answer: tableAnswer))
        let freshAccuracy = try await SyntheticTask.accuracy(of: fresh, on: kept, answer: tableAnswer)
        #expect(freshAccuracy < 0.5, "a fresh student's accuracy on unseen questions: \(freshAccuracy)")
    }

    @Test func anUntrainedStudentAnswersUnknownAndTrainsLikeNoStudent() async throws {
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 3))
        let untrained = try distiller.untrainedStudent()
        #expect(try await untrained.answer(TupleQuestion(1, 2)) == nil)
        #expect(untrained.trainingRounds == 0)
        #expect(untrained.lastTraining == nil)
        let demonstrations = SyntheticTask.demonstrations(SyntheticTask.allPairs(size: 8), answer: tableAnswer)
        let fromUntrained = try await distiller.distill(demonstrations, continuing: untrained)
        let fromNothing = try await distiller.distill(demonstrations)
        #expect(fromUntrained.model.parameters == fromNothing.model.parameters)
    }

    @Test func probabilitiesSumToOneAndRankThePredictedClassFirst() async throws {
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 10))
        let student = try await distiller.distill(
            SyntheticTask.demonstrations(SyntheticTask.allPairs(size: 8), answer: tableAnswer)
        )
        for question in SyntheticTask.allPairs(size: 8).prefix(10) {
            let probabilities = try student.classProbabilities(for: question)
            #expect(probabilities.count == 6)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
            let predicted = try student.predictedClass(for: question)
            #expect(probabilities.allSatisfy { $0 <= probabilities[predicted] })
            #expect(try await student.answer(question) == predicted)
        }
    }

    @Test func answersUnknownBelowTheMinimumConfidence() async throws {
        let questions = SyntheticTask.allPairs(size: 8)
        let demonstrations = SyntheticTask.demonstrations(questions, answer: tableAnswer)
        let plain = try await NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 2))
            .distill(demonstrations)
        let unsure = try #require(
            try questions.first { try plain.classProbabilities(for: $0).max() ?? 1 < 0.9 }
        )
        var cautiousConfiguration = configuration(epochs: 2)
        cautiousConfiguration.minimumConfidence = 0.9
        let cautious = try await NeuralNetworkDistiller(encoding: tableEncoding, configuration: cautiousConfiguration)
            .distill(demonstrations)
        #expect(try await plain.answer(unsure) != nil)
        #expect(try await cautious.answer(unsure) == nil)
    }

    @Test func emptyOrUnlabelledDemonstrationsAreAnError() async throws {
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 1))
        let empty = await #expect(throws: LearnerError.self) { try await distiller.distill([]) }
        #expect(empty?.code == .noTrainingData)
        let unknownOnly = await #expect(throws: LearnerError.self) {
            try await distiller.distill([Demonstration(question: TupleQuestion(0, 0), answer: nil)])
        }
        #expect(unknownOnly?.code == .noTrainingData)
    }

    @Test func inconsistentDemonstrationsAreAnErrorNamingTheDemonstration() async throws {
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 1))
        let outOfRange = await #expect(throws: LearnerError.self) {
            try await distiller.distill([
                Demonstration(question: TupleQuestion(0, 0), answer: 1),
                Demonstration(question: TupleQuestion(9, 0), answer: 1),
            ])
        }
        #expect(outOfRange?.code == .invalidFeatures)
        #expect(outOfRange?.demonstrationIndex == 1)
        let wrongCount = await #expect(throws: LearnerError.self) {
            try await distiller.distill([Demonstration(question: TupleQuestion(0), answer: 1)])
        }
        #expect(wrongCount?.code == .invalidFeatures)
        let badClass = await #expect(throws: LearnerError.self) {
            try await distiller.distill([Demonstration(question: TupleQuestion(0, 0), answer: 6)])
        }
        #expect(badClass?.code == .invalidAnswerClass)
    }

    @Test func answeringAQuestionThatDoesNotFitTheEncodingIsAnError() async throws {
        let student = try await NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration(epochs: 1))
            .distill([Demonstration(question: TupleQuestion(0, 0), answer: 1)])
        let error = await #expect(throws: LearnerError.self) { try await student.answer(TupleQuestion(0, 8)) }
        #expect(error?.code == .invalidFeatures)
    }

    @Test(arguments: [
        NeuralNetworkConfiguration(hiddenLayerSizes: []),
        NeuralNetworkConfiguration(hiddenLayerSizes: [16, 0]),
        NeuralNetworkConfiguration(input: .embedding(dimension: 0)),
        NeuralNetworkConfiguration(trainingLength: .epochs(0)),
        NeuralNetworkConfiguration(trainingLength: .steps(-1)),
        NeuralNetworkConfiguration(batchSize: 0),
        NeuralNetworkConfiguration(learningRate: 0),
        NeuralNetworkConfiguration(learningRate: .nan),
    ])
    func impossibleConfigurationsAreAnError(configuration: NeuralNetworkConfiguration) async throws {
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration)
        let error = await #expect(throws: LearnerError.self) {
            try await distiller.distill([Demonstration(question: TupleQuestion(0, 0), answer: 1)])
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(throws: LearnerError.self) { try distiller.untrainedStudent() }
    }

    @Test func continuingAStudentOfAnotherArchitectureIsAnError() async throws {
        let demonstrations = [Demonstration<TupleQuestion, SyntheticAnswer>(question: TupleQuestion(0, 0), answer: 1)]
        let small = try await NeuralNetworkDistiller(
            encoding: tableEncoding, configuration: configuration(epochs: 1, hidden: [8])
        )
        .distill(demonstrations)
        let error = await #expect(throws: LearnerError.self) {
            try await NeuralNetworkDistiller(
                encoding: tableEncoding, configuration: configuration(epochs: 1, hidden: [16])
            )
            .distill(demonstrations, continuing: small)
        }
        #expect(error?.code == .incompatibleStudent)
    }

    @Test func aDivergingLossIsAnError() async throws {
        let questions = SyntheticTask.allPairs(size: 8)
        var configuration = configuration(epochs: 50)
        configuration.learningRate = 1e30
        let distiller = NeuralNetworkDistiller(encoding: tableEncoding, configuration: configuration)
        let error = await #expect(throws: LearnerError.self) {
            try await distiller.distill(SyntheticTask.demonstrations(questions, answer: tableAnswer))
        }
        #expect(error?.code == .trainingDiverged)
    }

    @Test func cancellationStopsTraining() async throws {
        let distiller = NeuralNetworkDistiller(
            encoding: tableEncoding,
            configuration: NeuralNetworkConfiguration(hiddenLayerSizes: [64], trainingLength: .steps(100_000_000))
        )
        let demonstrations = SyntheticTask.demonstrations(SyntheticTask.allPairs(size: 8), answer: tableAnswer)
        let training = Task { try await distiller.distill(demonstrations) }
        training.cancel()
        await #expect(throws: CancellationError.self) { try await training.value }
    }
}
