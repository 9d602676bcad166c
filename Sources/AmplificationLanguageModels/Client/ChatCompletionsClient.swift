import Foundation
import IteratedAmplification
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A client for the chat completions API of any OpenAI-compatible server: OpenAI, vLLM, llama.cpp, Ollama.
///
/// The client sends one conversation and returns the reply, whole (``complete(_:)-(ChatRequest)``) or as it is
/// generated (``stream(_:)``). It retries replies with status 408, 429 and 5xx as its ``HTTPRetryPolicy`` says,
/// honouring `Retry-After`; it bounds each request by ``ChatCompletionsConfiguration/timeout``; and it reports
/// the tokens each reply consumed to `CostMeter`, so an engine's cost budget counts
/// tokens, and records each call's messages and reply with `CostMeter.record(_:)`, so a trace can keep them
/// (`HCHConfiguration.recordsModelCalls`). Failures throw ``LanguageModelError``, which never contains the API
/// key. With a
/// ``ChatCompletionsCache``, whole replies are recorded on disk, or replayed from it with no network call.
///
/// ```swift
/// let client = try ChatCompletionsClient(configuration: .fromEnvironment())
/// let reply = try await client.complete([.user("What is 2 + 2?")])
/// print(reply.text)
/// ```
///
/// The client is a value; copies share one `URLSession`, which is invalidated when the last copy goes away.
public struct ChatCompletionsClient: Sendable {
    /// Where requests go and what they ask for by default.
    public let configuration: ChatCompletionsConfiguration
    /// Where replies are recorded or replayed from, if anywhere.
    public let cache: ChatCompletionsCache?
    let transport: Transport

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - configuration: Where requests go and what they ask for.
    ///   - cache: Where replies are recorded, or replayed from without a network call; `nil` for neither.
    ///   - eventHandler: Receives an event per request, retry, reply and failure, e.g. to log them.
    ///     Events contain no key and no message contents.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` listing what is wrong with the configuration.
    public init(
        configuration: ChatCompletionsConfiguration,
        cache: ChatCompletionsCache? = nil,
        eventHandler: (@Sendable (ClientEvent) -> Void)? = nil
    ) throws {
        try self.init(
            configuration: configuration, cache: cache, eventHandler: eventHandler,
            sleep: { try await Task.sleep(for: $0) })
    }

    /// Creates a client whose retry waits go through `sleep`, so tests can observe them.
    init(
        configuration: ChatCompletionsConfiguration,
        cache: ChatCompletionsCache? = nil,
        eventHandler: (@Sendable (ClientEvent) -> Void)?,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) throws {
        let problems = configuration.validationErrors()
        guard problems.isEmpty else {
            throw LanguageModelError(code: .invalidConfiguration, message: problems.joined(separator: "; "))
        }
        self.configuration = configuration
        self.cache = cache
        self.transport = Transport(configuration: configuration, eventHandler: eventHandler, sleep: sleep)
    }

    /// Returns the model's reply to a conversation.
    ///
    /// - Parameter request: The conversation and any settings that override the configuration's.
    /// - Returns: The reply, with its token usage.
    /// - Throws: ``LanguageModelError`` (status, server message, request ID, attempts), or `CancellationError`.
    public func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        let completion: ChatCompletion
        if let cache {
            let body = WireFormat.body(for: request, configuration: configuration, streaming: false)
            if let cached = try cache.completion(for: body) {
                completion = cached
            } else {
                guard cache.mode == .record else { throw cache.notRecorded(request, body: body) }
                completion = try await send(request)
                try cache.store(completion, for: body)
            }
        } else {
            completion = try await send(request)
        }
        if let usage = completion.usage { CostMeter.report(configuration.tokenCost.cost(of: usage)) }
        CostMeter.record(
            ModelCall(
                messages: request.messages.map { ModelCall.Message(role: $0.role.rawValue, content: $0.content) },
                output: completion.text))
        return completion
    }

    /// Sends a request to the server, with retries and the schema fallback.
    private func send(_ request: ChatRequest) async throws -> ChatCompletion {
        try await withSchemaFallback(request) { request in
            try await transport.withRetries(streaming: false, schemaRequest: request.usesSchema(configuration)) {
                attempt in
                try await transport.send(request, attempt: attempt)
            }
        }
    }

    /// Returns the model's reply to a conversation, sent with the configuration's settings.
    ///
    /// - Parameter messages: The conversation.
    /// - Returns: The reply.
    /// - Throws: ``LanguageModelError``, or `CancellationError`.
    public func complete(_ messages: [ChatMessage]) async throws -> ChatCompletion {
        try await complete(ChatRequest(messages: messages))
    }

    /// Sends a request again in JSON mode, with the schema in the conversation, when the server rejects a schema.
    func withSchemaFallback<Result: Sendable>(
        _ request: ChatRequest,
        _ send: (ChatRequest) async throws -> Result
    ) async throws -> Result {
        let format = request.responseFormat ?? configuration.responseFormat
        guard configuration.fallsBackFromJSONSchema, let schema = format.schema else { return try await send(request) }
        // A server that rejected a schema once is not asked for one again by this client.
        if !transport.schemaRejected.load(ordering: .relaxed) {
            do {
                return try await send(request)
            } catch let error as LanguageModelError where Self.isSchemaRejection(error) {
                transport.emit(.fellBack, attempt: error.attempts ?? 1, streaming: false, status: error.status)
            }
        }
        var fallback = request
        fallback.responseFormat = ResponseFormat(value: .jsonObjectFallback(schema: schema))
        let instruction = "Reply with JSON that matches this JSON schema: " + schema.encodedText()
        let firstConversationMessage = fallback.messages.firstIndex { $0.role != .system } ?? 0
        fallback.messages.insert(.system(instruction), at: firstConversationMessage)
        let result = try await send(fallback)
        // Only a fallback that works proves the schema was the problem.
        transport.schemaRejected.store(true, ordering: .relaxed)
        return result
    }

    /// Whether a server refused a request because of its JSON schema: 400 or 422, or (as llama-cpp-python
    /// does) another error status whose message names the response format.
    static func isSchemaRejection(_ error: LanguageModelError) -> Bool {
        guard error.code == .httpStatus, let status = error.status else { return false }
        if status == 400 || status == 422 { return true }
        let message = error.serverMessage ?? ""
        return message.contains("response_format") || message.contains("json_schema")
    }
}

