/// How an exact memory chooses among different answers demonstrated for the same question.
///
/// A struct of static values rather than an enum, so a new policy breaks no `switch`.
public struct MemoryResolution: Hashable, Sendable, CustomStringConvertible {
    enum Value: String, Hashable, Sendable {
        case latest, majority
    }

    let value: Value

    /// The answer demonstrated last wins (in the order of the demonstrations; a continued memory's new
    /// demonstrations come after the old ones).
    public static let latest = MemoryResolution(value: .latest)

    /// The answer demonstrated most often wins; among answers tied for most, the one demonstrated last wins.
    public static let majority = MemoryResolution(value: .majority)

    /// The policy's name.
    public var description: String { value.rawValue }
}
