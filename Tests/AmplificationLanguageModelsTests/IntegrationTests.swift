import Foundation
import IteratedAmplification
import Synchronization
import TestSupport
import Testing

@testable import AmplificationLanguageModels

/// The real model server named by `LLM_BASE_URL` and `LLM_MODEL` (`.ci/model-server.sh` starts one).
enum RealServer {
    static let configuration: ChatCompletionsConfiguration? = {
        guard var configuration = try? ChatCompletionsConfiguration.fromEnvironment() else { return nil }
        // A 135M model on a busy machine: deterministic, short replies, patient timeouts.
        configuration.temperature = 0
        configuration.seed = 42
        configuration.maximumTokens = 16
        configuration.timeout = .seconds(180)
        return configuration
    }()

    static var isConfigured: Bool { configuration != nil }

    static func client(_ configure: (inout ChatCompletionsConfiguration) -> Void = { _ in }) throws
        -> ChatCompletionsClient
    {
        var configuration = try #require(Self.configuration)
        configure(&configuration)
        return try ChatCompletionsClient(configuration: configuration)
    }
}

/// Counts the calls in flight through an assistant.
struct CountingAssistant<Base: Assistant>: Assistant {
    final class Gauge: Sendable {
        private let state = Mutex((current: 0, maximum: 0))
        var maximum: Int { state.withLock { $0.maximum } }
        func enter() {
            state.withLock {
                $0.current += 1
                $0.maximum = max($0.maximum, $0.current)
            }
        }
        func leave() { state.withLock { $0.current -= 1 } }
    }

    let base: Base
    let gauge = Gauge()

    func answer(_ question: Base.Question) async throws -> Base.Answer {
        gauge.enter()
        defer { gauge.leave() }
        return try await base.answer(question)
    }
}

@Suite(
    "Integration with a real model server",
    .serialized,
    .enabled(if: RealServer.isConfigured, "set LLM_BASE_URL and LLM_MODEL to run against a real model server")
)
struct IntegrationTests {
    @Test func theRecipesRunAgainstARealModel() async throws {
        let source = try RecipeCommandTests.write(RecipeCommandTests.cSource, named: "copy.c")
        let document = try RecipeCommandTests.write(
            "# The door\nThe front door is red.\n\n# The garden\nThe garden grows beans.", named: "house.md")
        defer {
            try? FileManager.default.removeItem(at: source.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: document.deletingLastPathComponent())
        }
        let audit = try await BuiltExecutable.run("amplify", ["audit", source.path])
        #expect(audit.status == 0, "\(audit.output)")
        #expect(audit.output.contains("Audit of \(source.path): 2 functions"), "\(audit.output)")
        let reading = try await BuiltExecutable.run(
            "amplify", ["read", document.path, "What colour is the front door?"])
        #expect(reading.status == 0, "\(reading.output)")
        #expect(reading.output.contains("(3 nodes, 2 assistant calls"), "\(reading.output)")
    }

    @Test func amplifyAskRecordsThenReplaysWithNoServerAndTheSameTree() async throws {
        let configuration = try #require(RealServer.configuration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ia-ask-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let question = "Is 91 a prime number?"
        let recorded = try await BuiltExecutable.run(
            "amplify",
            ["ask", "--depth", "1", "--max-subquestions", "2", "--record", directory.path, question])
        #expect(recorded.status == 0, "\(recorded.output)")
        let replayed = try await BuiltExecutable.run(
            "amplify",
            [
                "ask", "--depth", "1", "--max-subquestions", "2", "--replay", directory.path, "--base-url",
                "http://127.0.0.1:9/v1", "--model", configuration.model, question,
            ])
        #expect(replayed.status == 0, "\(replayed.output)")
        let tree = AskCommandTests.tree(recorded.output)
        #expect(!tree.isEmpty)
        #expect(AskCommandTests.tree(replayed.output) == tree)
    }

    @Test func roundTrip() async throws {
        let client = try RealServer.client()
        let meter = CostMeter()
        let completion = try await meter.measure {
            try await client.complete([.system("Reply with one word."), .user("What colour is the sky?")])
        }
        #expect(!completion.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(completion.finishReason != nil)
        let usage = try #require(completion.usage)
        #expect(usage.promptTokens > 0 && usage.completionTokens > 0)
        #expect(meter.reportedCost == Double(usage.promptTokens + usage.completionTokens))
    }

    @Test func streamingChunksArriveInOrderAndEnd() async throws {
        let client = try RealServer.client()
        let stream = try await client.stream(ChatRequest(messages: [.user("Count from one to ten in words.")]))
        var chunks: [ChatCompletionChunk] = []
        for try await chunk in stream { chunks.append(chunk) }
        let finishIndex = try #require(chunks.firstIndex { $0.finishReason != nil }, "no chunk ends the reply")
        #expect(chunks[..<finishIndex].filter { !$0.text.isEmpty }.count >= 2)
        // Nothing but usage follows the end of the reply.
        #expect(chunks[(finishIndex + 1)...].allSatisfy { $0.text.isEmpty })
        #expect(!chunks.map(\.text).joined().isEmpty)
    }

