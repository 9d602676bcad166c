import AmplificationTasks
import IteratedAmplification
import Testing

@testable import AmplificationLearners

/// The learners on the five tasks of `AmplificationTasks`, trained on every question of a small world with the
/// oracle's answers: the memory recalls all of them, and the network fits all of them.
struct AlgorithmicTaskLearningTests {
    enum TaskName: String, CaseIterable, Sendable, CustomStringConvertible {
        case permutationPowering, sequentialAssignments, wildcardSearch, shortestPath, unionFind

        var description: String { rawValue }
    }

    /// Trains a learner on every question of a size-8 world and returns the fraction it answers as the oracle.
    func trainingAccuracy<Task: AlgorithmicTask>(
        _ type: Task.Type,
        learner: LearnerKind
    ) async throws -> Double {
        let task = try Task(size: 8, seed: 4)
        let demonstrations = task.questions.map { Demonstration(question: $0, answer: task.correctAnswer(to: $0)) }
        var correct = 0
        switch learner {
        case .memory:
            let student = try await MemoryDistiller(encoding: task.encoding).distill(demonstrations)
            for demonstration in demonstrations
            where try await student.answer(demonstration.question) == demonstration.answer {
                correct += 1
            }
        case .network:
            let configuration = NeuralNetworkConfiguration(
                hiddenLayerSizes: [64],
                trainingLength: .epochs(100),
                batchSize: 16,
                seed: 2
            )
            let student = try await NeuralNetworkDistiller(encoding: task.encoding, configuration: configuration)
                .distill(demonstrations)
            for demonstration in demonstrations
            where try await student.answer(demonstration.question) == demonstration.answer {
                correct += 1
            }
        }
        return Double(correct) / Double(demonstrations.count)
    }

    enum LearnerKind { case memory, network }

    func trainingAccuracy(_ name: TaskName, learner: LearnerKind) async throws -> Double {
        switch name {
        case .permutationPowering: try await trainingAccuracy(PermutationPoweringTask.self, learner: learner)
        case .sequentialAssignments: try await trainingAccuracy(SequentialAssignmentsTask.self, learner: learner)
        case .wildcardSearch: try await trainingAccuracy(WildcardSearchTask.self, learner: learner)
        case .shortestPath: try await trainingAccuracy(ShortestPathTask.self, learner: learner)
        case .unionFind: try await trainingAccuracy(UnionFindTask.self, learner: learner)
        }
    }

    @Test(arguments: TaskName.allCases)
    func memoryRecallsEveryQuestionOfASmallWorld(task: TaskName) async throws {
        #expect(try await trainingAccuracy(task, learner: .memory) == 1)
    }

    @Test(arguments: TaskName.allCases)
    func networkFitsEveryQuestionOfASmallWorld(task: TaskName) async throws {
        #expect(try await trainingAccuracy(task, learner: .network) == 1)
    }
}
