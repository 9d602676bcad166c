/// One event of a Server-Sent Events stream.
struct ServerSentEvent: Hashable, Sendable {
    var event: String?
    var data: String
    var id: String?
}

/// An incremental parser for Server-Sent Events (the WHATWG `text/event-stream` format).
///
/// Feed it bytes as they arrive, in pieces of any size; it returns the events completed so far. It works on
/// bytes, so a UTF-8 character or a `\r\n` split across two pieces is handled. Lines end in `\n`, `\r\n` or
/// `\r`; `data:` lines join with `\n`; a line starting with `:` is a comment; an empty line ends an event.
struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var dataLines: [String] = []
    private var sawData = false
    private var eventName: String?
    private var eventID: String?
    /// Whether the last byte was a `\r`, so a following `\n` belongs to the same line end.
    private var afterCarriageReturn = false

    /// The bytes buffered in an unfinished line, to bound what a misbehaving server can make us hold.
    var bufferedByteCount: Int { line.count }

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                afterCarriageReturn = true
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: an event whose closing empty line never came is returned rather than lost.
    mutating func finish() -> ServerSentEvent? {
        var event: ServerSentEvent?
        if !line.isEmpty { event = endLine() }
        return event ?? dispatch()
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "data":
            dataLines.append(String(value))
            sawData = true
        case "event":
            eventName = String(value)
        case "id":
            if !value.contains("\0") { eventID = String(value) }
        default:
            break  // `retry` and unknown fields do not concern a single request
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            dataLines.removeAll()
            sawData = false
            eventName = nil
        }
        guard sawData else { return nil }
        return ServerSentEvent(event: eventName, data: dataLines.joined(separator: "\n"), id: eventID)
    }
}
