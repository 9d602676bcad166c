import IteratedAmplification
import Testing

@testable import AmplificationLearners

struct MemoryDistillerTests {
    let encoding = TupleEncoding(featureCardinalities: [8, 8], answerClassCount: 5)

    @Test func recallsEveryDemonstratedAnswer() async throws {
        let table = SyntheticTask.randomTable(size: 8, classCount: 5, seed: 1)
        let seen = Array(SyntheticTask.allPairs(size: 8).prefix(40))
        let memory = try await MemoryDistiller(encoding: encoding)
            .distill(SyntheticTask.demonstrations(seen) { table[$0] ?? -1 })
        for question in seen {
            #expect(try await memory.answer(question) == table[question])
        }
        #expect(memory.rememberedQuestionCount == 40)
    }

    @Test func answersUnknownForUnseenQuestions() async throws {
        let seen = [TupleQuestion(1, 2), TupleQuestion(3, 4)]
        let memory = try await MemoryDistiller(encoding: encoding).distill(
            SyntheticTask.demonstrations(seen) { _ in 3 })
        #expect(try await memory.answer(TupleQuestion(2, 1)) == nil)
        #expect(try memory.rememberedAnswer(to: TupleQuestion(2, 1)) == nil)
        #expect(try memory.rememberedAnswer(to: TupleQuestion(1, 2)) == 3)
    }

    @Test func emptyMemoryAnswersUnknown() async throws {
        let memory = try MemoryAssistant(encoding: encoding)
        #expect(try await memory.answer(TupleQuestion(0, 0)) == nil)
        #expect(memory.rememberedQuestionCount == 0)
    }

    @Test func latestResolutionKeepsTheLastDemonstratedAnswer() async throws {
        let question = TupleQuestion(5, 5)
        let demonstrations = [1, 1, 4, 2].map {
            Demonstration<TupleQuestion, SyntheticAnswer>(question: question, answer: $0)
        }
        let memory = try await MemoryDistiller(encoding: encoding, resolution: .latest).distill(demonstrations)
        #expect(try await memory.answer(question) == 2)
    }

    @Test func majorityResolutionKeepsTheMostFrequentAnswerAndBreaksTiesByRecency() async throws {
        let question = TupleQuestion(5, 5)
        let distiller = MemoryDistiller(encoding: encoding, resolution: .majority)
        let clear = [1, 4, 1, 2].map { Demonstration<TupleQuestion, SyntheticAnswer>(question: question, answer: $0) }
        #expect(try await distiller.distill(clear).answer(question) == 1)
        let tied = [3, 0, 0, 3].map { Demonstration<TupleQuestion, SyntheticAnswer>(question: question, answer: $0) }
        #expect(try await distiller.distill(tied).answer(question) == 3)
    }

    @Test func demonstrationsWithoutAClassAreLeftOut() async throws {
        let question = TupleQuestion(2, 2)
        let demonstrations: [Demonstration<TupleQuestion, SyntheticAnswer>] = [
            Demonstration(question: question, answer: 4),
            Demonstration(question: question, answer: nil),
            Demonstration(question: TupleQuestion(3, 3), answer: nil),
        ]
        let memory = try await MemoryDistiller(encoding: encoding).distill(demonstrations)
        #expect(try await memory.answer(question) == 4)
        #expect(memory.rememberedQuestionCount == 1)
    }

    @Test func continuingKeepsOldAnswersAndLetsNewOnesWin() async throws {
        let distiller = MemoryDistiller(encoding: encoding)
        let first = try await distiller.distill([
            Demonstration(question: TupleQuestion(0, 1), answer: 1),
            Demonstration(question: TupleQuestion(0, 2), answer: 2),
        ])
        let second = try await distiller.distill(
            [
                Demonstration(question: TupleQuestion(0, 2), answer: 4),
                Demonstration(question: TupleQuestion(0, 3), answer: 3),
            ],
            continuing: first
        )
        #expect(try await second.answer(TupleQuestion(0, 1)) == 1)
        #expect(try await second.answer(TupleQuestion(0, 2)) == 4)
        #expect(try await second.answer(TupleQuestion(0, 3)) == 3)
        // The previous student is a value: continuing does not change it.
        #expect(try await first.answer(TupleQuestion(0, 2)) == 2)
        #expect(try await first.answer(TupleQuestion(0, 3)) == nil)
    }

