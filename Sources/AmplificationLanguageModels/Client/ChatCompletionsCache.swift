public import Foundation
import IteratedAmplification

/// Model replies kept on disk, keyed by what a request asks: record a model-backed run once, then replay it with no
/// network call.
///
/// The key is the request's content as it would be sent: the model, the messages and every parameter (temperature,
/// seed, token limit, stop sequences, response format). The API key and the server's address are not part of it,
/// and nothing the cache writes contains the key. Each reply is one file in the directory, named by the key's
/// hash and holding the request with the reply, written whole (to a temporary file, then renamed), so a process
/// killed in mid-write leaves no half entry.
///
/// - ``Mode-swift.struct/record``: a request the cache holds is answered from it; any other is sent, and its reply
///   stored.
/// - ``Mode-swift.struct/replay``: every request is answered from the cache; one it does not hold throws
///   ``LanguageModelError/Code/notRecorded`` naming it, and nothing is sent.
///
/// A replayed reply reports the tokens the recorded one did to `CostMeter`, so budgets and traces come out as
/// they did when it was recorded.
///
/// ```swift
/// let cache = try ChatCompletionsCache(directory: URL(fileURLWithPath: "replies"), mode: .replay)
/// let client = try ChatCompletionsClient(configuration: .fromEnvironment(), cache: cache)
/// ```
///
/// Streamed requests (``ChatCompletionsClient/stream(_:)``) are not cached: they are sent as usual in record
/// mode, and refused with ``LanguageModelError/Code/notRecorded`` in replay mode, which sends nothing.
public final class ChatCompletionsCache: Sendable {
    /// Whether requests the cache does not hold are sent, or refused.
    public struct Mode: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Hashable, Sendable {
            case record, replay
        }

        let value: Value

        /// Answer what the cache holds; send the rest and store their replies.
        public static let record = Mode(value: .record)
        /// Answer only from the cache; send nothing.
        public static let replay = Mode(value: .replay)

        /// The mode's name.
        public var description: String { value.rawValue }
    }

    /// The directory holding the replies.
    public let directory: URL
    /// Whether requests the cache does not hold are sent.
    public let mode: Mode

    /// Opens a cache in a directory; in record mode, the directory is created when missing.
    ///
    /// - Parameters:
    ///   - directory: The directory holding the replies.
    ///   - mode: Record or replay.
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` when replaying from a directory that does not
    ///   exist, or when the directory cannot be created.
    public init(directory: URL, mode: Mode) throws {
        self.directory = directory
        self.mode = mode
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw LanguageModelError(
                code: .invalidConfiguration, message: "the cache \(directory.path) is a file, not a directory")
        }
        guard !exists else { return }
        guard mode == .record else {
            throw LanguageModelError(
                code: .invalidConfiguration, message: "there is no recording to replay at \(directory.path)")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw LanguageModelError(
                code: .invalidConfiguration, message: "cannot create the cache directory \(directory.path): \(error)")
        }
    }

    /// The number of replies the cache holds.
    public var count: Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.count
    }

    /// The reply stored for a request body, if the cache holds one.
    ///
    /// - Throws: ``LanguageModelError/Code/malformedResponse`` naming the file when an entry cannot be read.
    func completion(for body: JSONValue) throws -> ChatCompletion? {
        let file = entryFile(for: body)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let entry: Entry
        do {
            entry = try JSONDecoder().decode(Entry.self, from: try Data(contentsOf: file))
        } catch {
            throw LanguageModelError(
                code: .malformedResponse, message: "the cached reply \(file.path) cannot be read: \(error)")
        }
        // Another request with the same 64-bit hash: not this one's reply. Compared as bytes: a value read back
        // from JSON may differ in case from the one sent (0.0 is written as 0 and read as an integer).
        guard Self.canonicalBytes(entry.request) == Self.canonicalBytes(body) else { return nil }
        return entry.completion.chatCompletion
    }

    /// Stores the reply to a request body.
    ///
    /// - Throws: ``LanguageModelError/Code/invalidConfiguration`` naming the file when it cannot be written.
    func store(_ completion: ChatCompletion, for body: JSONValue) throws {
        let file = entryFile(for: body)
        let entry = Entry(request: body, completion: .init(completion))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            try encoder.encode(entry).write(to: file, options: .atomic)
        } catch {
            throw LanguageModelError(
                code: .invalidConfiguration, message: "cannot write the cached reply \(file.path): \(error)")
        }
    }

    /// The error for a request the cache does not hold, in replay mode: what the request asked, briefly.
    ///
    /// - Parameter reason: Why it is not there, when that is known.
    func notRecorded(_ request: ChatRequest, body: JSONValue, reason: String? = nil) -> LanguageModelError {
        let last = request.messages.last?.content ?? ""
        let excerpt = last.count > 80 ? String(last.prefix(80)) + "…" : last
        return LanguageModelError(
            code: .notRecorded,
            message: "no recorded reply for the request \(entryFile(for: body).lastPathComponent) "
                + "(\(request.messages.count) messages, the last: \"\(excerpt)\") in \(directory.path)"
                + (reason.map { ": \($0)" } ?? ""))
    }

    /// The file of a request: named by the hash of its body's canonical bytes.
    private func entryFile(for body: JSONValue) -> URL {
        var hash = FNV1aHash()
        hash.combine(bytes: Self.canonicalBytes(body))
        let name = String(hash.value, radix: 16)
        return directory.appendingPathComponent(String(repeating: "0", count: 16 - name.count) + name + ".json")
    }

    /// A request body as compact JSON with sorted keys: the same bytes for the same request in every process.
    private static func canonicalBytes(_ body: JSONValue) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)) ?? Data()
    }

    /// One file of the cache.
    private struct Entry: Codable {
        var request: JSONValue
        var completion: StoredCompletion
    }

    private struct StoredCompletion: Codable {
        var text: String
        var finishReason: String?
        var usage: TokenUsage?
        var model: String?
        var id: String?

        init(_ completion: ChatCompletion) {
            text = completion.text
            finishReason = completion.finishReason
            usage = completion.usage
            model = completion.model
            id = completion.id
        }

        var chatCompletion: ChatCompletion {
            ChatCompletion(text: text, finishReason: finishReason, usage: usage, model: model, id: id)
        }
    }
}
