public import Foundation

/// A secret API key that never shows itself.
///
/// The key's ``description``, ``debugDescription`` and mirror are `"APIKey(redacted)"`, so printing,
/// logging, dumping or interpolating a configuration cannot leak it. The client reads the secret only
/// to set the `Authorization` header, and removes it from any server message it quotes in an error.
public struct APIKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let secret: String

    /// Creates a key from its secret text.
    ///
    /// - Parameter secret: The key, e.g. `sk-…`. Surrounding whitespace (a pasted newline) is removed.
    public init(_ secret: String) {
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Returns the key stored in an environment variable, or `nil` when the variable is unset or empty.
    ///
    /// - Parameters:
    ///   - name: The variable, e.g. `"OPENAI_API_KEY"`.
    ///   - environment: The environment to read; the process's by default.
    public static func environment(
        _ name: String,
        in environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> APIKey? {
        guard let value = environment[name] else { return nil }
        let key = APIKey(value)
        return key.secret.isEmpty ? nil : key
    }

    /// `"APIKey(redacted)"`: the key never describes itself.
    public var description: String { "APIKey(redacted)" }

    /// `"APIKey(redacted)"`: the key never describes itself.
    public var debugDescription: String { "APIKey(redacted)" }

    /// A mirror with no children, so `dump` and reflection show nothing of the key.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Returns `text` with every occurrence of the key replaced by `[redacted]`.
    func redact(_ text: String) -> String {
        guard !secret.isEmpty, text.contains(secret) else { return text }
        return text.replacingOccurrences(of: secret, with: "[redacted]")
    }
}
