import Foundation
import IteratedAmplification
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension ChatCompletionsClient {
    /// Sends a conversation and returns the reply as it is generated.
    ///
    /// The call returns once the server has accepted the request (retrying 408, 429 and 5xx as for
    /// ``complete(_:)-(ChatRequest)``); the stream then yields the reply's pieces in order and ends after the
    /// server's end marker. Iterate it in the task that called `stream`. Cancelling that task, or dropping the
    /// stream, cancels the request and closes the connection, so the server can stop generating.
    ///
    /// ```swift
    /// for try await chunk in try await client.stream(ChatRequest(messages: [.user("Count to five.")])) {
    ///     print(chunk.text, terminator: "")
    /// }
    /// ```
    ///
    /// When the server sends token usage (see ``ChatCompletionsConfiguration/requestsUsageWhenStreaming``), the
    /// stream reports it to `CostMeter` as the usage chunk is read.
    ///
    /// - Parameter request: The conversation and any settings that override the configuration's.
    /// - Returns: The reply's pieces.
    /// - Throws: ``LanguageModelError`` when the request fails before the reply starts (``LanguageModelError/Code/notRecorded``
    ///   when the client replays from a ``ChatCompletionsCache``: streams are not recorded), or `CancellationError`.
    ///   The stream itself throws ``LanguageModelError`` when the connection breaks, goes silent for longer
    ///   than the timeout, carries malformed events, or ends without its end marker.
    public func stream(_ request: ChatRequest) async throws -> ChatCompletionStream {
        // Streams are not recorded, so a replay, which sends nothing, has none to give.
        if let cache, cache.mode == .replay {
            throw cache.notRecorded(
                request, body: WireFormat.body(for: request, configuration: configuration, streaming: true),
                reason: "streamed requests are not recorded")
        }
        return try await withSchemaFallback(request) { request in
            try await transport.withRetries(streaming: true, schemaRequest: request.usesSchema(configuration)) {
                attempt in
                try await transport.openStream(request, attempt: attempt)
            }
        }
    }
}

/// A streamed reply: its pieces, in the order the model generated them.
///
/// The stream reports the usage it carries to `CostMeter` as it is read, so read it
/// inside the metered call.
public struct ChatCompletionStream: AsyncSequence, Sendable {
    /// A piece of the reply.
    public typealias Element = ChatCompletionChunk

    let chunks: AsyncThrowingStream<ChatCompletionChunk, any Error>
    let tokenCost: TokenCost

    /// The request ID from the reply's headers.
    public let requestID: String?

    /// Returns an iterator over the reply's pieces.
    public func makeAsyncIterator() -> Iterator {
        Iterator(base: chunks.makeAsyncIterator(), tokenCost: tokenCost)
    }

    /// Reads the whole stream and returns the reply it carried.
    ///
    /// - Returns: The joined text, the finish reason and the usage.
    /// - Throws: What the stream throws.
    public func collect() async throws -> ChatCompletion {
        var completion = ChatCompletion(text: "", requestID: requestID)
        for try await chunk in self {
            completion.text += chunk.text
            if let reason = chunk.finishReason { completion.finishReason = reason }
            if let usage = chunk.usage { completion.usage = usage }
        }
        return completion
    }

    /// The iterator of a ``ChatCompletionStream``.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<ChatCompletionChunk, any Error>.Iterator
        let tokenCost: TokenCost

        /// Returns the next piece, or `nil` after the last one.
        ///
        /// - Throws: ``LanguageModelError`` when the stream fails, or `CancellationError` when the consuming
        ///   task is cancelled, so a reply cut short is never mistaken for a whole one.
        public mutating func next() async throws -> ChatCompletionChunk? {
            guard let chunk = try await base.next(isolation: #isolation) else {
                // The underlying stream ends quietly when its consumer is cancelled.
                try Task.checkCancellation()
                return nil
            }
            if let usage = chunk.usage { CostMeter.report(tokenCost.cost(of: usage)) }
            return chunk
        }
    }
}

extension Transport {
    /// Sends a streaming request and returns its stream once the reply's head says it succeeded.
    func openStream(_ request: ChatRequest, attempt: Int) async throws -> ChatCompletionStream {
        let urlRequest = try urlRequest(for: request, streaming: true)
        let (chunks, continuation) = AsyncThrowingStream<ChatCompletionChunk, any Error>.makeStream()
        let delegate = StreamingDelegate(transport: self, chunks: continuation, attempt: attempt)
        // One session per stream: its delegate sees only this task, and it is invalidated when the task ends.
        let streamSession = URLSession(
            configuration: Transport.sessionConfiguration(timeout: configuration.timeout),
            delegate: delegate,
            delegateQueue: nil
        )
        let task = streamSession.dataTask(with: urlRequest)
        continuation.onTermination = { termination in
            if case .cancelled = termination { task.cancel() }
        }
        let response: HTTPURLResponse
        do {
            response = try await withTimeout(configuration.timeout) {
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { head in
                        delegate.awaitHead(head)
                        task.resume()
                    }
                } onCancel: {
                    task.cancel()
                }
            }
        } catch {
            task.cancel()
            continuation.finish()
            throw transportError(error, streaming: true)
        }
        return ChatCompletionStream(
            chunks: chunks, tokenCost: configuration.tokenCost, requestID: WireFormat.requestID(of: response)
        )
    }
}