    @Test func continuingWithMajorityCountsOldVotes() async throws {
        let question = TupleQuestion(1, 1)
        let distiller = MemoryDistiller(encoding: encoding, resolution: .majority)
        let first = try await distiller.distill([1, 1].map { Demonstration(question: question, answer: $0) })
        let second = try await distiller.distill([Demonstration(question: question, answer: 2)], continuing: first)
        #expect(try await second.answer(question) == 1)
    }

    @Test func continuingARememberedMemoryOfAnotherResolutionIsRejected() async throws {
        let first = try await MemoryDistiller(encoding: encoding, resolution: .latest)
            .distill([Demonstration(question: TupleQuestion(1, 1), answer: 1)])
        let error = await #expect(throws: LearnerError.self) {
            try await MemoryDistiller(encoding: encoding, resolution: .majority)
                .distill([Demonstration(question: TupleQuestion(1, 1), answer: 2)], continuing: first)
        }
        #expect(error?.code == .incompatibleStudent)
    }

    @Test func emptyDemonstrationsAreAnError() async throws {
        let error = await #expect(throws: LearnerError.self) {
            try await MemoryDistiller(encoding: encoding).distill([])
        }
        #expect(error?.code == .noTrainingData)
        let onlyUnknown = await #expect(throws: LearnerError.self) {
            try await MemoryDistiller(encoding: encoding).distill([
                Demonstration(question: TupleQuestion(1, 1), answer: nil)
            ])
        }
        #expect(onlyUnknown?.code == .noTrainingData)
    }

    @Test func featuresOutOfRangeAreAnErrorNamingTheDemonstration() async throws {
        let demonstrations: [Demonstration<TupleQuestion, SyntheticAnswer>] = [
            Demonstration(question: TupleQuestion(1, 1), answer: 1),
            Demonstration(question: TupleQuestion(1, 8), answer: 1),
        ]
        let error = await #expect(throws: LearnerError.self) {
            try await MemoryDistiller(encoding: encoding).distill(demonstrations)
        }
        #expect(error?.code == .invalidFeatures)
        #expect(error?.demonstrationIndex == 1)
        #expect(error?.message.contains("(1, 8)") == true)
    }

    @Test func aWrongFeatureCountIsAnError() async throws {
        let error = await #expect(throws: LearnerError.self) {
            try await MemoryDistiller(encoding: encoding).distill([
                Demonstration(question: TupleQuestion(1, 1, 1), answer: 1)
            ])
        }
        #expect(error?.code == .invalidFeatures)
        #expect(error?.demonstrationIndex == 0)
    }

    @Test func anAnswerClassOutOfRangeIsAnError() async throws {
        let error = await #expect(throws: LearnerError.self) {
            try await MemoryDistiller(encoding: encoding).distill([
                Demonstration(question: TupleQuestion(1, 1), answer: 5)
            ])
        }
        #expect(error?.code == .invalidAnswerClass)
    }

    @Test func answeringAQuestionThatDoesNotFitTheEncodingIsAnError() async throws {
        let memory = try MemoryAssistant(encoding: encoding)
        let error = await #expect(throws: LearnerError.self) {
            try await memory.answer(TupleQuestion(-1, 0))
        }
        #expect(error?.code == .invalidFeatures)
    }

    @Test func anEncodingWithoutFeaturesOrClassesIsAnError() {
        #expect(throws: LearnerError.self) {
            try MemoryAssistant(encoding: TupleEncoding(featureCardinalities: [], answerClassCount: 2))
        }
        #expect(throws: LearnerError.self) {
            try MemoryAssistant(encoding: TupleEncoding(featureCardinalities: [3, 0], answerClassCount: 2))
        }
        #expect(throws: LearnerError.self) {
            try MemoryAssistant(encoding: TupleEncoding(featureCardinalities: [3], answerClassCount: 0))
        }
    }
}
