import Testing

@testable import AmplificationLanguageModels

struct ServerSentEventParserTests {
    static let stream =
        "data: {\"a\":1}\n\n: a comment\r\ndata: first\r\ndata: second\r\n\r\nevent: note\rid: 7\rdata: é✓\r\r"

    @Test func parsesLineEndingsCommentsAndMultilineData() {
        var parser = ServerSentEventParser()
        let events = parser.feed(Array(Self.stream.utf8))
        #expect(events.map(\.data) == ["{\"a\":1}", "first\nsecond", "é✓"])
        #expect(events[2].event == "note")
        #expect(events[2].id == "7")
    }

    @Test func givesTheSameEventsWhateverTheChunking() {
        var whole = ServerSentEventParser()
        let expected = whole.feed(Array(Self.stream.utf8))
        let bytes = Array(Self.stream.utf8)
        for size in 1...7 {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            var index = 0
            while index < bytes.count {
                events += parser.feed(bytes[index..<min(index + size, bytes.count)])
                index += size
            }
            #expect(events == expected, "chunks of \(size) bytes")
        }
    }

    @Test func finishReturnsAnEventWhoseBlankLineNeverCame() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("data: [DONE]".utf8)).isEmpty)
        #expect(parser.finish()?.data == "[DONE]")
        #expect(parser.finish() == nil)
    }

    @Test func ignoresEventsWithoutData() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("event: ping\n\nretry: 10\n\n".utf8)).isEmpty)
    }
}
