import Foundation
import IteratedAmplification

/// The person at the terminal, as H: each workspace is printed, and a line typed at the `h>` prompt is the
/// response. Lines that are not a response get a message and the prompt again.
struct TerminalHumanInterface: HumanInterface {
    func respond(to workspace: HumanWorkspace) async throws -> HumanResponse {
        write("\n" + workspace.transcript + "\n")
        while true {
            write("h> ")
            guard let line = await readLineOffThePool() else { throw HumanInputEnded() }
            // Typed input shows on a terminal; input from a file or a script is echoed, so the output reads whole.
            if !Self.inputIsTerminal { write(line + "\n") }
            if line.trimmingCharacters(in: .whitespaces) == "help" {
                write(Self.help(canAsk: workspace.canAsk))
                continue
            }
            do {
                let response = try HumanResponse(parsing: line)
                if case .ask = response, !workspace.canAsk {
                    write("No subquestions here: type answer TEXT or unknown.\n")
                    continue
                }
                return response
            } catch {
                write("\(error.message) (type help for the commands)\n")
            }
        }
    }

    private static let inputIsTerminal = isatty(STDIN_FILENO) == 1

    static func help(canAsk: Bool) -> String {
        var lines = [
            "  answer TEXT           answer the question",
            "  unknown               say you cannot answer it",
        ]
        if canAsk {
            lines.insert("  ask QUESTION          ask one subquestion", at: 0)
            lines.insert("  ask Q1 | Q2 | ...     ask several subquestions in parallel", at: 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes at once: the prompt has no newline, and a person (or a script) waits for it.
    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Reads a line on a Dispatch thread, so that waiting for the person holds none of the concurrency pool's
    /// threads, which the subquestions' model calls need.
    private func readLineOffThePool() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: readLine(strippingNewline: true)) }
        }
    }
}

/// The terminal's input ended before the question was answered.
struct HumanInputEnded: Error, CustomStringConvertible {
    var description: String { "the input ended before the question was answered" }
}
