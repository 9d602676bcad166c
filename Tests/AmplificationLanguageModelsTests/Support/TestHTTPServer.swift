import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on loopback POSIX sockets whose every reply the test decides.
///
/// Each connection runs on its own thread and carries one request (`Connection: close`). The handler sees
/// the request and its 0-based number and returns an ``Action``: a normal reply, a slow drip, an event
/// stream, a truncated body, a connection reset, or silence. The server records the requests, the most
/// requests in flight at once, and the connections the client closed while the server held them open.
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    enum Action: Sendable {
        /// A complete reply.
        case respond(status: Int, headers: [String: String] = [:], body: String)
        /// A reply whose body arrives one byte per interval.
        case drip(status: Int, body: String, interval: Duration)
        /// An event stream: each string goes out as `data: …` plus a blank line; then the connection closes,
        /// or, with `holdOpen`, stays open until the client closes it.
        case stream(events: [String], holdOpen: Bool = false, raw: String? = nil)
        /// A reply that promises `declaredLength` bytes of body, sends `body`, and closes.
        case truncate(body: String, declaredLength: Int)
        /// A connection reset (RST) right after the request is read.
        case reset
        /// No reply at all; the connection stays open until the client closes it.
        case hang
    }

    private struct State {
        var requests: [Request] = []
        var inFlight = 0
        var maximumInFlight = 0
        var openSockets: Set<Int32> = []
        var stopped = false
    }

    let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request, Int) -> Action
    private let state = Mutex(State())
    /// Yields the number of each request whose connection the client closed while the server held it open.
    let closedByClient: AsyncStream<Int>
    private let closedContinuation: AsyncStream<Int>.Continuation

    init(handler: @escaping @Sendable (Request, Int) -> Action) throws {
        self.handler = handler
        (closedByClient, closedContinuation) = AsyncStream<Int>.makeStream()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }
    var requests: [Request] { state.withLock { $0.requests } }
    var maximumInFlight: Int { state.withLock { $0.maximumInFlight } }

    func stop() {
        // Shut sockets down under the lock: a connection thread removes its socket under the same lock before
        // closing it, so no descriptor here can have been closed and reused by another test's server.
        let stoppedNow = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for socket in state.openSockets { shutdown(socket, Int32(SHUT_RDWR)) }
            return true
        }
        if stoppedNow { closedContinuation.finish() }
    }

    /// Waits until the client closes a connection the server holds open; `nil` if none does within `limit`.
    func nextConnectionClosedByClient(within limit: Duration = .seconds(10)) async -> Int? {
        let stream = closedByClient
        return await withTaskGroup(of: Int?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    // MARK: Connections

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                break
            }
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.openSockets.insert(connection)
                return true
            }
            guard accepted else {
                close(connection)
                break
            }
            Thread { [self] in serve(connection) }.start()
        }
        // Marked stopped before closing, so a later stop() never shuts down a reused descriptor.
        state.withLock { $0.stopped = true }
        close(listener)
    }

    private func serve(_ connection: Int32) {
        defer {
            state.withLock { _ = $0.openSockets.remove(connection) }
            close(connection)
        }
        guard let request = readRequest(connection) else { return }
        let number = state.withLock { state -> Int in
            state.requests.append(request)
            state.inFlight += 1
            state.maximumInFlight = max(state.maximumInFlight, state.inFlight)
            return state.requests.count - 1
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        switch handler(request, number) {
        case .respond(let status, let headers, let body):
            var head = headers
            head["Content-Type"] = head["Content-Type"] ?? "application/json"
            send(connection, Self.head(status: status, headers: head, contentLength: body.utf8.count) + body)
        case .drip(let status, let body, let interval):
            guard send(connection, Self.head(status: status, headers: [:], contentLength: body.utf8.count)) else {
                return
            }
            for byte in body.utf8 {
                Thread.sleep(
                    forTimeInterval: Double(interval.components.attoseconds) / 1e18
                        + Double(interval.components.seconds))
                guard sendBytes(connection, [byte]) else { return }
            }
        case .stream(let events, let holdOpen, let raw):
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "x-request-id: req-stream-\(number)\r\nConnection: close\r\n\r\n"
            guard send(connection, head) else { return }
            for event in events {
                guard send(connection, "data: \(event)\n\n") else { return }
            }
            if let raw, !send(connection, raw) { return }
            if holdOpen { waitForClientToClose(connection, request: number) }
        case .truncate(let body, let declaredLength):
            send(
                connection,
                Self.head(status: 200, headers: ["Content-Type": "application/json"], contentLength: declaredLength)
                    + body)
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        case .hang:
            waitForClientToClose(connection, request: number)
        }
    }

    private func waitForClientToClose(_ connection: Int32, request: Int) {
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while true {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        let stopped = state.withLock { $0.stopped }
        if !stopped { closedContinuation.yield(request) }
    }

    private static func head(status: Int, headers: [String: String], contentLength: Int) -> String {
        var text = "HTTP/1.1 \(status) \(reason(status))\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(contentLength)\r\nConnection: close\r\n\r\n"
        return text
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    @discardableResult
    private func send(_ connection: Int32, _ text: String) -> Bool {
        sendBytes(connection, Array(text.utf8))
    }

    private func sendBytes(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            data += buffer[0..<count]
            if data.count >= 4 {
                for index in 0...(data.count - 4) where Array(data[index..<index + 4]) == separator {
                    headerEnd = index
                    break
                }
            }
        }
        guard let end = headerEnd else { return nil }
        let headText = String(decoding: data[0..<end], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let contentLength = Int(headers["content-length"] ?? "0") ?? 0
        if headers["expect"]?.lowercased() == "100-continue" {
            send(connection, "HTTP/1.1 100 Continue\r\n\r\n")
        }
        var body = Array(data[(end + 4)...])
        while body.count < contentLength {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            body += buffer[0..<count]
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Data(body))
    }
}

/// Builds the JSON an OpenAI-compatible server sends.
enum Reply {
    static func completion(_ text: String, promptTokens: Int = 11, completionTokens: Int = 7) -> String {
        let object: [String: Any] = [
            "id": "chatcmpl-test", "object": "chat.completion", "model": "test-model",
            "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]],
            "usage": [
                "prompt_tokens": promptTokens, "completion_tokens": completionTokens,
                "total_tokens": promptTokens + completionTokens,
            ],
        ]
        return json(object)
    }

    static func chunk(_ text: String?, finishReason: String? = nil) -> String {
        var choice: [String: Any] = ["index": 0, "delta": text.map { ["content": $0] } ?? [:]]
        choice["finish_reason"] = finishReason ?? NSNull()
        return json(["id": "chatcmpl-test", "object": "chat.completion.chunk", "choices": [choice]])
    }

    static func usageChunk(promptTokens: Int, completionTokens: Int) -> String {
        json([
            "id": "chatcmpl-test", "object": "chat.completion.chunk", "choices": [Any](),
            "usage": [
                "prompt_tokens": promptTokens, "completion_tokens": completionTokens,
                "total_tokens": promptTokens + completionTokens,
            ],
        ])
    }

    static func error(_ message: String) -> String {
        json(["error": ["message": message, "type": "invalid_request_error"]])
    }

    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A loopback port held by a socket that is bound but never listens: a connection to it is refused at once, and
/// no other test's server can be given the port while this value lives (the socket does not set
/// `SO_REUSEADDR`, so even servers that do cannot bind it). A stopped server's port is no substitute: the
/// system may hand it to the next server that a test running beside this one starts.
final class RefusingPort: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        descriptor = fd
    }

    deinit { close(descriptor) }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }
}
