import Foundation
import IteratedAmplification
import Synchronization

/// A toy task for the loop's tests: the number of 1 bits of n. H knows that 0 and 1 have n bits, and
/// otherwise asks for the bits of n >> 1 and adds n & 1, answering `nil` (unknown) when the answer it got
/// is unknown. Its difficulty is n's bit width, and Amp(H, X) adds one bit of horizon per round.
enum BitCountTask {
    static func difficulty(_ number: Int) -> Int { number == 0 ? 0 : Int.bitWidth - number.leadingZeroBitCount }

    static func oracle(_ number: Int) -> Int? { number.nonzeroBitCount }

    static func supervisor(
        failingOn failing: Int? = nil
    ) -> ClosureSupervisor<Int, Int?> {
        ClosureSupervisor<Int, Int?> { number, consultation in
            if number == failing { throw FailureForTest(number: number) }
            if number <= 1 { return number }
            guard let rest = try await consultation.ask(number >> 1) else { return nil }
            return rest + (number & 1)
        }
    }

    /// An exact-memory distiller: the student answers what it was shown and `nil` otherwise.
    static func memoryDistiller() -> ClosureDistiller<MemoryStudent> {
        ClosureDistiller<MemoryStudent> { demonstrations, previous in
            var table = previous?.table ?? [:]
            for demonstration in demonstrations {
                if let answer = demonstration.answer { table[demonstration.question] = answer }
            }
            return MemoryStudent(table: table)
        }
    }

    static func evaluator(upTo limit: Int = 64) -> OracleEvaluator<MemoryStudent> {
        OracleEvaluator(questions: Array(0..<limit), difficulty: difficulty, oracle: oracle)
    }

    static func loop(
        rounds: Int,
        curriculum: some Curriculum<Int> = ClosureCurriculum { _, _ in Array(0..<64) },
        evaluator: (any StudentEvaluator<MemoryStudent>)? = BitCountTask.evaluator(),
        configure: (inout AmplificationLoopConfiguration) -> Void = { _ in },
        supervisor: ClosureSupervisor<Int, Int?> = BitCountTask.supervisor(),
        distiller: ClosureDistiller<MemoryStudent> = BitCountTask.memoryDistiller()
    ) -> AmplificationLoop<ClosureSupervisor<Int, Int?>, ClosureDistiller<MemoryStudent>> {
        var configuration = AmplificationLoopConfiguration(rounds: rounds)
        configure(&configuration)
        return AmplificationLoop(
            supervisor: supervisor, distiller: distiller, initialStudent: MemoryStudent(table: [:]),
            curriculum: curriculum, evaluator: evaluator, configuration: configuration)
    }

    struct FailureForTest: Error { var number: Int }
}

/// The toy task's student: an exact memory.
struct MemoryStudent: Assistant {
    let table: [Int: Int]

    func answer(_ question: Int) async throws -> Int? { table[question] }
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("IteratedAmplificationTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
