public import Foundation

/// Where a ``ChatCompletionsClient`` sends requests and what it asks for by default.
///
/// Sampling settings left `nil` are not sent, so the server's defaults apply. Every request can override
/// them through ``ChatRequest``.
///
/// ```swift
/// var configuration = ChatCompletionsConfiguration(
///     baseURL: URL(string: "https://api.openai.com/v1")!,
///     model: "gpt-4o-mini",
///     apiKey: APIKey.environment("OPENAI_API_KEY")
/// )
/// configuration.temperature = 0
/// ```
public struct ChatCompletionsConfiguration: Sendable, CustomStringConvertible {
    /// The API's base URL, up to and including the version: `https://api.openai.com/v1`,
    /// `http://127.0.0.1:8000/v1`. The client appends `chat/completions`.
    public var baseURL: URL
    /// The model name the server knows.
    public var model: String
    /// The key sent as a bearer token, or `nil` for servers without authentication.
    public var apiKey: APIKey?
    /// The sampling temperature, or `nil` for the server's default.
    public var temperature: Double?
    /// The seed for reproducible sampling where the server supports it, or `nil`.
    public var seed: Int?
    /// The most tokens to generate per reply, or `nil` for the server's default.
    public var maximumTokens: Int?
    /// Sequences at which generation stops.
    public var stop: [String] = []
    /// The form replies must take.
    public var responseFormat: ResponseFormat = .text
    /// Whether a request for ``ResponseFormat/jsonSchema(name:schema:strict:)`` that the server rejects with
    /// 400 or 422 is sent again as ``ResponseFormat/jsonObject`` with the schema in a system message.
    public var fallsBackFromJSONSchema = true
    /// The longest one request may take: the whole reply without streaming; the wait for the reply's head,
    /// and then the longest silence between bytes, when streaming.
    public var timeout: Duration = .seconds(120)
    /// When to send a failed request again.
    public var retries: HTTPRetryPolicy = .default
    /// How token usage converts to the cost units reported to `CostMeter`.
    public var tokenCost: TokenCost = .tokens
    /// Whether streaming requests ask for a final usage chunk (`stream_options.include_usage`).
    public var requestsUsageWhenStreaming = true

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - baseURL: The API's base URL, e.g. `http://127.0.0.1:8000/v1`.
    ///   - model: The model name.
    ///   - apiKey: The key, or `nil` for servers without authentication.
    public init(baseURL: URL, model: String, apiKey: APIKey? = nil) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
    }

    /// Creates a configuration from environment variables.
    ///
    /// - Parameters:
    ///   - baseURLVariable: The variable holding the base URL.
    ///   - modelVariable: The variable holding the model name.
    ///   - apiKeyVariable: The variable holding the key; an unset or empty variable means no key.
    ///   - environment: The environment to read; the process's by default.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` naming the variable that is missing or invalid.
    public static func fromEnvironment(
        baseURLVariable: String = "LLM_BASE_URL",
        modelVariable: String = "LLM_MODEL",
        apiKeyVariable: String = "LLM_API_KEY",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ChatCompletionsConfiguration {
        guard let text = environment[baseURLVariable], !text.isEmpty else {
            throw LanguageModelError(code: .invalidConfiguration, message: "\(baseURLVariable) is not set")
        }
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw LanguageModelError(
                code: .invalidConfiguration, message: "\(baseURLVariable) is not an http or https URL: \(text)"
            )
        }
        guard let model = environment[modelVariable], !model.isEmpty else {
            throw LanguageModelError(code: .invalidConfiguration, message: "\(modelVariable) is not set")
        }
        return ChatCompletionsConfiguration(
            baseURL: url, model: model, apiKey: APIKey.environment(apiKeyVariable, in: environment)
        )
    }

    /// The chat completions endpoint.
    public var endpoint: URL { baseURL.appendingPathComponent("chat/completions") }

    /// Returns the reasons this configuration cannot work; empty when it is valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if baseURL.scheme != "http" && baseURL.scheme != "https" {
            errors.append("baseURL must be an http or https URL, not \(baseURL)")
        }
        if model.isEmpty { errors.append("model must not be empty") }
        if let temperature, !(0...2).contains(temperature) {
            errors.append("temperature must be between 0 and 2, not \(temperature)")
        }
        if let maximumTokens, maximumTokens < 1 {
            errors.append("maximumTokens must be at least 1, not \(maximumTokens)")
        }
        if timeout <= .zero { errors.append("timeout must be positive") }
        errors += retries.validationErrors()
        return errors
    }

    /// A description of the settings; the key shows as `APIKey(redacted)`.
    public var description: String {
        var parts = ["baseURL: \(baseURL)", "model: \(model)"]
        parts.append("apiKey: \(apiKey.map { String(describing: $0) } ?? "none")")
        if let temperature { parts.append("temperature: \(temperature)") }
        if let seed { parts.append("seed: \(seed)") }
        if let maximumTokens { parts.append("maximumTokens: \(maximumTokens)") }
        if !stop.isEmpty { parts.append("stop: \(stop)") }
        parts.append("responseFormat: \(responseFormat)")
        parts.append("timeout: \(timeout)")
        return "ChatCompletionsConfiguration(" + parts.joined(separator: ", ") + ")"
    }
}
