import Foundation
import Testing

/// Runs the `ida-bench` executable in a subprocess, small and fast, and reads its JSON.
struct IdaBenchTests {
    /// Runs the built `ida-bench` with arguments and requires it to succeed, showing its output when it does not.
    static func runIdaBench(_ arguments: [String]) async throws {
        let (status, output) = try await runIdaBenchAllowingFailure(arguments)
        try #require(status == 0, "\(output)")
    }

    /// Runs the built `ida-bench` with arguments; returns its exit status and its output.
    static func runIdaBenchAllowingFailure(_ arguments: [String]) async throws -> (Int32, String) {
        try await Fixture.run(executable: "ida-bench", arguments)
    }

    @Test(.timeLimit(.minutes(5))) func amplificationArmUsesNoGroundTruthOnAnyTask() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("results.json")
        let plots = directory.url.appendingPathComponent("plots")
        // ida-bench counts its amplification evaluator's oracle calls and fails if any was not an evaluation.
        try await Self.runIdaBench([
            "--single-world", "--learner", "memory", "--size", "8", "--rounds", "2", "--questions", "50",
            "--evaluation", "5",
            "--json", json.path, "--plots", plots.path,
        ])

        struct Results: Decodable {
            struct Task: Decodable {
                struct Round: Decodable {
                    struct Arm: Decodable {
                        var labels: Int
                        var accuracy: Double
                    }
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

    /// The fresh-world experiment, tiny: both arms train on the same fresh worlds; the amplification arm uses no
    /// label, no training world is among the held-out ones, and the JSON, the table and the plots have what the
    /// documentation names.
    @Test(.timeLimit(.minutes(5))) func freshWorldsKeepTheOracleOutOfTrainingAndTheWorldsApart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("fresh.json")
        let table = directory.url.appendingPathComponent("fresh.md")
        let plots = directory.url.appendingPathComponent("plots")
        // One run at a time, so that the test adds one busy core, not two, beside the suite's timing tests.
        try await Self.runIdaBench([
            "--size", "8", "--seeds", "1", "--steps", "1", "--evaluation-worlds", "8", "--jobs", "1", "--json",
            json.path, "--table", table.path, "--plots", plots.path,
        ])

        struct Results: Decodable {
            struct Arm: Decodable {
                struct DifficultyCount: Decodable {
                    var questions: Int
                }
                struct Point: Decodable {
                    var step: Int
                    var accuracy: Double
                    var targetAccuracy: [DifficultyCount]?
                }
                var heldOutAccuracy: Double
                var curve: [Point]
                var labels: Int
                var hCalls: Int
                var unknownTargets: Int
            }
            struct Controls: Decodable {
                var otherWorldFacts: Double
                var questionOnly: Double
                var chance: Double
                var questionOnlyChance: Double
            }
            struct Run: Decodable {
                var task: String
                var size: Int
                var evaluationWorlds: Int
                var trainingWorldOverlap: Int
                var controls: Controls
                var supervised: Arm
                var amplification: Arm
            }
            struct Spread: Decodable {
                var mean: Double
                var values: [Double]
            }
            struct SummaryArm: Decodable {
                struct Point: Decodable {
                    var step: Int
                    var accuracy: Spread
                }
                var heldOutAccuracy: Spread
                var curve: [Point]
            }
            struct SummaryControls: Decodable {
                var otherWorldFacts: Spread
                var questionOnly: Spread
                var chance: Spread
                var questionOnlyChance: Spread
            }
            struct Summary: Decodable {
                var task: String
                var evaluationWorlds: Int
                var trainingWorldOverlap: Int
                var controls: SummaryControls
                var supervised: SummaryArm
                var amplification: SummaryArm
            }
            var runs: [Run]
            var summaries: [Summary]
        }
        let results = try JSONDecoder().decode(Results.self, from: Data(contentsOf: json))
        #expect(results.runs.count == 5)
        #expect(results.summaries.count == 5)
        for run in results.runs {
            #expect(run.size == 8, "\(run.task)")
            #expect(run.evaluationWorlds == 8, "\(run.task)")
            #expect(run.trainingWorldOverlap == 0, "\(run.task)")
            #expect(run.amplification.labels == 0, "\(run.task)")
            #expect(run.amplification.hCalls >= 64, "\(run.task)")
            #expect(run.supervised.labels == 64, "\(run.task)")
            // The oracle grades every amplification target for the diagnosis, none of the supervised arm's.
            #expect(run.amplification.curve.last?.targetAccuracy?.map(\.questions).reduce(0, +) == 64, "\(run.task)")
            #expect(run.supervised.curve.last?.targetAccuracy == nil, "\(run.task)")
            #expect((0...64).contains(run.amplification.unknownTargets), "\(run.task)")
            #expect(run.supervised.unknownTargets == 0, "\(run.task)")
            #expect(run.supervised.curve.last?.step == 1, "\(run.task)")
            #expect((0...1).contains(run.controls.chance), "\(run.task)")
            #expect((0...1).contains(run.controls.questionOnly), "\(run.task)")
            #expect((0...1).contains(run.controls.questionOnlyChance), "\(run.task)")
        }
        for summary in results.summaries {
            let run = try #require(results.runs.first { $0.task == summary.task })
            #expect(summary.supervised.heldOutAccuracy.values == [run.supervised.heldOutAccuracy], "\(summary.task)")
            #expect(summary.amplification.curve.map(\.step) == run.amplification.curve.map(\.step))
            #expect(summary.controls.questionOnly.mean == run.controls.questionOnly, "\(summary.task)")
            #expect(summary.controls.questionOnlyChance.mean == run.controls.questionOnlyChance, "\(summary.task)")
            let plot = try String(
                contentsOf: plots.appendingPathComponent("fresh-worlds-\(summary.task).svg"), encoding: .utf8)
            #expect(plot.hasPrefix("<svg") && plot.hasSuffix("</svg>\n"), "\(summary.task)")
        }
        let markdown = try String(contentsOf: table, encoding: .utf8)
        #expect(results.summaries.allSatisfy { markdown.contains("| \($0.task) | 8 |") })
    }

