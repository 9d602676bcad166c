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
    ///   - takesPositionals: Whether arguments that are not options are accepted (see ``positionals``).
    init(_ arguments: [String], valueOptions: Set<String>, takesPositionals: Bool = false) throws {
        parsed = try CommandLineArguments(
            arguments, flags: [], valueOptions: Set(valueOptions.map { "--" + $0 }))
        if !takesPositionals, let extra = parsed.positionals.first {
            throw CommandLineUsageError("unexpected argument '\(extra)'")
        }
    }

    /// The arguments that are not options, in order.
    var positionals: [String] { parsed.positionals }

    /// Whether an option was given.
    func contains(_ name: String) -> Bool { parsed.has("--" + name) }

    /// The value of an option that must be one of `choices`, or `fallback` when it is not given.
    func choice(_ name: String, of choices: [String], default fallback: String) throws -> String {
        try parsed.last("--" + name)?.choice(of: choices) ?? fallback
    }

    func string(_ name: String) -> String? { parsed.last("--" + name)?.value }

    func integer(_ name: String, default fallback: Int) throws -> Int {
        try parsed.last("--" + name)?.integer() ?? fallback
    }
}
