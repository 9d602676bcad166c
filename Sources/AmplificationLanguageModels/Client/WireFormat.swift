import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The OpenAI chat completions wire format: request bodies out, replies and stream chunks in.
enum WireFormat {
    static func body(
        for request: ChatRequest,
        configuration: ChatCompletionsConfiguration,
        streaming: Bool
    ) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(configuration.model),
            "messages": .array(
                request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }
            ),
        ]
        if let temperature = request.temperature ?? configuration.temperature {
            body["temperature"] = .number(temperature)
        }
        if let seed = request.seed ?? configuration.seed { body["seed"] = .integer(seed) }
        if let maximumTokens = request.maximumTokens ?? configuration.maximumTokens {
            body["max_tokens"] = .integer(maximumTokens)
        }
        let stop = request.stop ?? configuration.stop
        if !stop.isEmpty { body["stop"] = .array(stop.map(JSONValue.string)) }
        if let format = (request.responseFormat ?? configuration.responseFormat).wireValue {
            body["response_format"] = format
        }
        if streaming {
            body["stream"] = true
            if configuration.requestsUsageWhenStreaming { body["stream_options"] = ["include_usage": true] }
        }
        return .object(body)
    }

    /// Returns the request ID a reply carries, under the header names providers use.
    static func requestID(of response: HTTPURLResponse) -> String? {
        for name in ["x-request-id", "request-id", "openai-request-id", "x-amzn-requestid"] {
            if let value = response.value(forHTTPHeaderField: name), !value.isEmpty { return value }
        }
        return nil
    }

    /// Returns the wait a reply asks for in `retry-after-ms` or `Retry-After` (seconds or an HTTP date).
    static func retryAfter(of response: HTTPURLResponse, now: Date = Date()) -> Duration? {
        if let text = response.value(forHTTPHeaderField: "retry-after-ms"), let milliseconds = Double(text),
            milliseconds >= 0
        {
            return .milliseconds(milliseconds)
        }
        guard let text = response.value(forHTTPHeaderField: "Retry-After")?.trimmingCharacters(in: .whitespaces)
        else { return nil }
        if let seconds = Double(text), seconds >= 0 { return .milliseconds(seconds * 1_000) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(max(0, date.timeIntervalSince(now)) * 1_000)
    }

    /// Returns the human-readable message of an error body: `error.message` when it is JSON, else the text.
    static func serverMessage(in body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        if let json = try? JSONValue(parsing: body), let object = json.objectValue {
            if let error = object["error"] {
                if let message = error.objectValue?["message"]?.stringValue { return message }
                if let message = error.stringValue { return message }
            }
            if let message = object["message"]?.stringValue { return message }
            if let detail = object["detail"] { return detail.stringValue ?? detail.encodedText() }
        }
        return String(decoding: body.prefix(4_096), as: UTF8.self)
    }

    /// Decodes a non-streaming reply.
    static func completion(from body: Data) throws(WireFormatError) -> ChatCompletion {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw WireFormatError(message: body.isEmpty ? "the reply is empty" : "the reply is not valid JSON")
        }
        guard let object = json.objectValue else {
            throw WireFormatError(message: "the reply is a JSON \(json.typeName), not an object")
        }
        guard let choices = object["choices"]?.arrayValue else {
            throw WireFormatError(message: "the reply has no `choices` array")
        }
        guard let first = choices.first else {
            throw WireFormatError(message: "the reply's `choices` is empty", empty: true)
        }
        guard let choice = first.objectValue else {
            throw WireFormatError(message: "`choices[0]` is a \(first.typeName), not an object")
        }
        guard let message = choice["message"]?.objectValue else {
            throw WireFormatError(message: "`choices[0].message` is missing or not an object")
        }
        let text: String
        switch message["content"] {
        case .string(let content):
            text = content
        case .null, nil:
            throw WireFormatError(message: "`choices[0].message.content` is empty", empty: true)
        case let other?:
            throw WireFormatError(message: "`choices[0].message.content` is a \(other.typeName), not a string")
        }
        return ChatCompletion(
            text: text,
            finishReason: choice["finish_reason"]?.stringValue,
            usage: try usage(in: object["usage"]),
            model: object["model"]?.stringValue,
            id: object["id"]?.stringValue
        )
    }

    /// Decodes the data of one stream event.
    static func chunk(from data: String) throws(WireFormatError) -> ChatCompletionChunk {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: Data(data.utf8))
        } catch {
            throw WireFormatError(message: "a stream event is not valid JSON")
        }
        guard let object = json.objectValue else {
            throw WireFormatError(message: "a stream event is a JSON \(json.typeName), not an object")
        }
        if let error = object["error"] {
            let message = error.objectValue?["message"]?.stringValue ?? error.stringValue ?? error.encodedText()
            throw WireFormatError(message: "the server reported an error in the stream", serverMessage: message)
        }
        let usage = try usage(in: object["usage"])
        guard let choices = object["choices"]?.arrayValue else {
            if usage != nil { return ChatCompletionChunk(text: "", usage: usage) }
            throw WireFormatError(message: "a stream event has no `choices` array")
        }
        guard let first = choices.first else { return ChatCompletionChunk(text: "", usage: usage) }
        guard let choice = first.objectValue else {
            throw WireFormatError(message: "a stream event's `choices[0]` is not an object")
        }
        var text = ""
        if let delta = choice["delta"] {
            guard let members = delta.objectValue else {
                throw WireFormatError(message: "a stream event's `choices[0].delta` is not an object")
            }
            switch members["content"] {
            case .string(let content): text = content
            case .null, nil: break
            case let other?:
                throw WireFormatError(message: "a stream event's delta content is a \(other.typeName), not a string")
            }
        }
        return ChatCompletionChunk(text: text, finishReason: choice["finish_reason"]?.stringValue, usage: usage)
    }

    private static func usage(in value: JSONValue?) throws(WireFormatError) -> TokenUsage? {
        guard let value, value != .null else { return nil }
        guard let members = value.objectValue else {
            throw WireFormatError(message: "`usage` is a \(value.typeName), not an object")
        }
        func count(_ key: String) throws(WireFormatError) -> Int? {
            switch members[key] {
            case .integer(let number)?: return number
            case .null?, nil: return nil
            case let other?: throw WireFormatError(message: "`usage.\(key)` is a \(other.typeName), not an integer")
            }
        }
        let prompt = try count("prompt_tokens") ?? 0
        let completion = try count("completion_tokens") ?? 0
        return TokenUsage(promptTokens: prompt, completionTokens: completion, totalTokens: try count("total_tokens"))
    }
}

/// A reply that does not follow the wire format.
struct WireFormatError: Error {
    var message: String
    var empty = false
    var serverMessage: String?
}
