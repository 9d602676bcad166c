import Foundation

/// The conventions every executable of the package follows: `-h` and `--help` print the usage and exit 0,
/// `--version` prints the version and exits 0, a usage error prints its message and the usage on standard error
/// and exits 64 (`EX_USAGE`), and any other error prints its message and exits 1.
package enum CommandLineTool {
    /// The package's version, as `--version` prints it.
    package static let version = "0.1.0-dev"

    /// The exit status of a command line that cannot be run (`EX_USAGE` in `sysexits.h`).
    package static let usageErrorStatus: Int32 = 64

    /// Runs a command's body under the conventions, and exits.
    ///
    /// - Parameters:
    ///   - name: The executable's name, which prefixes its messages.
    ///   - usage: The usage text.
    ///   - body: The command, which parses its arguments with ``CommandLineArguments``.
    package static func run(name: String, usage: String, _ body: () async throws -> Void) async -> Never {
        do {
            try await body()
            exit(0)
        } catch CommandLineRequest.help {
            write(usage, to: .standardOutput)
            exit(0)
        } catch CommandLineRequest.version {
            write("\(name) \(version)", to: .standardOutput)
            exit(0)
        } catch let error as CommandLineUsageError {
            write("\(name): \(error.description)\n\n\(usage)", to: .standardError)
            exit(usageErrorStatus)
        } catch {
            write("\(name): \(error)", to: .standardError)
            exit(1)
        }
    }

    /// Writes text to a file handle as one line.
    private static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
