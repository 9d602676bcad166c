import Foundation
import Testing

/// Runs the `ida-bench` executable in a subprocess, small and fast, and reads its JSON.
struct IdaBenchTests {
    /// Runs the built `ida-bench` with arguments and requires it to succeed, showing its output when it does not.
    static func runIdaBench(_ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = try Fixture.executable(named: "ida-bench")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = try await Fixture.offTheConcurrencyPool {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return output
        }
        try #require(process.terminationStatus == 0, "\(output)")
    }

    @Test(.timeLimit(.minutes(5))) func amplificationArmUsesNoGroundTruthOnAnyTask() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("results.json")
        let plots = directory.url.appendingPathComponent("plots")
        // ida-bench counts its amplification evaluator's oracle calls and fails if any was not an evaluation.
        try await Self.runIdaBench([
            "--learner", "memory", "--size", "8", "--rounds", "2", "--questions", "50", "--evaluation", "5",
            "--json", json.path, "--plots", plots.path,
        ])

        struct Results: Decodable {
            struct Task: Decodable {
                struct Round: Decodable {
                    struct Arm: Decodable { var labels: Int; var accuracy: Double }
                    var amplification: Arm
                    var supervised: Arm
                }
                var task: String
                var rounds: [Round]
            }
            var tasks: [Task]
        }
        let results = try JSONDecoder().decode(Results.self, from: Data(contentsOf: json))
        #expect(results.tasks.count == 5)
        for task in results.tasks {
            #expect(task.rounds.count == 2, "\(task.task)")
            #expect(task.rounds.allSatisfy { $0.amplification.labels == 0 }, "\(task.task)")
            #expect(task.rounds.map(\.supervised.labels) == [50, 100], "\(task.task)")
            let plot = try String(contentsOf: plots.appendingPathComponent("\(task.task).svg"), encoding: .utf8)
            #expect(plot.hasPrefix("<svg") && plot.hasSuffix("</svg>\n"), "\(task.task)")
        }
    }

    /// The fresh-world mode, tiny: both arms train on the same fresh worlds; the amplification arm uses no label,
    /// no training world is among the held-out ones, and the JSON has the fields the documentation names.
    @Test(.timeLimit(.minutes(5))) func freshWorldsKeepTheOracleOutOfTrainingAndTheWorldsApart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("fresh.json")
        try await Self.runIdaBench(["--fresh-worlds", "--steps", "1", "--evaluation-worlds", "8", "--json", json.path])

        struct Results: Decodable {
            struct Task: Decodable {
                struct Arm: Decodable {
                    struct Point: Decodable { var step: Int; var accuracy: Double }
                    var heldOutAccuracy: Double
                    var curve: [Point]
                    var labels: Int
                    var hCalls: Int
                }
                struct Controls: Decodable { var otherWorldFacts: Double; var chance: Double }
                var task: String
                var evaluationWorlds: Int
                var trainingWorldOverlap: Int
                var controls: Controls
                var supervised: Arm
                var amplification: Arm
            }
            var tasks: [Task]
        }
        let results = try JSONDecoder().decode(Results.self, from: Data(contentsOf: json))
        #expect(results.tasks.count == 5)
        for task in results.tasks {
            #expect(task.evaluationWorlds == 8, "\(task.task)")
            #expect(task.trainingWorldOverlap == 0, "\(task.task)")
            #expect(task.amplification.labels == 0, "\(task.task)")
            #expect(task.amplification.hCalls >= 32, "\(task.task)")
            #expect(task.supervised.labels == 32, "\(task.task)")
            #expect(task.supervised.curve.last?.step == 1, "\(task.task)")
            #expect((0...1).contains(task.controls.chance), "\(task.task)")
        }
    }
}
