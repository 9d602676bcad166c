public import Foundation
import IteratedAmplification

// The saved model, format version 1, all integers and floats little-endian:
//
//   bytes 0..<8     the magic "IA-ATTN\n"
//   UInt32          the format version (1)
//   UInt32          the header's length in bytes, H
//   H bytes         the header, JSON: {"configuration": …, "shape": …, "step": …, "parameterCount": …}
//   4 × P Float32   the latest weights, the teacher, Adam's first and second moments (P = parameterCount)
//   UInt64          FNV-1a (64-bit) of every byte before it
//
// A reader checks each part in order, so a foreign, truncated, corrupted or inconsistent file is named for what
// it is.

extension AttentionModel {
    /// The first bytes of every saved model.
    static let fileMagic = Array("IA-ATTN\n".utf8)
    /// The most steps a saved model may have taken (so that training can go on counting).
    static let mostSteps = Int(Int32.max)
    /// The format version this build writes and reads.
    public static let fileFormatVersion: UInt32 = 1

    struct FileHeader: Codable {
        var configuration: AttentionConfiguration
        var shape: FactShape
        var step: Int
        var parameterCount: Int
    }

    /// Returns the model in the saved format (see the article on the attention learner).
    ///
    /// - Throws: An encoding error for the header (not expected: every field is a plain number or string).
    public func fileData() throws -> Data {
        let header = try JSONEncoder().encode(
            FileHeader(configuration: configuration, shape: shape, step: step, parameterCount: parameterCount)
        )
        var bytes: [UInt8] = Self.fileMagic
        bytes.reserveCapacity(bytes.count + 8 + header.count + 16 * parameterCount + 8)
        appendLittleEndian(Self.fileFormatVersion, to: &bytes)
        appendLittleEndian(UInt32(header.count), to: &bytes)
        bytes.append(contentsOf: header)
        for array in [weights, teacher, firstMoment, secondMoment] {
            for value in array { appendLittleEndian(value.bitPattern, to: &bytes) }
        }
        appendLittleEndian(checksum(bytes[...]), to: &bytes)
        return Data(bytes)
    }

    /// Writes the model to a file, atomically: a reader sees the old file or the new one, never a part.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidModelFile`` naming the file and the file
    ///   system's reason when it cannot be written.
    public func save(to url: URL) throws {
        let data = try fileData()
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw LearnerError(code: .invalidModelFile, message: "cannot write \(url.path): \(error)")
        }
    }

    /// Reads a model saved by ``save(to:)``.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - threads: How many threads the loaded model may use. The saving model's thread count is in the header
    ///     but not used: it belongs to the machine, not the model.
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidModelFile`` naming the file and what is
    ///   wrong with it: missing, foreign, of another version, truncated, corrupted, or inconsistent.
    public init(contentsOf url: URL, threads: Int = AttentionConfiguration.activeProcessorCount) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LearnerError(code: .invalidModelFile, message: "cannot read \(url.path): \(error)")
        }
        try self.init(fileData: data, threads: threads, source: url.path)
    }

    /// Reads a model from bytes in the saved format.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidModelFile``.
    public init(
        fileData data: Data,
        threads: Int = AttentionConfiguration.activeProcessorCount,
        source: String = "the data"
    ) throws {
        func fail(_ problem: String) -> LearnerError {
            LearnerError(code: .invalidModelFile, message: "\(source) \(problem)")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= Self.fileMagic.count, Array(bytes.prefix(Self.fileMagic.count)) == Self.fileMagic else {
            throw fail("is not a saved attention model (it does not start with \"IA-ATTN\")")
        }
        var cursor = Self.fileMagic.count
        guard let version = readLittleEndian(UInt32.self, bytes, &cursor) else {
            throw fail("is truncated in its version")
        }
        guard version == Self.fileFormatVersion else {
            throw fail("has format version \(version); this build reads version \(Self.fileFormatVersion)")
        }
        guard let headerLength = readLittleEndian(UInt32.self, bytes, &cursor) else {
            throw fail("is truncated before its header")
        }
        guard bytes.count - cursor >= Int(headerLength) else { throw fail("is truncated in its header") }
        let header: FileHeader
        do {
            header = try JSONDecoder().decode(FileHeader.self, from: Data(bytes[cursor..<(cursor + Int(headerLength))]))
        } catch let error as LearnerError {
            throw fail("holds an impossible shape: \(error.message)")
        } catch {
            throw fail("has a header that does not decode: \(error)")
        }
        cursor += Int(headerLength)
        guard threads >= 1 else {
            throw LearnerError(code: .invalidConfiguration, message: "threads must be at least 1, not \(threads)")
        }
        var configuration = header.configuration
        configuration.threads = threads
        do {
            try configuration.validate()
        } catch let error as LearnerError {
            throw fail("holds an impossible configuration: \(error.message)")
        }
        // The shape was checked as it decoded. The layout is only offsets: its count is checked against the
        // file's length before any weights are read.
        let shape = header.shape
        let layout = AttentionLayout(configuration: configuration, shape: shape)
        guard header.parameterCount == layout.count else {
            throw fail(
                "declares \(header.parameterCount) parameters, but its architecture and shape have \(layout.count)"
            )
        }
        guard (0...Self.mostSteps).contains(header.step) else {
            throw fail("declares step \(header.step), outside 0...\(Self.mostSteps)")
        }
        let expected = cursor + 16 * layout.count + 8
        guard bytes.count == expected else {
            throw fail(
                bytes.count < expected
                    ? "is truncated: it has \(bytes.count) bytes of the \(expected) its header implies"
                    : "has \(bytes.count - expected) bytes after the end its header implies"
            )
        }
        let expectedChecksum = checksum(bytes[..<(expected - 8)])
        var checksumCursor = expected - 8
        guard readLittleEndian(UInt64.self, bytes, &checksumCursor) == expectedChecksum else {
            throw fail("is corrupted: its checksum does not match its contents")
        }
        var arrays: [[Float]] = []
        for _ in 0..<4 {
            var array = [Float](repeating: 0, count: layout.count)
            for index in 0..<layout.count {
                guard let bits = readLittleEndian(UInt32.self, bytes, &cursor) else { throw fail("is truncated") }
                array[index] = Float(bitPattern: bits)
            }
            arrays.append(array)
        }
        self.init(
            configuration: configuration, shape: shape, layout: layout, step: header.step, weights: arrays[0],
            teacher: arrays[1], firstMoment: arrays[2], secondMoment: arrays[3]
        )
    }
}

private func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

private func readLittleEndian<Value: FixedWidthInteger>(
    _ type: Value.Type,
    _ bytes: [UInt8],
    _ cursor: inout Int
) -> Value? {
    let size = MemoryLayout<Value>.size
    guard bytes.count - cursor >= size else { return nil }
    var value: Value = 0
    for index in 0..<size { value |= Value(bytes[cursor + index]) << (8 * index) }
    cursor += size
    return value
}

/// The file's checksum: the 64-bit FNV-1a hash of its bytes.
private func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash = FNV1aHash()
    hash.combine(bytes: bytes)
    return hash.value
}
