import Foundation

/// Resident memory of this process, read from /proc (Linux).
package enum ResidentMemory {
    /// The resident set now, in bytes, or `nil` where /proc is missing.
    package static func current() -> Int? {
        statusField("VmRSS:")
    }

    /// The highest resident set since the process started or since ``resetPeak()``, in bytes.
    package static func peak() -> Int? {
        statusField("VmHWM:")
    }

    /// Resets the peak to the current resident set; returns whether the kernel allowed it.
    @discardableResult
    package static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    private static func statusField(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field) {
            let digits = line.dropFirst(field.count).filter(\.isNumber)
            return Int(digits).map { $0 * 1_024 }
        }
        return nil
    }
}
