/// How many levels of help lie below a node: a number of levels, or unlimited (HCH without a bottom).
///
/// The depth n of HCH_n is ``HCHConfiguration/depth``: `0` is H alone, `1` is Amp(H, X), and ``unlimited`` lets
/// the supervisor recurse until its questions are atomic. An integer literal is a number of levels, so
/// `configuration.depth = 2` reads as it should.
public enum HCHDepth: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// No bottom: every node may consult.
    case unlimited
    /// This many levels of help below; 0 is H alone.
    case levels(Int)

    /// A number of levels.
    ///
    /// - Parameter value: The number of levels.
    public init(integerLiteral value: Int) {
        self = .levels(value)
    }

    /// The number of levels, or `nil` when unlimited.
    public var levels: Int? {
        if case .levels(let count) = self { return count }
        return nil
    }

    /// Whether a node at this depth may ask for help: any depth but 0 levels.
    public var allowsHelp: Bool { levels.map { $0 > 0 } ?? true }

    /// The number of levels, or `unlimited`.
    public var description: String { levels.map(String.init) ?? "unlimited" }

    /// The engine's representation on its hot path: the number of levels, `Int.max` when unlimited (a count no
    /// tree reaches, so that one integer comparison serves both).
    @inlinable
    var engineLevels: Int { levels ?? Int.max }

    /// The depth of the engine's representation.
    @inlinable
    init(engineLevels: Int) {
        self = engineLevels == Int.max ? .unlimited : .levels(engineLevels)
    }
}

extension HCHDepth: Codable {
    /// Decodes a number of levels, or `null` for unlimited.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when the value is neither an integer nor `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .unlimited : .levels(try container.decode(Int.self))
    }

    /// Encodes the number of levels, or `null` when unlimited.
    ///
    /// - Parameter encoder: The encoder to write to.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .unlimited: try container.encodeNil()
        case .levels(let count): try container.encode(count)
        }
    }
}
