import Foundation
import IteratedAmplification

// The command-line face of the package. Top-level code runs on the main actor; the engine's entry points
// are @concurrent, so the work itself runs off it.
let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "demo"
let options = CommandLineOptions(arguments.first == command ? Array(arguments.dropFirst()) : arguments)

do {
    switch command {
    case "demo":
        try await runDemo(options)
    case "_loop-fixture":  // hidden: a deterministic loop for the resume-after-kill tests
        try await runLoopFixture(options)
    case "help", "--help", "-h":
        print(usage)
    default:
        throw CommandLineError("unknown command '\(command)'\n\n\(usage)")
    }
} catch {
    printError("amplify: \(error)")
    exit(1)
}
