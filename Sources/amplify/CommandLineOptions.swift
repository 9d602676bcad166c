import CommandLineSupport
import Foundation

/// A command-line error of a run, printed without a stack.
struct CommandLineError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A subcommand's options, read with the package's shared parser: `--name value` options, each checked against
/// the subcommand's own list, so that a mistyped option is refused, naming it.
struct CommandLineOptions {
    private let parsed: CommandLineArguments

    /// Parses a subcommand's arguments.
    ///
    /// - Parameters:
    ///   - arguments: The arguments after the subcommand.
    ///   - valueOptions: The names of the options with a value, without dashes.
    init(_ arguments: [String], valueOptions: Set<String>) throws {
        parsed = try CommandLineArguments(
            arguments, flags: [], valueOptions: Set(valueOptions.map { "--" + $0 }))
        if let extra = parsed.positionals.first { throw CommandLineUsageError("unexpected argument '\(extra)'") }
    }

    func string(_ name: String) -> String? { parsed.last("--" + name)?.value }

    func integer(_ name: String, default fallback: Int) throws -> Int {
        try parsed.last("--" + name)?.integer() ?? fallback
    }
}