/// Receives one streaming task's callbacks: resolves the reply's head, parses events, feeds the stream.
final class StreamingDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var head: CheckedContinuation<HTTPURLResponse, any Error>?
        var headResolved = false
        var response: HTTPURLResponse?
        var errorBody = Data()
        var parser = ServerSentEventParser()
        var finished = false
        var sawDone = false
        var sawFinishReason = false
    }

    /// The most bytes of an error body, or of one unfinished event line, kept in memory.
    private static let bufferLimit = 1 << 20

    private let transport: Transport
    private let chunks: AsyncThrowingStream<ChatCompletionChunk, any Error>.Continuation
    private let attempt: Int
    private let state = Mutex(State())

    init(transport: Transport, chunks: AsyncThrowingStream<ChatCompletionChunk, any Error>.Continuation, attempt: Int) {
        self.transport = transport
        self.chunks = chunks
        self.attempt = attempt
    }

    func awaitHead(_ continuation: CheckedContinuation<HTTPURLResponse, any Error>) {
        state.withLock { $0.head = continuation }
    }

    private func resolveHead(_ result: Result<HTTPURLResponse, any Error>) {
        let head = state.withLock { state -> CheckedContinuation<HTTPURLResponse, any Error>? in
            guard !state.headResolved else { return nil }
            state.headResolved = true
            defer { state.head = nil }
            return state.head
        }
        head?.resume(with: result)
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            resolveHead(.failure(LanguageModelError(code: .malformedResponse, message: "the reply is not HTTP")))
            completionHandler(.cancel)
            return
        }
        state.withLock { $0.response = http }
        if (200..<300).contains(http.statusCode) { resolveHead(.success(http)) }
        // An error status resolves the head when its body, which explains it, is complete.
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        enum Outcome {
            case none, done
            case failed(LanguageModelError)
        }
        var chunksToYield: [ChatCompletionChunk] = []
        let outcome = state.withLock { state -> Outcome in
            guard !state.finished, let response = state.response else { return .none }
            guard (200..<300).contains(response.statusCode) else {
                if state.errorBody.count < Self.bufferLimit { state.errorBody.append(data.prefix(Self.bufferLimit)) }
                return .none
            }
            for event in state.parser.feed(data) {
                if event.data == "[DONE]" {
                    state.sawDone = true
                    state.finished = true
                    return .done
                }
                switch Result(catching: { () throws(WireFormatError) in try WireFormat.chunk(from: event.data) }) {
                case .success(let chunk):
                    if chunk.finishReason != nil { state.sawFinishReason = true }
                    chunksToYield.append(chunk)
                case .failure(let error):
                    state.finished = true
                    return .failed(streamError(error, response: response, eventData: event.data))
                }
            }
            if state.parser.bufferedByteCount > Self.bufferLimit {
                state.finished = true
                return .failed(
                    LanguageModelError(code: .malformedResponse, message: "a stream event is longer than 1 MiB")
                )
            }
            return .none
        }
        for chunk in chunksToYield { chunks.yield(chunk) }
        switch outcome {
        case .none:
            break
        case .done:
            chunks.finish()
        case .failed(let error):
            chunks.finish(throwing: error)
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        session.finishTasksAndInvalidate()
        enum Outcome {
            case resolveHead(any Error)
            case finish
            case fail(any Error)
            case none
        }
        var lastChunk: ChatCompletionChunk?
        let outcome = state.withLock { state -> Outcome in
            if !state.headResolved {
                if let error { return .resolveHead(transport.transportError(error, streaming: true)) }
                if let response = state.response, !(200..<300).contains(response.statusCode) {
                    return .resolveHead(transport.statusError(response, body: state.errorBody))
                }
                return .resolveHead(
                    LanguageModelError(code: .malformedResponse, message: "the connection ended without a reply")
                )
            }
            guard !state.finished else { return .none }
            state.finished = true
            if let error {
                if let urlError = error as? URLError, urlError.code == .cancelled { return .fail(CancellationError()) }
                return .fail(transport.transportError(error, streaming: true))
            }
            if let event = state.parser.finish() {
                if event.data == "[DONE]" {
                    state.sawDone = true
                } else if let response = state.response {
                    switch Result(catching: { () throws(WireFormatError) in try WireFormat.chunk(from: event.data) }) {
                    case .success(let chunk):
                        lastChunk = chunk
                        if chunk.finishReason != nil { state.sawFinishReason = true }
                    case .failure(let error):
                        return .fail(streamError(error, response: response, eventData: event.data))
                    }
                }
            }
            guard state.sawDone || state.sawFinishReason else {
                return .fail(
                    LanguageModelError(
                        code: .malformedResponse,
                        message: "the stream ended before the reply did (no finish reason and no [DONE])",
                        status: state.response?.statusCode,
                        requestID: state.response.flatMap(WireFormat.requestID(of:))
                    )
                )
            }
            return .finish
        }
        switch outcome {
        case .resolveHead(let error):
            resolveHead(.failure(error))
            chunks.finish()
        case .finish:
            if let lastChunk { chunks.yield(lastChunk) }
            chunks.finish()
        case .fail(let error):
            if let lastChunk { chunks.yield(lastChunk) }
            chunks.finish(throwing: error)
        case .none:
            break
        }
        if case .finish = outcome {
            transport.emit(.completed, attempt: attempt, streaming: true, status: 200)
        }
    }

    private func streamError(_ error: WireFormatError, response: HTTPURLResponse, eventData: String)
        -> LanguageModelError
    {
        LanguageModelError(
            code: .malformedResponse,
            message: error.message,
            status: response.statusCode,
            serverMessage: transport.redact(error.serverMessage ?? eventData),
            requestID: WireFormat.requestID(of: response)
        )
    }
}
