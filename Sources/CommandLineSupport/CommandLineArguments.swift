/// A command line split into options and positional arguments, checked against the options a command accepts.
///
/// The package has no dependencies, so its executables share this small parser instead of a library's. It knows
/// flags (`--quick`) and options with a value (`--size 8` or `--size=8`, repeatable), stops reading options at
/// `--`, and refuses an unknown option, or an option without its value, with a ``CommandLineUsageError`` that
/// names it. `-h`, `--help` and `--version` end parsing with ``CommandLineRequest``.
package struct CommandLineArguments: Sendable {
    /// One option as given, in order: its name with its dashes (`--size`) and its value, if it takes one.
    package struct Option: Sendable, Equatable {
        package let name: String
        package let value: String?

        /// The value as a whole number, in `range` when one is given.
        ///
        /// - Throws: ``CommandLineUsageError`` naming the option when the value is missing, not a whole number, or
        ///   out of range.
        package func integer(in range: ClosedRange<Int>? = nil) throws -> Int {
            let text = try requiredValue()
            guard let number = Int(text) else {
                throw CommandLineUsageError("\(name) needs a whole number, not '\(text)'")
            }
            if let range, !range.contains(number) {
                throw CommandLineUsageError(
                    "\(name) needs a number in \(range.lowerBound)...\(range.upperBound == Int.max ? "" : String(range.upperBound)), not \(number)"
                )
            }
            return number
        }

        /// The value as a number, in `range` when one is given.
        ///
        /// - Throws: ``CommandLineUsageError`` naming the option when the value is missing, not a number, or out
        ///   of range.
        package func double(in range: ClosedRange<Double>? = nil) throws -> Double {
            let text = try requiredValue()
            guard let number = Double(text), number.isFinite else {
                throw CommandLineUsageError("\(name) needs a number, not '\(text)'")
            }
            if let range, !range.contains(number) {
                throw CommandLineUsageError(
                    "\(name) needs a number in \(range.lowerBound)...\(range.upperBound), not \(text)")
            }
            return number
        }

        /// The value, one of `choices`.
        ///
        /// - Throws: ``CommandLineUsageError`` naming the option and the choices otherwise.
        package func choice(of choices: [String]) throws -> String {
            let text = try requiredValue()
            guard choices.contains(text) else {
                throw CommandLineUsageError("\(name) is one of \(choices.joined(separator: ", ")), not '\(text)'")
            }
            return text
        }

        /// The value.
        ///
        /// - Throws: ``CommandLineUsageError`` when the option has none.
        package func requiredValue() throws -> String {
            guard let value else { throw CommandLineUsageError("\(name) needs a value") }
            return value
        }
    }

    /// The options, in the order given.
    package let options: [Option]
    /// The arguments that are not options, in order (everything after `--` included).
    package let positionals: [String]

    /// Parses arguments.
    ///
    /// - Parameters:
    ///   - arguments: The arguments, without the executable's name.
    ///   - flags: The options without a value, with their dashes.
    ///   - valueOptions: The options with a value, with their dashes.
    /// - Throws: ``CommandLineRequest`` for `-h`, `--help` or `--version`; ``CommandLineUsageError`` for an unknown
    ///   option or one without its value.
    package init(_ arguments: [String], flags: Set<String>, valueOptions: Set<String>) throws {
        var options: [Option] = []
        var positionals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positionals += arguments[index...]
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                positionals.append(argument)
                continue
            }
            if argument == "-h" || argument == "--help" { throw CommandLineRequest.help }
            if argument == "--version" { throw CommandLineRequest.version }
            let name: String
            var value: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            if flags.contains(name) {
                guard value == nil else { throw CommandLineUsageError("\(name) takes no value") }
                options.append(Option(name: name, value: nil))
            } else if valueOptions.contains(name) {
                if value == nil {
                    guard index < arguments.count else { throw CommandLineUsageError("\(name) needs a value") }
                    value = arguments[index]
                    index += 1
                }
                options.append(Option(name: name, value: value))
            } else {
                throw CommandLineUsageError("unknown option '\(name)'")
            }
        }
        self.options = options
        self.positionals = positionals
    }

    /// Whether a flag or option was given.
    package func has(_ name: String) -> Bool { options.contains { $0.name == name } }

    /// The last occurrence of an option, if any.
    package func last(_ name: String) -> Option? { options.last { $0.name == name } }

    /// Every occurrence of an option, in order.
    package func all(_ name: String) -> [Option] { options.filter { $0.name == name } }
}

/// A request that ends parsing instead of a command: print the usage, or the version.
package enum CommandLineRequest: Error, Sendable {
    /// `-h` or `--help`.
    case help
    /// `--version`.
    case version
}

/// A command line that cannot be run: an unknown option, a missing or malformed value, a bad combination. The
/// executables print it with their usage and exit with status 64 (`EX_USAGE`).
package struct CommandLineUsageError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the option.
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
