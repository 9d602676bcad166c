public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A writer that appends values to a JSON Lines file, one compact JSON value per line, and syncs on demand.
///
/// Each ``append(_:)`` writes the encoded value and its newline in one write, so a record is whole exactly
/// when its newline is on disk; a process killed in mid-write leaves at most a last line without its
/// newline, which ``JSONLinesReader/recover()`` drops and reports. Appends reach the operating system at
/// once; ``sync()`` makes them durable (fsync, and the directory entry of a file this writer created).
///
/// The writer refuses to append to a file whose last line lacks its newline, since the next record would be
/// glued to it: recover the file first and open it with ``init(url:truncatingTo:)``. A failed write is
/// rolled back, so it leaves no partial line either. Keys are written sorted, so equal values give equal
/// bytes.
public final class JSONLinesWriter: Sendable {
    private struct State {
        var descriptor: Int32
        var byteCount: Int
        var lineCount: Int
        var directoryNeedsSync: Bool
    }

    /// The file this writer appends to.
    public let url: URL
    private let state: Mutex<State>

    /// Opens a file for appending, creating it (and its directory entry) when it does not exist.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - byteCount: If given, the file is first cut to this many bytes, for example to
    ///     ``JSONLinesRecovery/wholeByteCount`` to drop a cut-off last line.
    /// - Throws: ``JSONLinesError/Code/truncatedLastLine`` when the file's last line lacks its newline,
    ///   ``JSONLinesError/Code/invalidArgument`` when `byteCount` is negative or beyond the end of the file,
    ///   and ``JSONLinesError/Code/ioFailed`` when the file cannot be opened, read or truncated.
    public init(url: URL, truncatingTo byteCount: Int? = nil) throws(JSONLinesError) {
        self.url = url
        let path = url.path
        let existed = FileManager.default.fileExists(atPath: path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Self.systemError("cannot open the file for appending", path: path)
        }
        do throws(JSONLinesError) {
            var size = Int(lseek(descriptor, 0, SEEK_END))
            guard size >= 0 else { throw Self.systemError("cannot find the end of the file", path: path) }
            if let byteCount {
                guard byteCount >= 0, byteCount <= size else {
                    throw JSONLinesError(
                        code: .invalidArgument,
                        message: "cannot truncate to \(byteCount) bytes; the file has \(size)", path: path)
                }
                if byteCount < size {
                    guard ftruncate(descriptor, off_t(byteCount)) == 0 else {
                        throw Self.systemError("cannot truncate the file to \(byteCount) bytes", path: path)
                    }
                    guard fsync(descriptor) == 0 else { throw Self.systemError("cannot sync the file", path: path) }
                    size = byteCount
                }
            }
            let contents = try Self.readAll(descriptor, byteCount: size, path: path)
            let lineCount = contents.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            if let last = contents.last, last != UInt8(ascii: "\n") {
                throw JSONLinesError(
                    code: .truncatedLastLine,
                    message: "the last line has no newline, so an append would be glued to it; recover the file "
                        + "with JSONLinesReader.recover() and open it with truncatingTo: wholeByteCount",
                    path: path, line: lineCount + 1)
            }
            state = Mutex(
                State(descriptor: descriptor, byteCount: size, lineCount: lineCount, directoryNeedsSync: !existed))
        } catch {
            closeDescriptor(descriptor)
            throw error
        }
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { closeDescriptor(state.descriptor) }
        }
    }

    /// The size of the file in bytes, as far as this writer knows.
    public var byteCount: Int { state.withLock { $0.byteCount } }

    /// The number of lines in the file, as far as this writer knows.
    public var lineCount: Int { state.withLock { $0.lineCount } }

    /// Appends one value as one line.
    ///
    /// - Parameter value: The value to encode.
    /// - Throws: ``JSONLinesError/Code/encodingFailed`` when the value does not encode (nothing is written),
    ///   ``JSONLinesError/Code/ioFailed`` when the write fails (it is rolled back).
    public func append(_ value: some Encodable) throws(JSONLinesError) {
        try append(contentsOf: CollectionOfOne(value))
    }

    /// Appends values, one line each, in one write.
    ///
    /// - Parameter values: The values to encode.
    /// - Throws: ``JSONLinesError/Code/encodingFailed`` when a value does not encode (nothing is written),
    ///   ``JSONLinesError/Code/ioFailed`` when the write fails (it is rolled back).
    public func append<Values: Sequence>(contentsOf values: Values) throws(JSONLinesError)
    where Values.Element: Encodable {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try state.withLock { state throws(JSONLinesError) in
            guard state.descriptor >= 0 else {
                throw JSONLinesError(code: .ioFailed, message: "the writer is closed", path: url.path)
            }
            var bytes = Data()
            var lines = 0
            for value in values {
                let encoded: Data
                do {
                    encoded = try encoder.encode(value)
                } catch {
                    throw JSONLinesError(
                        code: .encodingFailed, message: "cannot encode a \(Values.Element.self)", path: url.path,
                        line: state.lineCount + lines + 1, underlyingError: error)
                }
                // Compact JSON escapes newlines inside strings; this guards the one-value-per-line invariant.
                guard !encoded.contains(UInt8(ascii: "\n")) else {
                    throw JSONLinesError(
                        code: .encodingFailed, message: "a \(Values.Element.self) encoded to more than one line",
                        path: url.path, line: state.lineCount + lines + 1)
                }
                bytes.append(encoded)
                bytes.append(UInt8(ascii: "\n"))
                lines += 1
            }
            guard !bytes.isEmpty else { return }
            try Self.writeAll(bytes, to: &state, path: url.path)
            state.lineCount += lines
        }
    }

    /// Makes every append so far durable: syncs the file, and its directory if this writer created it.
    ///
    /// - Throws: ``JSONLinesError/Code/ioFailed`` when a sync fails.
    public func sync() throws(JSONLinesError) {
        try state.withLock { state throws(JSONLinesError) in
            guard state.descriptor >= 0 else {
                throw JSONLinesError(code: .ioFailed, message: "the writer is closed", path: url.path)
            }
            guard fsync(state.descriptor) == 0 else { throw Self.systemError("cannot sync the file", path: url.path) }
            if state.directoryNeedsSync {
                try Self.syncDirectory(of: url)
                state.directoryNeedsSync = false
            }
        }
    }

    /// Syncs and closes the file; later appends throw.
    ///
    /// - Throws: ``JSONLinesError/Code/ioFailed`` when the final sync fails (the file is closed anyway).
    public func close() throws(JSONLinesError) {
        var syncFailure: JSONLinesError?
        do { try sync() } catch { syncFailure = error }
        state.withLock { state in
            if state.descriptor >= 0 { closeDescriptor(state.descriptor) }
            state.descriptor = -1
        }
        if let syncFailure { throw syncFailure }
    }

    private static func writeAll(_ bytes: Data, to state: inout State, path: String) throws(JSONLinesError) {
        let descriptor = state.descriptor
        let failure: JSONLinesError? = bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return systemError("cannot append to the file", path: path)
                }
                written += result
            }
            return nil
        }
        if let failure {
            // Cut off whatever part of the write landed, so the file still ends in a whole record.
            _ = ftruncate(descriptor, off_t(state.byteCount))
            throw failure
        }
        state.byteCount += bytes.count
    }

    private static func readAll(_ descriptor: Int32, byteCount: Int, path: String) throws(JSONLinesError) -> Data {
        var data = Data(count: byteCount)
        let failed = data.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let result = pread(descriptor, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                if result < 0, errno == EINTR { continue }
                if result <= 0 { return true }
                offset += result
            }
            return false
        }
        if failed { throw systemError("cannot read the file", path: path) }
        return data
    }

    private static func syncDirectory(of url: URL) throws(JSONLinesError) {
        let directory = url.deletingLastPathComponent().path
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError("cannot open the file's directory to sync it", path: directory) }
        defer { closeDescriptor(descriptor) }
        guard fsync(descriptor) == 0 else { throw systemError("cannot sync the file's directory", path: directory) }
    }

    private static func systemError(_ message: String, path: String) -> JSONLinesError {
        let code = errno
        return JSONLinesError(
            code: .ioFailed, message: "\(message): \(String(cString: strerror(code))) (errno \(code))", path: path,
            underlyingError: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO))
    }
}

/// Closes a file descriptor; a free function because inside the writer `close` names its method.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
