import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct ChatCompletionsClientStreamingTests {
    @Test func streamsChunksInOrderAndEnds() async throws {
        let pieces = ["The", " answer", " is", " four", "."]
        let server = try TestHTTPServer { _, _ in
            .stream(events: pieces.map { Reply.chunk($0) } + [Reply.chunk(nil, finishReason: "stop"), "[DONE]"])
        }
        let client = try makeClient(server)
        let stream = try await client.stream(ChatRequest(messages: [.user("2 + 2?")]))
        var received: [ChatCompletionChunk] = []
        for try await chunk in stream { received.append(chunk) }
        #expect(received.map(\.text) == pieces + [""])
        #expect(received.last?.finishReason == "stop")
        #expect(stream.requestID == "req-stream-0")
        let body = try #require(server.requests.first?.json)
        #expect(body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Bool])?["include_usage"] == true)
    }

    @Test func collectsAStreamAndReportsItsUsage() async throws {
        let server = try TestHTTPServer { _, _ in
            .stream(events: [
                Reply.chunk("Hello"), Reply.chunk(" world", finishReason: "stop"),
                Reply.usageChunk(promptTokens: 5, completionTokens: 2), "[DONE]",
            ])
        }
        let client = try makeClient(server)
        let meter = CostMeter()
        let completion = try await meter.measure {
            try await client.stream(ChatRequest(messages: [.user("hi")])).collect()
        }
        #expect(completion.text == "Hello world")
        #expect(completion.finishReason == "stop")
        #expect(completion.usage == TokenUsage(promptTokens: 5, completionTokens: 2))
        #expect(meter.reportedCost == 7)
    }

    @Test func acceptsAStreamThatEndsWithoutABlankLine() async throws {
        let server = try TestHTTPServer { _, _ in .stream(events: [Reply.chunk("x")], raw: "data: [DONE]") }
        let completion = try await makeClient(server).stream(ChatRequest(messages: [.user("hi")])).collect()
        #expect(completion.text == "x")
    }

    @Test func aStreamThatStopsEarlyIsAnError() async throws {
        let server = try TestHTTPServer { _, _ in .stream(events: [Reply.chunk("The"), Reply.chunk(" ans")]) }
        let stream = try await makeClient(server).stream(ChatRequest(messages: [.user("hi")]))
        var texts: [String] = []
        let error = try await #require(throws: LanguageModelError.self) {
            for try await chunk in stream { texts.append(chunk.text) }
        }
        #expect(error.code == .malformedResponse)
        #expect(texts == ["The", " ans"])
    }

    @Test func aMalformedEventIsAnError() async throws {
        let server = try TestHTTPServer { _, _ in
            .stream(events: [Reply.chunk("ok"), "{\"choices\": [{\"delta\": {\"content\": 3}}]}", Reply.chunk("never")])
        }
        let stream = try await makeClient(server).stream(ChatRequest(messages: [.user("hi")]))
        var texts: [String] = []
        let error = try await #require(throws: LanguageModelError.self) {
            for try await chunk in stream { texts.append(chunk.text) }
        }
        #expect(error.code == .malformedResponse)
        #expect(error.message.contains("not a string"))
        #expect(texts == ["ok"])
    }

    @Test func anErrorEventIsAnError() async throws {
        let server = try TestHTTPServer { _, _ in .stream(events: [Reply.error("the model crashed")]) }
        let stream = try await makeClient(server).stream(ChatRequest(messages: [.user("hi")]))
        let error = try await #require(throws: LanguageModelError.self) { _ = try await stream.collect() }
        #expect(error.serverMessage == "the model crashed")
    }

    @Test func anErrorStatusThrowsBeforeStreaming() async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: 401, headers: ["x-request-id": "req-401"], body: Reply.error("invalid key"))
        }
        let client = try makeClient(server)
        let error = try await #require(throws: LanguageModelError.self) {
            _ = try await client.stream(ChatRequest(messages: [.user("hi")]))
        }
        #expect(error.code == .httpStatus)
        #expect(error.status == 401)
        #expect(error.serverMessage == "invalid key")
        #expect(error.requestID == "req-401")
    }

    @Test func retriesARateLimitBeforeTheStreamStarts() async throws {
        let server = try TestHTTPServer { _, number in
            number == 0
                ? .respond(status: 429, headers: ["Retry-After": "2"], body: Reply.error("busy"))
                : .stream(events: [Reply.chunk("ok", finishReason: "stop"), "[DONE]"])
        }
        let sleeper = SleepRecorder()
        let client = try makeClient(server, sleeper: sleeper)
        let completion = try await client.stream(ChatRequest(messages: [.user("hi")])).collect()
        #expect(completion.text == "ok")
        #expect(sleeper.delays.count == 1)
        #expect(sleeper.delays.first.map { $0 >= .seconds(2) } == true)
    }

    @Test func aSilentServerTimesOutBeforeTheStream() async throws {
        let server = try TestHTTPServer { _, _ in .hang }
        let client = try makeClient(server, timeout: .seconds(1), retries: .none)
        let error = try await #require(throws: LanguageModelError.self) {
            _ = try await client.stream(ChatRequest(messages: [.user("hi")]))
        }
        #expect(error.code == .timedOut)
    }

    @Test func aStreamThatFallsSilentTimesOut() async throws {
        let server = try TestHTTPServer { _, _ in .stream(events: [Reply.chunk("first")], holdOpen: true) }
        let client = try makeClient(server, timeout: .seconds(1), retries: .none)
        let stream = try await client.stream(ChatRequest(messages: [.user("hi")]))
        var texts: [String] = []
        let error = try await #require(throws: LanguageModelError.self) {
            for try await chunk in stream { texts.append(chunk.text) }
        }
        #expect(error.code == .timedOut)
        #expect(texts == ["first"])
    }

    @Test func aResetMidStreamIsAConnectionFailure() async throws {
        let server = try TestHTTPServer { _, number in
            number == 0 ? .reset : .stream(events: [Reply.chunk("x", finishReason: "stop"), "[DONE]"])
        }
        let client = try makeClient(server, retries: .none)
        let error = try await #require(throws: LanguageModelError.self) {
            _ = try await client.stream(ChatRequest(messages: [.user("hi")])).collect()
        }
        #expect(error.code == .connectionFailed)
    }

    @Test func cancellingTheConsumerClosesTheConnection() async throws {
        let server = try TestHTTPServer { _, _ in
            .stream(events: [Reply.chunk("one"), Reply.chunk("two")], holdOpen: true)
        }
        // A timeout far longer than the test: the connection must be closed by the cancellation, however long other
        // tests' CPU-bound work keeps the consumer from running (with the default 10 s, the client's own timeout
        // closed it first on a busy machine, and the consumer got a timeout error).
        let client = try makeClient(server, timeout: .seconds(600))
        let (firstChunk, receivedFirst) = AsyncStream<String>.makeStream()
        let consumer = Task {
            let stream = try await client.stream(ChatRequest(messages: [.user("count")]))
            var texts: [String] = []
            for try await chunk in stream {
                texts.append(chunk.text)
                receivedFirst.yield(chunk.text)
            }
            return texts
        }
        var iterator = firstChunk.makeAsyncIterator()
        #expect(await iterator.next() == "one")
        consumer.cancel()
        #expect(await server.nextConnectionClosedByClient() == 0)
        let result = await consumer.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func droppingTheStreamClosesTheConnection() async throws {
        let server = try TestHTTPServer { _, _ in .stream(events: [Reply.chunk("one")], holdOpen: true) }
        let client = try makeClient(server)
        do {
            let stream = try await client.stream(ChatRequest(messages: [.user("count")]))
            for try await _ in stream { break }
        }
        #expect(await server.nextConnectionClosedByClient() == 0)
    }
}
