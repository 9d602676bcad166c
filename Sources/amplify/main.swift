import CommandLineSupport
import Foundation
import IteratedAmplification

// The command-line face of the package. Top-level code runs on the main actor; the engine's entry points
// are @concurrent, so the work itself runs off it.
let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "demo"
let rest = arguments.first == command ? Array(arguments.dropFirst()) : arguments

await CommandLineTool.run(name: "amplify", usage: usage) {
    switch command {
    case "demo":
        try await runDemo(
            try CommandLineOptions(rest, valueOptions: ["limit", "leaf", "depth", "cap", "trace", "chrome-trace"]))
    case "_loop-fixture":  // hidden: a deterministic loop for the resume-after-kill tests
        try await runLoopFixture(
            try CommandLineOptions(
                rest,
                valueOptions: [
                    "directory", "rounds", "seed", "pause-round", "pause-question", "depth", "concurrency",
                ]))
    case "ask":
        try await runAsk(rest)
    case "audit", "read":
        try await runRecipe(command, rest)
    case "trace":
        try runTrace(rest)
    case "human":
        try await runHuman(rest)
    case "help":
        throw CommandLineRequest.help
    default:
        throw CommandLineUsageError("unknown command '\(command)'")
    }
}
