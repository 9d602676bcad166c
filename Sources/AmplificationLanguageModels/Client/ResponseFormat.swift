/// The form the model's reply must take.
///
/// - ``text``: free text (the default).
/// - ``jsonObject``: a JSON object (OpenAI's JSON mode; vLLM, llama.cpp and Ollama support it too).
/// - ``jsonSchema(name:schema:strict:)``: JSON that matches a schema (structured outputs).
///
/// Not every server supports schemas. When a server rejects a `json_schema` request (status 400 or 422, or
/// another error status whose message names `response_format` or `json_schema`, as llama-cpp-python's 500
/// does), the client does not retry it but falls back: it sends the request again, and every later schema
/// request of that client at once, in JSON
/// mode and adds the schema to the conversation as a system message ("Reply with JSON that matches this
/// JSON schema: …"). The fallback's `json_object` format also carries the schema in a `schema` member, which
/// llama-cpp-python enforces with a grammar and other servers ignore. Elsewhere the reply is JSON but not
/// enforced to match, so validate it, as ``LanguageModelDecomposer`` does.
/// Set ``ChatCompletionsConfiguration/fallsBackFromJSONSchema`` to `false` to get the server's error instead.
public struct ResponseFormat: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable, Sendable {
        case text
        case jsonObject
        case jsonSchema(name: String, schema: JSONValue, strict: Bool)
        /// JSON mode after a server rejected a schema; the schema rides along for servers that read it.
        case jsonObjectFallback(schema: JSONValue)
    }

    let value: Value

    /// Free text.
    public static let text = ResponseFormat(value: .text)

    /// A JSON object.
    public static let jsonObject = ResponseFormat(value: .jsonObject)

    /// JSON that matches a schema, where the server supports it; see the fallback above.
    ///
    /// - Parameters:
    ///   - name: The schema's name (letters, digits, `_` and `-`).
    ///   - schema: The JSON schema.
    ///   - strict: Whether the server must follow the schema exactly (OpenAI's strict mode).
    public static func jsonSchema(name: String, schema: JSONValue, strict: Bool = true) -> ResponseFormat {
        ResponseFormat(value: .jsonSchema(name: name, schema: schema, strict: strict))
    }

    /// The schema, for a ``jsonSchema(name:schema:strict:)`` format.
    public var schema: JSONValue? {
        if case .jsonSchema(_, let schema, _) = value { return schema }
        return nil
    }

    /// The format's name on the wire: `text`, `json_object` or `json_schema`.
    public var description: String {
        switch value {
        case .text: "text"
        case .jsonObject, .jsonObjectFallback: "json_object"
        case .jsonSchema: "json_schema"
        }
    }

    /// The `response_format` member of a request body, or `nil` for text (which servers assume).
    var wireValue: JSONValue? {
        switch value {
        case .text:
            nil
        case .jsonObject:
            ["type": "json_object"]
        case .jsonSchema(let name, let schema, let strict):
            ["type": "json_schema", "json_schema": ["name": .string(name), "schema": schema, "strict": .bool(strict)]]
        case .jsonObjectFallback(let schema):
            ["type": "json_object", "schema": schema]
        }
    }
}