/// The client's shared machinery: the session, the retry loop, and the mapping of failures to errors.
final class Transport: Sendable {
    let configuration: ChatCompletionsConfiguration
    let session: URLSession
    let eventHandler: (@Sendable (ClientEvent) -> Void)?
    let sleep: @Sendable (Duration) async throws -> Void
    /// Whether the server rejected a JSON schema, so later schema requests go straight to the fallback.
    let schemaRejected = Atomic(false)

    init(
        configuration: ChatCompletionsConfiguration,
        eventHandler: (@Sendable (ClientEvent) -> Void)?,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.configuration = configuration
        self.eventHandler = eventHandler
        self.sleep = sleep
        session = URLSession(configuration: Transport.sessionConfiguration(timeout: configuration.timeout))
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    static func sessionConfiguration(timeout: Duration) -> URLSessionConfiguration {
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        // URLSession's own timeout is an idle timeout; ours (``withTimeout``) bounds the whole request.
        sessionConfiguration.timeoutIntervalForRequest = timeout.secondsRoundedUp
        sessionConfiguration.urlCache = nil
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return sessionConfiguration
    }

    func urlRequest(for request: ChatRequest, streaming: Bool) throws -> URLRequest {
        var urlRequest = URLRequest(url: configuration.endpoint)
        urlRequest.httpMethod = "POST"
        urlRequest.timeoutInterval = configuration.timeout.secondsRoundedUp
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue(streaming ? "text/event-stream" : "application/json", forHTTPHeaderField: "Accept")
        if let key = configuration.apiKey {
            urlRequest.setValue("Bearer \(key.secret)", forHTTPHeaderField: "Authorization")
        }
        let body = WireFormat.body(for: request, configuration: configuration, streaming: streaming)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        urlRequest.httpBody = try encoder.encode(body)
        return urlRequest
    }

    // MARK: Sending

    func send(_ request: ChatRequest, attempt: Int) async throws -> ChatCompletion {
        let urlRequest = try urlRequest(for: request, streaming: false)
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await withTimeout(configuration.timeout) { [session] in
                try await session.data(for: urlRequest)
            }
        } catch {
            throw transportError(error, streaming: false)
        }
        guard let http = response as? HTTPURLResponse else {
            throw LanguageModelError(code: .malformedResponse, message: "the reply is not an HTTP response")
        }
        guard (200..<300).contains(http.statusCode) else { throw statusError(http, body: data) }
        let requestID = WireFormat.requestID(of: http)
        do {
            var completion = try WireFormat.completion(from: data)
            completion.requestID = requestID
            emit(
                .completed, attempt: attempt, streaming: false, status: http.statusCode, requestID: requestID,
                usage: completion.usage)
            return completion
        } catch {
            throw LanguageModelError(
                code: error.empty ? .emptyResponse : .malformedResponse,
                message: error.message,
                status: http.statusCode,
                serverMessage: redact(String(decoding: data.prefix(4_096), as: UTF8.self)),
                requestID: requestID
            )
        }
    }

