import Foundation

/// Progress of a long run on standard output: on a terminal, one status line rewritten in place, with finished
/// lines printed above it; otherwise plain lines only, so that a log or a pipe reads cleanly.
package final class ProgressLine {
    /// Whether standard output is a terminal, where the status line is drawn.
    package let isTerminal: Bool
    private var status = ""

    /// Creates a progress line for standard output.
    ///
    /// - Parameter isTerminal: Whether to draw a status line; by default, whether standard output is a terminal.
    package init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    /// Replaces the status line (on a terminal; otherwise it is not shown).
    package func update(_ text: String) {
        guard isTerminal else { return }
        status = text
        write("\r\u{1B}[K" + text)
    }

    /// Prints a finished line above the status line.
    package func log(_ line: String) {
        if isTerminal {
            write("\r\u{1B}[K" + line + "\n" + status)
        } else {
            write(line + "\n")
        }
    }

    /// Clears the status line.
    package func finish() {
        guard isTerminal, !status.isEmpty else { return }
        status = ""
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// A duration in seconds as people read it: "42 s", "3 min 05 s", "1 h 02 min".
package func readableDuration(_ seconds: Double) -> String {
    let whole = max(0, Int(seconds.rounded()))
    if whole < 60 { return "\(whole) s" }
    if whole < 3600 { return "\(whole / 60) min \(String(format: "%02d", whole % 60)) s" }
    return "\(whole / 3600) h \(String(format: "%02d", whole / 60 % 60)) min"
}
