public import Foundation

/// A reader of JSON Lines files: one JSON value per line, each line ended by a newline.
///
/// A record is whole once its newline is written; ``JSONLinesWriter`` writes the two together. The reader
/// decodes line by line and never drops a line silently:
///
/// - ``read()`` is strict: a line that does not decode throws ``JSONLinesError/Code/malformedLine``, and a
///   last line without its newline throws ``JSONLinesError/Code/truncatedLastLine``; both name the file and
///   the 1-based line.
/// - ``recover()`` returns every whole record up to a last line without its newline (what a process killed
///   in mid-write leaves) and reports the dropped bytes in ``JSONLinesRecovery/droppedTail``. A malformed
///   line that has its newline is corruption, not truncation, and still throws.
///
/// ```swift
/// let recovery = try JSONLinesReader<Demonstration<Int, Int>>(url: file).recover()
/// if let tail = recovery.droppedTail { print("dropped", tail) }
/// let writer = try JSONLinesWriter(url: file, truncatingTo: recovery.wholeByteCount)
/// ```
public struct JSONLinesReader<Record: Decodable>: Sendable {
    /// The file to read.
    public var url: URL

    /// Creates a reader of a file.
    ///
    /// - Parameter url: The file to read.
    public init(url: URL) {
        self.url = url
    }

    /// Returns every record of the file, in order.
    ///
    /// - Throws: ``JSONLinesError`` naming the file and line when a line does not decode
    ///   (``JSONLinesError/Code/malformedLine``) or the last line lacks its newline
    ///   (``JSONLinesError/Code/truncatedLastLine``); ``JSONLinesError/Code/ioFailed`` when the file cannot
    ///   be read.
    public func read() throws(JSONLinesError) -> [Record] {
        let (records, tail, _) = try decode(dropsTruncatedTail: false)
        if let tail { throw tail.error }
        return records
    }

    /// Returns every whole record, dropping and reporting a last line that lacks its newline.
    ///
    /// - Throws: ``JSONLinesError/Code/malformedLine`` naming the file and line when a line that ends in a
    ///   newline does not decode; ``JSONLinesError/Code/ioFailed`` when the file cannot be read.
    public func recover() throws(JSONLinesError) -> JSONLinesRecovery<Record> {
        let (records, tail, fileByteCount) = try decode(dropsTruncatedTail: true)
        let wholeByteCount = tail?.byteOffset ?? fileByteCount
        return JSONLinesRecovery(records: records, wholeByteCount: wholeByteCount, droppedTail: tail)
    }

    /// Decodes the file; returns the records, the cut-off last line if any, and the file's size.
    /// Returns the records of the first bytes of the file, the line cut off at their end if any, and the
    /// file's whole contents.
    ///
    /// - Parameter byteCount: How many bytes from the start to decode; fewer if the file is shorter.
    /// - Throws: ``JSONLinesError/Code/malformedLine`` for a whole line among them that does not decode.
    func read(
        prefix byteCount: Int
    ) throws(JSONLinesError) -> (records: [Record], cutOff: JSONLinesDroppedTail?, contents: Data) {
        let contents = try contents()
        let (records, tail, _) = try decode(contents.prefix(byteCount), dropsTruncatedTail: true)
        return (records, tail, contents)
    }

    private func contents() throws(JSONLinesError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw JSONLinesError(
                code: .ioFailed, message: "cannot read the file", path: url.path, underlyingError: error)
        }
    }

    private func decode(dropsTruncatedTail: Bool) throws(JSONLinesError) -> ([Record], JSONLinesDroppedTail?, Int) {
        try decode(contents(), dropsTruncatedTail: dropsTruncatedTail)
    }

    private func decode(
        _ data: Data,
        dropsTruncatedTail: Bool
    ) throws(JSONLinesError) -> ([Record], JSONLinesDroppedTail?, Int) {
        let decoder = JSONDecoder()
        var records: [Record] = []
        var lineStart = data.startIndex
        var lineNumber = 1
        while lineStart < data.endIndex {
            guard let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else {
                // The last line has no newline: its write was cut off, whatever its bytes say.
                let byteCount = data.endIndex - lineStart
                let error = JSONLinesError(
                    code: .truncatedLastLine,
                    message: "the last line (\(byteCount) bytes) has no newline; it was cut off in mid-write"
                        + (dropsTruncatedTail ? "" : "; JSONLinesReader.recover() returns the records before it"),
                    path: url.path, line: lineNumber)
                let tail = JSONLinesDroppedTail(
                    line: lineNumber, byteOffset: lineStart - data.startIndex, byteCount: byteCount, error: error)
                return (records, tail, data.count)
            }
            var lineEnd = newline
            if lineEnd > lineStart, data[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = Data(data[lineStart..<lineEnd])
            guard !line.isEmpty else {
                throw JSONLinesError(
                    code: .malformedLine, message: "the line is empty; every line must hold one JSON value",
                    path: url.path, line: lineNumber)
            }
            do {
                records.append(try decoder.decode(Record.self, from: line))
            } catch {
                throw JSONLinesError(
                    code: .malformedLine, message: "the line is not a JSON \(Record.self): \(Self.excerpt(of: line))",
                    path: url.path, line: lineNumber, underlyingError: error)
            }
            lineStart = newline + 1
            lineNumber += 1
        }
        return (records, nil, data.count)
    }

    private static func excerpt(of line: Data) -> String {
        let limit = 80
        let text = String(decoding: line.prefix(limit), as: UTF8.self)
        return line.count > limit ? text + "…" : text
    }
}

/// What ``JSONLinesReader/recover()`` found: the whole records and what it dropped after them.
public struct JSONLinesRecovery<Record> {
    /// Every whole record of the file, in order.
    public var records: [Record]
    /// The number of bytes from the start of the file to the end of the last whole record's newline.
    ///
    /// Pass it to ``JSONLinesWriter/init(url:truncatingTo:)`` to drop the cut-off tail before appending.
    public var wholeByteCount: Int
    /// The cut-off last line that was dropped, or `nil` when the file ended in a whole record.
    public var droppedTail: JSONLinesDroppedTail?
}

extension JSONLinesRecovery: Sendable where Record: Sendable {}

/// A last line that ``JSONLinesReader/recover()`` dropped because it lacked its newline.
public struct JSONLinesDroppedTail: Sendable, CustomStringConvertible {
    /// The 1-based number of the dropped line.
    public var line: Int
    /// The offset of the dropped bytes from the start of the file.
    public var byteOffset: Int
    /// How many bytes were dropped.
    public var byteCount: Int
    /// The error a strict ``JSONLinesReader/read()`` throws for this line.
    public var error: JSONLinesError

    /// A description naming the line and the bytes dropped.
    public var description: String {
        "line \(line): \(byteCount) bytes at offset \(byteOffset) (\(error.code))"
    }
}