    @Test func jsonModeDecompositionParses() async throws {
        let client = try RealServer.client { $0.maximumTokens = 64 }
        let decomposer = try LanguageModelDecomposer(client: client, maximumSubquestions: 3, maximumAttempts: 3)
        let decomposition = try await decomposer.decompose(
            "How much do 3 apples at 2 dollars each and 2 pears at 3 dollars each cost together?"
        )
        if case .subquestions(let subquestions) = decomposition {
            #expect((1...3).contains(subquestions.count))
            #expect(subquestions.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        }
    }

    @Test func depthTwoHCHRunWithTheModelAsHAndX() async throws {
        let client = try RealServer.client { $0.maximumTokens = 40 }
        let decomposer = try LanguageModelDecomposer(client: client, maximumSubquestions: 2, maximumTokens: 96)
        let supervisor = try LanguageModelSupervisor(decomposer: decomposer, client: client)
        let assistant = try LanguageModelAssistant(client: client)
        var configuration = HCHConfiguration()
        configuration.depth = 2
        configuration.tracing = true
        configuration.maximumConcurrentAssistantCalls = 2
        // A small model sometimes gives no usable list of subquestions; the supervisor asks again.
        configuration.supervisorRetries = RetryPolicy(maximumAttempts: 2)
        let outcome = await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
            .run("What is the total number of legs of two cats and three birds?")
        let answer = try outcome.result.get()
        #expect(!answer.isEmpty)
        let trace = try #require(outcome.trace)
        let root = try #require(trace.root)
        #expect(root.answer == answer)
        #expect(root.role == .supervisor)
        // Atomic or not, the root consulted: its subquestions' nodes, or the assistant's, are below it.
        #expect(trace.nodes.count >= 2)
        #expect(trace.nodes.allSatisfy { $0.answer.map { !$0.isEmpty } == true })
        #expect(trace.nodes.allSatisfy { $0.depth <= 2 })
        for node in trace.nodes where node.depth == 2 { #expect(node.role == .assistant) }
        for node in trace.nodes { #expect(trace.children(of: node).allSatisfy { $0.depth == node.depth + 1 }) }
        #expect(outcome.statistics.cost > 0)
        #expect(outcome.statistics.cost == trace.nodes.reduce(0) { $0 + $1.cost })
    }

    @Test func theEnginesConcurrencyCapHoldsAgainstTheServer() async throws {
        let client = try RealServer.client { $0.maximumTokens = 8 }
        let assistant = CountingAssistant(base: try LanguageModelAssistant(client: client))
        var configuration = HCHConfiguration()
        configuration.depth = 1  // Amp(H, X): the subquestions go to the assistant
        configuration.maximumConcurrentAssistantCalls = 2
        let parallel = ClosureSupervisor<String, String> { question, consultation in
            try await consultation.askAll((1...4).map { "\(question) \($0)" }).joined(separator: ", ")
        }
        let outcome = await HCHEngine(supervisor: parallel, assistant: assistant, configuration: configuration)
            .run("Name a colour.")
        let answer = try outcome.result.get()
        #expect(answer.split(separator: ",").count >= 4)
        #expect(outcome.statistics.assistantCalls == 4)
        #expect(assistant.gauge.maximum <= 2)
        #expect(assistant.gauge.maximum >= 1)
    }

    @Test func aDeadServerGivesAClearErrorWithinTheTimeout() async throws {
        let dead = try RefusingPort()
        let client = try RealServer.client {
            $0.baseURL = dead.baseURL
            $0.timeout = .seconds(120)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: LanguageModelError.self) { try await client.complete([.user("hi")]) }
        #expect(error.code == .connectionFailed)
        // A refused connection fails at once, long before the timeout, even on a busy machine.
        #expect(clock.now - start < .seconds(60))
        withExtendedLifetime(dead) {}
    }

    @Test func cancellingMidStreamStopsTheRequest() async throws {
        let client = try RealServer.client { $0.maximumTokens = 400 }
        let (received, receivedChunk) = AsyncStream<Int>.makeStream()
        let consumer = Task {
            var count = 0
            let stream = try await client.stream(
                ChatRequest(messages: [.user("Count from 1 to 200, one number per line.")]))
            for try await chunk in stream where !chunk.text.isEmpty {
                count += 1
                receivedChunk.yield(count)
            }
            return count
        }
        var iterator = received.makeAsyncIterator()
        while let count = await iterator.next(), count < 3 {}
        consumer.cancel()
        let result = await consumer.result
        #expect(throws: CancellationError.self) { try result.get() }
        // The server dropped the cancelled generation and serves the next request.
        let next = try await RealServer.client { $0.maximumTokens = 4 }.complete([.user("Say yes.")])
        #expect(next.usage.map { $0.completionTokens <= 4 } == true)
    }
}