    /// Runs side by side give what they give one at a time: every run is seeded on its own, and the summaries
    /// keep the planned order whatever order the runs finish in.
    @Test(.timeLimit(.minutes(5))) func runsSideBySideGiveTheSameResultsAsOneAtATime() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var documents: [Any] = []
        for jobs in ["1", "2"] {
            let json = directory.url.appendingPathComponent("jobs-\(jobs).json")
            try await Self.runIdaBench([
                "--task", "permutation-powering", "--task", "union-find", "--size", "8", "--seeds", "2", "--steps",
                "3", "--evaluation-worlds", "8", "--jobs", jobs, "--json", json.path,
            ])
            documents.append(try JSONSerialization.jsonObject(with: Data(contentsOf: json)))
        }
        // Everything but the wall times and the command line.
        func withoutTimes(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { $0.key != "seconds" && $0.key != "command" }.mapValues(withoutTimes)
            }
            if let array = value as? [Any] { return array.map(withoutTimes) }
            return value
        }
        let (oneAtATime, sideBySide) = (withoutTimes(documents[0]), withoutTimes(documents[1]))
        let runs = try #require((oneAtATime as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(
            runs.map { "\($0["task"] ?? "")-\($0["seed"] ?? "")" } == [
                "permutation-powering-1", "permutation-powering-2", "union-find-1", "union-find-2",
            ])
        #expect(NSDictionary(dictionary: try #require(oneAtATime as? [String: Any])).isEqual(sideBySide))
    }

    /// The third arm, tiny: H′ answers where H gave no transcript, H gives transcripts at the starting rate within
    /// the budget and is counted, no label is used, and the JSON and the table say so.
    @Test(.timeLimit(.minutes(5))) func theLearnedModelOfHTrainsOnHsTranscriptsAndIsCounted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("human-model.json")
        let table = directory.url.appendingPathComponent("human-model.md")
        try await Self.runIdaBench([
            "--size", "8", "--seeds", "1", "--steps", "2", "--evaluation-worlds", "8", "--human-model", "learned",
            "--human-transcript-budget", "5", "--jobs", "1", "--json", json.path, "--table", table.path,
        ])
        struct Results: Decodable {
            struct Arm: Decodable {
                var labels: Int
                var hCalls: Int
                var studentCalls: Int
                var hTranscripts: Int?
                var humanModelInvalidActions: Int?
                var humanModelRate: Double?
            }
            struct Run: Decodable {
                var task: String
                var amplification: Arm
                var humanModelAmplification: Arm?
            }
            struct Summary: Decodable {
                struct HumanModel: Decodable {
                    var hTranscripts: Double
                    var supervisedLabels: Double
                }
                var task: String
                var humanModelAmplification: HumanModel?
            }
            var runs: [Run]
            var summaries: [Summary]
        }
        let results = try JSONDecoder().decode(Results.self, from: Data(contentsOf: json))
        // By default the three tasks whose H asks a fixed number of subquestions.
        #expect(
            results.runs.map(\.task) == ["permutation-powering", "sequential-assignments", "wildcard-search"])
        for run in results.runs {
            let arm = try #require(run.humanModelAmplification, "\(run.task)")
            #expect(arm.labels == 0, "\(run.task)")
            // Four transcripts per step at the start (an untrained H′ reproduces none), each one call of H at the
            // root, until the budget of 5 is spent.
            #expect(arm.hTranscripts == 5, "\(run.task)")
            #expect(arm.hCalls == 5, "\(run.task)")
            #expect(arm.humanModelRate == 4, "\(run.task)")
            // The other questions (60, then 63) went to H′; an untrained H′ babbles, and each babble counts once.
            #expect((1...(60 + 63)).contains(arm.humanModelInvalidActions ?? -1), "\(run.task)")
            #expect(run.amplification.humanModelInvalidActions == nil, "\(run.task)")
        }
        for summary in results.summaries {
            #expect(summary.humanModelAmplification?.hTranscripts == 5, "\(summary.task)")
            #expect(summary.humanModelAmplification?.supervisedLabels == Double(2 * 64), "\(summary.task)")
        }
        let markdown = try String(contentsOf: table, encoding: .utf8)
        #expect(markdown.contains("The learned model of H (H′)"))
        #expect(markdown.contains("| wildcard-search | 8 |"))
    }

    @Test func thePlanListsEveryRunWithItsStepsAndLayersAndTrainsNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("plan.json")
        func runLines(_ output: String) -> [Substring] {
            output.split(separator: "\n").filter { $0.hasPrefix("  ") }
        }

        let (status, output) = try await Self.runIdaBenchAllowingFailure([
            "--plan", "--task", "union-find", "--task", "permutation-powering", "--size", "8", "--size", "16",
            "--seeds", "2", "--json", json.path,
        ])
        #expect(status == 0, "\(output)")
        let planned = runLines(output)
        #expect(planned.count == 8, "\(output)")
        for size in [8, 16] {
            for task in ["union-find", "permutation-powering"] {
                for seed in [1, 2] {
                    #expect(planned.contains { $0.hasPrefix("  \(task) at size \(size), seed \(seed): ") }, "\(output)")
                }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: json.path), "--plan wrote results")
        // The full run's settings differ by task and size (they are what its log and JSON record).
        let settings = Set(planned.map { $0.split(separator: ": ").last ?? "" })
        #expect(settings.count > 1, "\(output)")

        let (_, replaced) = try await Self.runIdaBenchAllowingFailure([
            "--plan", "--seeds", "1", "--steps", "7", "--layers", "1,3",
        ])
        #expect(runLines(replaced).count == 10, "\(replaced)")
        #expect(runLines(replaced).allSatisfy { $0.hasSuffix(": 7 steps, 1 + 3 layers") }, "\(replaced)")

        let (refusedStatus, refused) = try await Self.runIdaBenchAllowingFailure(["--plan", "--layers", "2,999"])
        #expect(refusedStatus != 0)
        #expect(refused.contains("decoder layers must be at most"), "\(refused)")
        #expect(runLines(refused).isEmpty, "\(refused)")
    }

    @Test(arguments: [
        (["--single-world", "--plan"], "--plan applies to the fresh-world experiment"),
        (["--rounds", "3"], "--rounds applies only to --single-world"),
        (["--single-world", "--seeds", "2"], "--seeds applies to the fresh-world experiment"),
        (
            ["--single-world", "--no-curriculum"],
            "--no-curriculum applies to the fresh-world experiment"
        ),
        (
            ["--no-curriculum", "--no-supervised-curriculum"],
            "--no-supervised-curriculum and --no-curriculum do not go together"
        ),
        (
            ["--single-world", "--train-on-unknown-targets"],
            "--train-on-unknown-targets applies to the fresh-world experiment"
        ),
        (["--steps", "many"], "--steps needs a whole number"),
        (["--seeds", "0"], "--seeds needs a number in 1..., not 0"),
        (["--layers", "2"], "--layers needs encoder and decoder layers"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
        (["--human-model", "oracle"], "--human-model is one of expert, learned, not 'oracle'"),
        (
            ["--human-model", "learned", "--task", "shortest-path"],
            "--human-model learned does not support shortest-path"
        ),
        (["--single-world", "--human-model", "learned"], "--human-model applies to the fresh-world experiment"),
        (["--human-transcript-budget", "-1"], "--human-transcript-budget needs a number in 0..."),
        (["--human-model-steps", "2"], "--human-model-steps applies only with --human-model learned"),
        (["--human-model", "learned", "--human-model-steps", "0"], "--human-model-steps needs a number in 1..."),
        (["--jobs", "0"], "--jobs needs a number in 1..., not 0"),
        (["--single-world", "--jobs", "2"], "--jobs applies to the fresh-world experiment"),
    ])
    func badArgumentsAreRefusedNamingThem(arguments: [String], message: String) async throws {
        let (status, output) = try await Self.runIdaBenchAllowingFailure(arguments)
        #expect(status == 64)
        #expect(output.contains(message), "\(output)")
    }

    @Test func helpPrintsUsageAndSucceeds() async throws {
        let (status, output) = try await Self.runIdaBenchAllowingFailure(["--help"])
        #expect(status == 0)
        #expect(output.contains("usage: ida-bench"))
        #expect(output.contains("--single-world"))
    }
}
