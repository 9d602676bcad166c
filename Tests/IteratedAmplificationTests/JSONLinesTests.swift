import Foundation
import IteratedAmplification
import Testing

struct JSONLinesTests {
    struct Record: Codable, Equatable {
        var id: Int
        var text: String
    }

    /// A fresh file path in a fresh temporary directory; the directory is removed by `cleanUp`.
    private static func temporaryFile() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("JSONLinesTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("records.jsonl")
    }

    private static func cleanUp(_ file: URL) {
        try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
    }

    private static func records(_ count: Int) -> [Record] {
        (1...count).map { Record(id: $0, text: "record \($0)") }
    }

    private static func appendRawBytes(_ text: String, to file: URL) throws {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test func readsBackWhatWasAppendedInOrder() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let written = Self.records(5)
        let writer = try JSONLinesWriter(url: file)
        try writer.append(written[0])
        try writer.append(contentsOf: written[1...])
        try writer.sync()
        #expect(writer.lineCount == 5)
        #expect(try JSONLinesReader<Record>(url: file).read() == written)
    }

    @Test func reopenedWriterAppendsAfterExistingRecords() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let written = Self.records(4)
        try JSONLinesWriter(url: file).append(contentsOf: written[..<2])
        let reopened = try JSONLinesWriter(url: file)
        #expect(reopened.lineCount == 2)
        try reopened.append(contentsOf: written[2...])
        try reopened.close()
        #expect(try JSONLinesReader<Record>(url: file).read() == written)
    }

    @Test func eachValueTakesExactlyOneLineEvenWithNewlinesInStrings() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let written = [Record(id: 1, text: "two\nlines"), Record(id: 2, text: "cr\r\nlf")]
        try JSONLinesWriter(url: file).append(contentsOf: written)
        let contents = try Data(contentsOf: file)
        #expect(contents.filter { $0 == UInt8(ascii: "\n") }.count == written.count)
        #expect(try JSONLinesReader<Record>(url: file).read() == written)
    }

    @Test func emptyFileHoldsNoRecords() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        try JSONLinesWriter(url: file).sync()
        #expect(try JSONLinesReader<Record>(url: file).read().isEmpty)
        let recovery = try JSONLinesReader<Record>(url: file).recover()
        #expect(recovery.records.isEmpty && recovery.wholeByteCount == 0 && recovery.droppedTail == nil)
    }

    @Test func strictReadOfCutOffLastLineNamesFileAndLine() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        try JSONLinesWriter(url: file).append(contentsOf: Self.records(3))
        try Self.appendRawBytes(#"{"id":4,"te"#, to: file)
        let error = try #require(throws: JSONLinesError.self) { try JSONLinesReader<Record>(url: file).read() }
        #expect(error.code == .truncatedLastLine)
        #expect(error.line == 4)
        #expect(error.path == file.path)
        #expect(error.description.contains("\(file.path):4"))
    }

    @Test func cutOffLastLineIsStillTruncatedEvenIfItsBytesDecode() throws {
        // `{"id":1,"text":""}` cut before its newline is indistinguishable from a whole line; the newline decides.
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        try Data(#"{"id":1,"text":""}"#.utf8).write(to: file)
        let error = try #require(throws: JSONLinesError.self) { try JSONLinesReader<Record>(url: file).read() }
        #expect(error.code == .truncatedLastLine && error.line == 1)
        #expect(try JSONLinesReader<Record>(url: file).recover().records.isEmpty)
    }

    @Test func recoveryReturnsEveryWholeRecordAndReportsTheDroppedTail() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let written = Self.records(3)
        let writer = try JSONLinesWriter(url: file)
        try writer.append(contentsOf: written)
        let wholeBytes = writer.byteCount
        let cutOff = #"{"id":4,"text":"rec"#
        try Self.appendRawBytes(cutOff, to: file)

        let recovery = try JSONLinesReader<Record>(url: file).recover()
        #expect(recovery.records == written)
        #expect(recovery.wholeByteCount == wholeBytes)
        let tail = try #require(recovery.droppedTail)
        #expect(tail.line == 4)
        #expect(tail.byteOffset == wholeBytes)
        #expect(tail.byteCount == cutOff.utf8.count)
        #expect(tail.error.code == .truncatedLastLine)
    }

    @Test func corruptMiddleLineNamesItsLineAndIsNeverRecoveredAway() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        try JSONLinesWriter(url: file).append(contentsOf: Self.records(5))
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[2] = #"{"id":3,"text":"record 3""#  // a closing brace lost in the middle of the file
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let strict = try #require(throws: JSONLinesError.self) { try JSONLinesReader<Record>(url: file).read() }
        #expect(strict.code == .malformedLine)
        #expect(strict.line == 3)
        #expect(strict.path == file.path)
        let recovering = try #require(throws: JSONLinesError.self) { try JSONLinesReader<Record>(url: file).recover() }
        #expect(recovering.code == .malformedLine && recovering.line == 3)
    }

    @Test func lineOfTheWrongShapeIsMalformed() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let writer = try JSONLinesWriter(url: file)
        try writer.append(Record(id: 1, text: "fine"))
        try writer.append(["unexpected": true])
        let error = try #require(throws: JSONLinesError.self) { try JSONLinesReader<Record>(url: file).read() }
        #expect(error.code == .malformedLine && error.line == 2)
    }

    @Test func emptyLineIsMalformed() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        try JSONLinesWriter(url: file).append(Record(id: 1, text: "fine"))
        try Self.appendRawBytes("\n", to: file)
        let error = try #require(throws: JSONLinesError.self) { try JSONLinesReader<Record>(url: file).read() }
        #expect(error.code == .malformedLine && error.line == 2)
    }

    @Test func writerRefusesToGlueOntoCutOffLineUntilTruncated() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let written = Self.records(3)
        try JSONLinesWriter(url: file).append(contentsOf: written[..<2])
        try Self.appendRawBytes(#"{"id":"#, to: file)

        let refusal = try #require(throws: JSONLinesError.self) { try JSONLinesWriter(url: file) }
        #expect(refusal.code == .truncatedLastLine && refusal.line == 3)

        let recovery = try JSONLinesReader<Record>(url: file).recover()
        let writer = try JSONLinesWriter(url: file, truncatingTo: recovery.wholeByteCount)
        try writer.append(written[2])
        try writer.close()
        #expect(try JSONLinesReader<Record>(url: file).read() == written)
    }

    @Test func truncatingBeyondTheEndIsRejected() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        try JSONLinesWriter(url: file).append(Record(id: 1, text: "x"))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        let error = try #require(throws: JSONLinesError.self) {
            try JSONLinesWriter(url: file, truncatingTo: size + 1)
        }
        #expect(error.code == .invalidArgument)
        #expect(try JSONLinesReader<Record>(url: file).read().count == 1)
    }

    @Test func missingFileIsAnIOErrorNamingThePath() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let error = try #require(throws: JSONLinesError.self) { try JSONLinesReader<Record>(url: file).read() }
        #expect(error.code == .ioFailed && error.path == file.path)
    }

    @Test func appendAfterCloseThrowsAndWritesNothing() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let writer = try JSONLinesWriter(url: file)
        try writer.append(Record(id: 1, text: "x"))
        try writer.close()
        #expect(throws: JSONLinesError.self) { try writer.append(Record(id: 2, text: "y")) }
        #expect(try JSONLinesReader<Record>(url: file).read() == [Record(id: 1, text: "x")])
    }

    @Test func unencodableValueWritesNothing() throws {
        let file = try Self.temporaryFile()
        defer { Self.cleanUp(file) }
        let writer = try JSONLinesWriter(url: file)
        let error = try #require(throws: JSONLinesError.self) { try writer.append([1.0, .nan]) }
        #expect(error.code == .encodingFailed)
        #expect(writer.byteCount == 0)
        #expect(try Data(contentsOf: file).isEmpty)
    }
}
