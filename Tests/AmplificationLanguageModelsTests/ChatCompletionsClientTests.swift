import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct ChatCompletionsClientTests {
    @Test func sendsTheConfiguredRequestAndDecodesTheReply() async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(
                status: 200, headers: ["x-request-id": "req-42"],
                body: Reply.completion("four", promptTokens: 9, completionTokens: 2))
        }
        let client = try makeClient(server, apiKey: APIKey("sk-test-123")) { configuration in
            configuration.temperature = 0.5
            configuration.seed = 7
            configuration.maximumTokens = 32
            configuration.stop = ["\n\n"]
            configuration.responseFormat = .jsonObject
        }
        let completion = try await client.complete([.system("Be brief."), .user("2 + 2?")])

        #expect(completion.text == "four")
        #expect(completion.finishReason == "stop")
        #expect(completion.usage == TokenUsage(promptTokens: 9, completionTokens: 2, totalTokens: 11))
        #expect(completion.requestID == "req-42")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer sk-test-123")
        let body = try #require(request.json)
        #expect(body["model"] as? String == "test-model")
        #expect(body["temperature"] as? Double == 0.5)
        #expect(body["seed"] as? Int == 7)
        #expect(body["max_tokens"] as? Int == 32)
        #expect(body["stop"] as? [String] == ["\n\n"])
        #expect((body["response_format"] as? [String: Any])?["type"] as? String == "json_object")
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "Be brief."], ["role": "user", "content": "2 + 2?"]])
        #expect(body["stream"] == nil)
    }

    @Test func requestSettingsOverrideTheConfiguration() async throws {
        let server = try TestHTTPServer { _, _ in .respond(status: 200, body: Reply.completion("ok")) }
        let client = try makeClient(server) { $0.temperature = 1 }
        _ = try await client.complete(ChatRequest(messages: [.user("hi")], temperature: 0, maximumTokens: 3))
        let body = try #require(server.requests.first?.json)
        #expect(body["temperature"] as? Double == 0)
        #expect(body["max_tokens"] as? Int == 3)
        #expect(body["response_format"] == nil)
    }

    @Test func reportsTokenUsageToTheCostMeter() async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: 200, body: Reply.completion("ok", promptTokens: 30, completionTokens: 12))
        }
        let client = try makeClient(server) {
            $0.tokenCost = TokenCost(perPromptToken: 1, perCompletionToken: 2)
        }
        let meter = CostMeter()
        _ = try await meter.measure { try await client.complete([.user("hi")]) }
        #expect(meter.reportedCost == 30 + 2 * 12)
    }

    @Test(arguments: [
        ("{\"choices\": [", "not valid JSON"),
        ("[1, 2]", "not an object"),
        ("{\"id\": \"x\"}", "no `choices`"),
        ("{\"choices\": \"many\"}", "no `choices`"),
        ("{\"choices\": [42]}", "not an object"),
        ("{\"choices\": [{\"message\": {\"content\": 5}}]}", "not a string"),
        ("{\"choices\": [{\"message\": {\"content\": \"x\"}}], \"usage\": {\"prompt_tokens\": \"many\"}}", "usage"),
    ])
    func malformedRepliesThrowMalformedResponse(body: String, expectedPhrase: String) async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: 200, headers: ["x-request-id": "req-bad"], body: body)
        }
        let client = try makeClient(server)
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .malformedResponse)
        #expect(error.message.contains(expectedPhrase))
        #expect(error.status == 200)
        #expect(error.requestID == "req-bad")
        #expect(server.requests.count == 1)
    }

    @Test func aReplyWithoutChoicesIsEmpty() async throws {
        let server = try TestHTTPServer { _, _ in .respond(status: 200, body: "{\"choices\": []}") }
        let client = try makeClient(server)
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .emptyResponse)
    }

    @Test func aTruncatedBodyIsAnError() async throws {
        let server = try TestHTTPServer { _, _ in
            .truncate(body: String(Reply.completion("cut short").prefix(20)), declaredLength: 400)
        }
        let client = try makeClient(server, retries: .none)
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .connectionFailed || error.code == .malformedResponse)
    }

    @Test func retriesServerErrorsAndSucceeds() async throws {
        let server = try TestHTTPServer { _, number in
            number < 2
                ? .respond(status: 500, body: Reply.error("overloaded"))
                : .respond(status: 200, body: Reply.completion("fine"))
        }
        let sleeper = SleepRecorder()
        let events = EventLog()
        let client = try makeClient(server, sleeper: sleeper, events: events)
        let completion = try await client.complete([.user("hi")])
        #expect(completion.text == "fine")
        #expect(server.requests.count == 3)
        #expect(sleeper.delays.count == 2)
        #expect(events.events.filter { $0.kind == .retryScheduled }.map(\.status) == [500, 500])
    }

    @Test func givesUpAfterTheLastAttemptWithTheServersMessage() async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: 503, headers: ["x-request-id": "req-503"], body: Reply.error("the model is loading"))
        }
        let client = try makeClient(server, retries: HTTPRetryPolicy(maximumAttempts: 3))
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .httpStatus)
        #expect(error.status == 503)
        #expect(error.serverMessage == "the model is loading")
        #expect(error.requestID == "req-503")
        #expect(error.attempts == 3)
        #expect(server.requests.count == 3)
    }

    @Test func honoursRetryAfterOnRateLimits() async throws {
        let server = try TestHTTPServer { _, number in
            number == 0
                ? .respond(status: 429, headers: ["Retry-After": "7"], body: Reply.error("slow down"))
                : .respond(status: 200, body: Reply.completion("ok"))
        }
        let sleeper = SleepRecorder()
        let client = try makeClient(server, sleeper: sleeper)
        _ = try await client.complete([.user("hi")])
        let delay = try #require(sleeper.delays.first)
        #expect(delay >= .seconds(7) && delay <= .milliseconds(7_700))
    }

    @Test func honoursRetryAfterInMilliseconds() async throws {
        let server = try TestHTTPServer { _, number in
            number == 0
                ? .respond(status: 429, headers: ["retry-after-ms": "250"], body: Reply.error("slow down"))
                : .respond(status: 200, body: Reply.completion("ok"))
        }
        let sleeper = SleepRecorder()
        _ = try await makeClient(server, sleeper: sleeper).complete([.user("hi")])
        let delay = try #require(sleeper.delays.first)
        #expect(delay >= .milliseconds(250) && delay <= .milliseconds(275))
    }

    @Test func waitsForRealBeforeRetryingARateLimit() async throws {
        let server = try TestHTTPServer { _, number in
            number == 0
                ? .respond(status: 429, headers: ["retry-after-ms": "300"], body: Reply.error("slow down"))
                : .respond(status: 200, body: Reply.completion("ok"))
        }
        var configuration = ChatCompletionsConfiguration(baseURL: server.baseURL, model: "m")
        configuration.timeout = .seconds(10)
        let client = try ChatCompletionsClient(configuration: configuration)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await client.complete([.user("hi")])
        #expect(clock.now - start >= .milliseconds(300))
        #expect(server.requests.count == 2)
    }

    @Test func doesNotWaitLongerThanTheLongestRetryAfter() async throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: 429, headers: ["Retry-After": "3600"], body: Reply.error("come back in an hour"))
        }
        let sleeper = SleepRecorder()
        let client = try makeClient(server, sleeper: sleeper)
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.status == 429)
        #expect(error.retryAfter == .seconds(3600))
        #expect(error.attempts == 1)
        #expect(sleeper.delays.isEmpty)
    }

    @Test func doesNotRetryClientErrors() async throws {
        let server = try TestHTTPServer { _, _ in .respond(status: 400, body: Reply.error("bad model name")) }
        let client = try makeClient(server)
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.status == 400)
        #expect(error.serverMessage == "bad model name")
        #expect(server.requests.count == 1)
    }

    @Test func aServerThatDripsTooSlowlyTimesOut() async throws {
        let server = try TestHTTPServer { _, _ in
            .drip(status: 200, body: Reply.completion("slow"), interval: .milliseconds(500))
        }
        let client = try makeClient(server, timeout: .seconds(1), retries: .none)
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .timedOut)
        // The whole reply takes about two minutes to drip (234 bytes, one every 500 ms). The bound is loose because
        // other tests' CPU-bound work can hold the concurrency pool's threads for tens of seconds on two cores, and
        // the timeout's timer needs one of them to fire.
        #expect(clock.now - start < .seconds(90))
    }

    @Test func aSilentServerTimesOut() async throws {
        let server = try TestHTTPServer { _, _ in .hang }
        let client = try makeClient(server, timeout: .seconds(1), retries: .none)
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .timedOut)
        // The server never answers: any bound proves the timeout; a loose one, as above.
        #expect(clock.now - start < .seconds(90))
        #expect(await server.nextConnectionClosedByClient() == 0)
    }

    @Test func aConnectionResetIsAConnectionFailure() async throws {
        let server = try TestHTTPServer { _, _ in .reset }
        let client = try makeClient(server, retries: .none)
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains(server.baseURL.absoluteString))
    }

    @Test func aDeadServerFailsClearlyWithinTheTimeout() async throws {
        let dead = try RefusingPort()
        var configuration = ChatCompletionsConfiguration(baseURL: dead.baseURL, model: "m")
        configuration.timeout = .seconds(120)
        let client = try ChatCompletionsClient(configuration: configuration)
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("127.0.0.1"))
        // A refused connection fails at once, long before the timeout, even on a busy machine.
        #expect(clock.now - start < .seconds(60))
        withExtendedLifetime(dead) {}
    }

    @Test func cancellingTheCallerClosesTheConnection() async throws {
        let (arrivals, arrived) = AsyncStream<Int>.makeStream()
        let server = try TestHTTPServer { _, number in
            arrived.yield(number)
            return .hang
        }
        let client = try makeClient(server)
        let call = Task { try await client.complete([.user("hi")]) }
        var iterator = arrivals.makeAsyncIterator()
        _ = await iterator.next()
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(await server.nextConnectionClosedByClient() == 0)
    }

    @Test func fallsBackToJSONModeWhenTheServerRejectsASchema() async throws {
        let server = try TestHTTPServer { request, _ in
            let format = (request.json?["response_format"] as? [String: Any])?["type"] as? String
            return format == "json_schema"
                ? .respond(status: 400, body: Reply.error("response_format json_schema is not supported"))
                : .respond(status: 200, body: Reply.completion("{\"answer\": 4}"))
        }
        let events = EventLog()
        let client = try makeClient(server, events: events)
        let schema: JSONValue = ["type": "object", "properties": ["answer": ["type": "integer"]]]
        let request = ChatRequest(messages: [.user("2 + 2?")], responseFormat: .jsonSchema(name: "sum", schema: schema))
        let completion = try await client.complete(request)
        #expect(completion.text == "{\"answer\": 4}")
        #expect(server.requests.count == 2)
        let fallback = try #require(server.requests.last?.json)
        let fallbackFormat = try #require(fallback["response_format"] as? [String: Any])
        #expect(fallbackFormat["type"] as? String == "json_object")
        #expect((fallbackFormat["schema"] as? [String: Any])?["type"] as? String == "object")
        let messages = try #require(fallback["messages"] as? [[String: String]])
        #expect(messages.first?["role"] == "system")
        #expect(messages.first?["content"]?.contains(schema.encodedText()) == true)
        #expect(messages.last == ["role": "user", "content": "2 + 2?"])
        #expect(events.events.contains { $0.kind == .fellBack })
    }

    @Test func fallsBackWithoutRetryingAServerErrorThatNamesTheResponseFormat() async throws {
        // llama-cpp-python answers an unknown response format with 500 and a validation message.
        let server = try TestHTTPServer { request, _ in
            let format = (request.json?["response_format"] as? [String: Any])?["type"] as? String
            return format == "json_schema"
                ? .respond(
                    status: 500, body: Reply.error("('body', 'response_format', 'type'): Input should be 'text'"))
                : request.json?["stream"] as? Bool == true
                    ? .stream(events: [Reply.chunk("{}", finishReason: "stop"), "[DONE]"])
                    : .respond(status: 200, body: Reply.completion("{}"))
        }
        let sleeper = SleepRecorder()
        let client = try makeClient(server, sleeper: sleeper)
        let request = ChatRequest(
            messages: [.user("x")], responseFormat: .jsonSchema(name: "s", schema: ["type": "object"]))
        _ = try await client.complete(request)
        _ = try await client.stream(request).collect().text
        // The second call goes straight to the fallback: the client remembers the rejection.
        #expect(server.requests.count == 3)
        #expect(sleeper.delays.isEmpty)
    }

    @Test func reportsASchemaRejectionWhenFallbackIsOff() async throws {
        let server = try TestHTTPServer { _, _ in .respond(status: 400, body: Reply.error("no schemas here")) }
        let client = try makeClient(server) { $0.fallsBackFromJSONSchema = false }
        let request = ChatRequest(
            messages: [.user("x")], responseFormat: .jsonSchema(name: "s", schema: ["type": "object"]))
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete(request) }
        #expect(error.status == 400)
        #expect(server.requests.count == 1)
    }

    @Test func rejectsAnImpossibleConfiguration() throws {
        var configuration = ChatCompletionsConfiguration(baseURL: URL(string: "ftp://example.com")!, model: "")
        configuration.temperature = 5
        configuration.timeout = .zero
        configuration.retries.maximumAttempts = 0
        let error = try #require(throws: LanguageModelError.self) {
            try ChatCompletionsClient(configuration: configuration)
        }
        #expect(error.code == .invalidConfiguration)
        for phrase in ["baseURL", "model", "temperature", "timeout", "maximumAttempts"] {
            #expect(error.message.contains(phrase))
        }
    }

    @Test func readsItsConfigurationFromTheEnvironment() throws {
        let configuration = try ChatCompletionsConfiguration.fromEnvironment(environment: [
            "LLM_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MODEL": "small", "LLM_API_KEY": "sk-env\n",
        ])
        #expect(configuration.endpoint.absoluteString == "http://127.0.0.1:9/v1/chat/completions")
        #expect(configuration.model == "small")
        #expect(configuration.apiKey == APIKey("sk-env"))
        let missing = try #require(throws: LanguageModelError.self) {
            try ChatCompletionsConfiguration.fromEnvironment(environment: ["LLM_BASE_URL": "http://x/v1"])
        }
        #expect(missing.message.contains("LLM_MODEL"))
    }
}
