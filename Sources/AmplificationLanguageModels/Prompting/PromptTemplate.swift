import Foundation

/// A conversation with placeholders: an optional system message and a user message.
///
/// Placeholders are names in double braces, `{{question}}`. ``render(_:)`` replaces each with its value in one
/// pass, so a value that itself contains braces is inserted as it is. A placeholder without a value stays as
/// written.
///
/// ```swift
/// let template = PromptTemplate(system: "Answer briefly.", user: "Question: {{question}}")
/// let messages = template.render(["question": "What is 2 + 2?"])
/// ```
public struct PromptTemplate: Hashable, Sendable {
    /// The system message, or `nil` for none.
    public var system: String?
    /// The user message.
    public var user: String

    /// Creates a template.
    ///
    /// - Parameters:
    ///   - system: The system message, or `nil`.
    ///   - user: The user message.
    public init(system: String? = nil, user: String) {
        self.system = system
        self.user = user
    }

    /// The placeholder names the template uses.
    public var placeholders: Set<String> {
        var names = Self.placeholders(in: user)
        if let system { names.formUnion(Self.placeholders(in: system)) }
        return names
    }

    /// Returns the system message, rendered, or `nil`.
    public func renderSystem(_ values: [String: String]) -> String? {
        system.map { Self.fill($0, with: values) }
    }

    /// Returns the user message, rendered.
    public func renderUser(_ values: [String: String]) -> String {
        Self.fill(user, with: values)
    }

    /// Returns the messages with the placeholders replaced.
    ///
    /// - Parameter values: The value of each placeholder.
    /// - Returns: The system message (if any), then the user message.
    public func render(_ values: [String: String]) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if let system = renderSystem(values) { messages.append(.system(system)) }
        messages.append(.user(renderUser(values)))
        return messages
    }

    /// Throws unless the template uses every required placeholder.
    ///
    /// - Parameters:
    ///   - names: The placeholders the template must use.
    ///   - role: What the template is for, named in the error.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` naming the missing placeholders.
    public func validate(requiring names: [String], for role: String) throws {
        let missing = names.filter { !placeholders.contains($0) }
        guard missing.isEmpty else {
            throw LanguageModelError(
                code: .invalidConfiguration,
                message: "the \(role) prompt lacks " + missing.map { "{{\($0)}}" }.joined(separator: ", ")
            )
        }
    }

    static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            names.insert(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }

    static func fill(_ text: String, with values: [String: String]) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            result += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound])
            result += values[name] ?? "{{\(name)}}"
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