    /// Runs attempts of one call until one succeeds, a failure is not worth retrying, or attempts run out.
    func withRetries<Result: Sendable>(
        streaming: Bool,
        schemaRequest isSchemaRequest: Bool = false,
        _ attempt: (Int) async throws -> Result
    ) async throws -> Result {
        var generator = SystemRandomNumberGenerator()
        let policy = configuration.retries
        var number = 1
        while true {
            emit(.requestSent, attempt: number, streaming: streaming)
            do {
                return try await attempt(number)
            } catch var error as LanguageModelError {
                error.attempts = number
                if error.code == .httpStatus, let status = error.status, HTTPRetryPolicy.isRetryable(status: status),
                    number < policy.maximumAttempts,
                    !(isSchemaRequest && ChatCompletionsClient.isSchemaRejection(error)),
                    let delay = policy.delay(afterAttempt: number, retryAfter: error.retryAfter, using: &generator)
                {
                    emit(
                        .retryScheduled, attempt: number, streaming: streaming, status: status, delay: delay,
                        requestID: error.requestID, error: error.description)
                    try await sleep(delay)
                    number += 1
                    continue
                }
                emit(
                    .failed, attempt: number, streaming: streaming, status: error.status, requestID: error.requestID,
                    error: error.description)
                throw error
            }
        }
    }

    // MARK: Errors

    func statusError(_ response: HTTPURLResponse, body: Data) -> LanguageModelError {
        let status = response.statusCode
        let reason = HTTPURLResponse.localizedString(forStatusCode: status)
        return LanguageModelError(
            code: .httpStatus,
            message: "the server at \(configuration.endpoint) answered \(status) (\(reason))",
            status: status,
            serverMessage: WireFormat.serverMessage(in: body).map(redact),
            requestID: WireFormat.requestID(of: response),
            retryAfter: WireFormat.retryAfter(of: response)
        )
    }

    /// Maps a failure to reach the server, or the end of our own timer, to an error; cancellation passes.
    func transportError(_ error: any Error, streaming: Bool) -> any Error {
        if error is CancellationError { return error }
        if error is LanguageModelError { return error }
        if error is TimeoutReached {
            return LanguageModelError(
                code: .timedOut,
                message: streaming
                    ? "the server at \(configuration.endpoint) did not start its reply within \(configuration.timeout)"
                    : "the server at \(configuration.endpoint) did not reply within \(configuration.timeout)"
            )
        }
        if let urlError = error as? URLError {
            switch urlError.code {
            case .cancelled where Task.isCancelled:
                return CancellationError()
            case .timedOut:
                return LanguageModelError(
                    code: .timedOut,
                    message: "the server at \(configuration.endpoint) sent nothing for \(configuration.timeout)"
                )
            default:
                return LanguageModelError(
                    code: .connectionFailed,
                    message: "could not talk to the server at \(configuration.endpoint): \(urlError.code.name)",
                    underlyingError: URLError(urlError.code)
                )
            }
        }
        return LanguageModelError(
            code: .connectionFailed,
            message: "could not talk to the server at \(configuration.endpoint)",
            underlyingError: error
        )
    }

    func redact(_ text: String) -> String {
        configuration.apiKey?.redact(text) ?? text
    }

    func emit(
        _ kind: ClientEvent.Kind,
        attempt: Int,
        streaming: Bool,
        status: Int? = nil,
        delay: Duration? = nil,
        requestID: String? = nil,
        usage: TokenUsage? = nil,
        error: String? = nil
    ) {
        guard let eventHandler else { return }
        eventHandler(
            ClientEvent(
                kind: kind, endpoint: configuration.endpoint.absoluteString, attempt: attempt, streaming: streaming,
                status: status, delay: delay, requestID: requestID, usage: usage, error: error.map(redact)
            )
        )
    }
}

/// Our own timer ran out before the work finished.
struct TimeoutReached: Error {}

/// Runs work, cancelling it and throwing ``TimeoutReached`` when it takes longer than `timeout`.
func withTimeout<Result: Sendable>(
    _ timeout: Duration,
    _ work: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw TimeoutReached() }
        return result
    }
}

extension Duration {
    /// The duration in whole seconds, rounded up, as `TimeInterval`; at least 1.
    var secondsRoundedUp: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
    }
}

extension URLError.Code {
    /// A readable name for the codes a model server produces.
    var name: String {
        switch self {
        case .cannotConnectToHost: "connection refused (cannot connect to host)"
        case .cannotFindHost: "cannot find host"
        case .networkConnectionLost: "the connection was lost"
        case .notConnectedToInternet: "not connected to the internet"
        case .badServerResponse: "bad server response"
        case .secureConnectionFailed: "TLS connection failed"
        case .timedOut: "timed out"
        case .cancelled: "cancelled"
        default: "URL error \(rawValue)"
        }
    }
}
