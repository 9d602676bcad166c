import Foundation
import Synchronization

@testable import AmplificationLanguageModels

/// Records the waits a client asks for instead of waiting, so retry tests are fast and exact.
final class SleepRecorder: Sendable {
    private let recorded = Mutex<[Duration]>([])

    var delays: [Duration] { recorded.withLock { $0 } }

    @Sendable func sleep(_ duration: Duration) async throws {
        recorded.withLock { $0.append(duration) }
    }
}

/// Collects a client's events.
final class EventLog: Sendable {
    private let recorded = Mutex<[ClientEvent]>([])

    var events: [ClientEvent] { recorded.withLock { $0 } }

    @Sendable func record(_ event: ClientEvent) {
        recorded.withLock { $0.append(event) }
    }
}

/// A counter that tests can share with a server handler.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
    var current: Int { value.withLock { $0 } }
}

func makeClient(
    _ server: TestHTTPServer,
    apiKey: APIKey? = nil,
    timeout: Duration = .seconds(10),
    retries: HTTPRetryPolicy = .default,
    sleeper: SleepRecorder = SleepRecorder(),
    events: EventLog? = nil,
    cache: ChatCompletionsCache? = nil,
    configure: (inout ChatCompletionsConfiguration) -> Void = { _ in }
) throws -> ChatCompletionsClient {
    var configuration = ChatCompletionsConfiguration(baseURL: server.baseURL, model: "test-model", apiKey: apiKey)
    configuration.timeout = timeout
    configuration.retries = retries
    configure(&configuration)
    var handler: (@Sendable (ClientEvent) -> Void)?
    if let events { handler = { event in events.record(event) } }
    return try ChatCompletionsClient(
        configuration: configuration, cache: cache, eventHandler: handler, sleep: sleeper.sleep)
}

/// A generator with a fixed sequence, for tests of jitter.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
