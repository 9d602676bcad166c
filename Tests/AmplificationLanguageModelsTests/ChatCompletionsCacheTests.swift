import Foundation
import IteratedAmplification
import Testing

@testable import AmplificationLanguageModels

struct ChatCompletionsCacheTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ia-cache-\(UUID().uuidString)")
    }

    @Test func recordsAReplyOnceAndReplaysItWithTheSameTokens() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestHTTPServer { _, _ in
            .respond(status: 200, body: Reply.completion("four", promptTokens: 9, completionTokens: 2))
        }
        let recording = try makeClient(server, cache: try ChatCompletionsCache(directory: directory, mode: .record))
        let first = try await recording.complete([.user("2 + 2?")])
        let again = try await recording.complete([.user("2 + 2?")])
        #expect(server.requests.count == 1)
        #expect(again.text == first.text)

        server.stop()
        let replaying = try makeClient(server, cache: try ChatCompletionsCache(directory: directory, mode: .replay))
        let meter = CostMeter()
        let replayed = try await meter.measure { try await replaying.complete([.user("2 + 2?")]) }
        #expect(replayed.text == "four")
        #expect(replayed.usage == TokenUsage(promptTokens: 9, completionTokens: 2, totalTokens: 11))
        #expect(meter.reportedCost == 11)
        #expect(server.requests.count == 1)
    }

    @Test func replayingARequestNotRecordedIsATypedErrorAndSendsNothing() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestHTTPServer { _, _ in .respond(status: 200, body: Reply.completion("ok")) }
        let recording = try makeClient(server, cache: try ChatCompletionsCache(directory: directory, mode: .record))
        _ = try await recording.complete([.user("recorded")])
        let replaying = try makeClient(server, cache: try ChatCompletionsCache(directory: directory, mode: .replay))
        let error = try await #require(throws: LanguageModelError.self) {
            try await replaying.complete([.user("never asked")])
        }
        #expect(error.code == .notRecorded)
        #expect(error.message.contains("\"never asked\""))
        // Another parameter is another request.
        await #expect(throws: LanguageModelError.self) {
            try await replaying.complete(ChatRequest(messages: [.user("recorded")], temperature: 0.5))
        }
        #expect(server.requests.count == 1)
    }

    @Test func aReplayRefusesToStreamRatherThanSendAnything() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try TestHTTPServer { _, _ in .respond(status: 200, body: Reply.completion("ok")) }
        let replaying = try makeClient(server, cache: try ChatCompletionsCache(directory: directory, mode: .replay))
        let error = try await #require(throws: LanguageModelError.self) {
            _ = try await replaying.stream(ChatRequest(messages: [.user("hello")]))
        }
        #expect(error.code == .notRecorded)
        #expect(error.message.contains("streamed requests are not recorded"))
        #expect(server.requests.isEmpty)
    }

    @Test func entriesNeverHoldTheAPIKey() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestHTTPServer { _, _ in .respond(status: 200, body: Reply.completion("ok")) }
        let client = try makeClient(
            server, apiKey: APIKey("sk-secret-417"),
            cache: try ChatCompletionsCache(directory: directory, mode: .record))
        _ = try await client.complete([.user("hello")])
        let cache = try ChatCompletionsCache(directory: directory, mode: .replay)
        #expect(cache.count == 1)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("sk-secret-417"))
            #expect(text.contains("hello"))
        }
    }

    @Test func replayingFromNoDirectoryIsRefused() {
        let error = #expect(throws: LanguageModelError.self) {
            try ChatCompletionsCache(directory: temporaryDirectory(), mode: .replay)
        }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func aCorruptEntryNamesItsFile() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestHTTPServer { _, _ in .respond(status: 200, body: Reply.completion("ok")) }
        let client = try makeClient(server, cache: try ChatCompletionsCache(directory: directory, mode: .record))
        _ = try await client.complete([.user("hello")])
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first)
        try Data("{\"request\":".utf8).write(to: directory.appendingPathComponent(name))
        let error = try await #require(throws: LanguageModelError.self) {
            try await client.complete([.user("hello")])
        }
        #expect(error.code == .malformedResponse)
        #expect(error.message.contains(name))
    }

    @Test func aModelBackedHCHRunReplaysWithNoNetworkCallAndTheSameTree() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ScriptedModel.server(LanguageModelSupervisorTests.arithmeticModel)

        func run(_ mode: ChatCompletionsCache.Mode) async throws -> RunOutcome<String, String> {
            // Temperature 0 is written as 0 and read back as an integer: the replay must still find it.
            let client = try makeClient(server, cache: try ChatCompletionsCache(directory: directory, mode: mode)) {
                $0.temperature = 0
            }
            return try await LanguageModelSupervisorTests.arithmeticRun(client)
        }

        let recorded = try await run(.record)
        let requestsWhileRecording = server.requests.count
        server.stop()
        let replayed = try await run(.replay)
        #expect(try replayed.result.get() == "10")
        #expect(server.requests.count == requestsWhileRecording)
        let recordedNodes = try #require(recorded.trace?.nodes)
        let replayedNodes = try #require(replayed.trace?.nodes)
        #expect(replayedNodes.map(\.question) == recordedNodes.map(\.question))
        #expect(replayedNodes.map(\.answer) == recordedNodes.map(\.answer))
        #expect(replayedNodes.map(\.children) == recordedNodes.map(\.children))
        #expect(replayedNodes.map(\.cost) == recordedNodes.map(\.cost))
    }
}
