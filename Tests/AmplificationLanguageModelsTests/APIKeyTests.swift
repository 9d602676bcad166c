import Foundation
import IteratedAmplification
import Synchronization
import Testing

@testable import AmplificationLanguageModels

struct APIKeyTests {
    @Test func describesItselfAsRedacted() {
        let key = APIKey("sk-do-not-show")
        var dumped = ""
        dump(key, to: &dumped)
        for text in [String(describing: key), String(reflecting: key), "\(key)", dumped] {
            #expect(!text.contains("sk-do-not-show"))
            #expect(text.contains("redacted"))
        }
    }

    @Test func readsTheEnvironmentAndIgnoresEmptyValues() {
        #expect(APIKey.environment("KEY", in: ["KEY": " sk-1 \n"]) == APIKey("sk-1"))
        #expect(APIKey.environment("KEY", in: ["KEY": ""]) == nil)
        #expect(APIKey.environment("KEY", in: [:]) == nil)
    }

    /// Collects every text a user could see: descriptions, dumps, events, traces.
    final class Transcript: Sendable {
        private let texts = Mutex<[String]>([])
        func add(_ value: Any) {
            var dumped = ""
            dump(value, to: &dumped)
            var entries = [String(describing: value), String(reflecting: value), dumped]
            if let error = value as? any Error { entries.append(error.localizedDescription) }
            texts.withLock { $0 += entries }
        }
        func add(text: String) { texts.withLock { $0.append(text) } }
        var all: [String] { texts.withLock { $0 } }
    }

    @Test func theKeyAppearsInNoErrorDescriptionEventTraceOrLog() async throws {
        let secret = "sk-test-\(UUID().uuidString)"
        let key = APIKey(secret)
        let transcript = Transcript()
        let events = EventLog()
        // Servers that quote the Authorization header back, as some proxies and providers do.
        let echo: @Sendable (TestHTTPServer.Request) -> String = { request in
            "Incorrect API key provided: \(request.headers["authorization"] ?? "")"
        }
        let rejecting = try TestHTTPServer { request, _ in .respond(status: 401, body: Reply.error(echo(request))) }
        let failing = try TestHTTPServer { request, _ in
            .respond(status: 500, headers: ["x-request-id": "req-1"], body: Reply.error(echo(request)))
        }
        let garbling = try TestHTTPServer { request, _ in .respond(status: 200, body: "{\"oops\": \"\(echo(request))\"")
        }
        let streamingError = try TestHTTPServer { request, _ in .stream(events: [Reply.error(echo(request))]) }
        let servers = [rejecting, failing, garbling, streamingError]

        for server in servers {
            let client = try makeClient(
                server, apiKey: key, retries: HTTPRetryPolicy(maximumAttempts: 2), events: events)
            transcript.add(client)
            transcript.add(client.configuration)
            do {
                _ = try await client.complete([.user("hi")])
                Issue.record("expected a failure from \(server.baseURL)")
            } catch {
                transcript.add(error)
            }
            do {
                _ = try await client.stream(ChatRequest(messages: [.user("hi")])).collect()
                Issue.record("expected a streaming failure from \(server.baseURL)")
            } catch {
                transcript.add(error)
            }
        }

        // An HCH run whose assistant fails: the engine's error, its events and its trace.
        let client = try makeClient(rejecting, apiKey: key, retries: .none, events: events)
        let supervisor = try LanguageModelSupervisor(
            decomposer: ClosureDecomposer<String> { _ in .atomic }, client: client)
        var configuration = HCHConfiguration()
        configuration.tracing = true
        let (engineEvents, continuation) = AsyncStream<EngineEvent<String, String>>.makeStream()
        let outcome = await HCHEngine(
            supervisor: supervisor, assistant: try LanguageModelAssistant(client: client), configuration: configuration
        ).run("What is the key?", events: continuation)
        continuation.finish()
        for await event in engineEvents { transcript.add(event) }
        transcript.add(outcome.result)
        if case .failure(let error) = outcome.result { transcript.add(error) }
        let trace = try #require(outcome.trace)
        transcript.add(text: String(decoding: try JSONEncoder().encode(trace), as: UTF8.self))
        transcript.add(trace)
        for event in events.events { transcript.add(event) }

        // The key was sent, and the servers quoted it back ...
        for server in servers {
            #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(secret)" })
        }
        #expect(transcript.all.contains { $0.contains("Incorrect API key provided") })
        #expect(events.events.contains { $0.kind == .retryScheduled })
        // ... yet nothing a person can see contains it.
        let leaks = transcript.all.filter { $0.contains(secret) }
        #expect(
            leaks.count == 0,
            "the key leaked into: \(leaks.first?.replacingOccurrences(of: secret, with: "<KEY>") ?? "")")
    }
}
