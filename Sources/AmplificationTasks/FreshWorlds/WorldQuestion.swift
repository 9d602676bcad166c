/// A question together with the world it is asked about: the world's size and seed, from which the world, and
/// the names its symbols carry, are rebuilt.
///
/// In the fresh-world experiments every training example comes from a world of its own, so a question must carry
/// its world. A seed is enough: the task's `init(size:seed:)` rebuilds the world, and ``FreshWorldEncoding``
/// draws the world's names for its symbols from the same seed.
public struct WorldQuestion<Question: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    /// The world's size.
    public var size: Int
    /// The world's seed.
    public var worldSeed: UInt64
    /// The question, in the world's own numbering of its symbols.
    public var question: Question

    /// Creates a question about a world.
    ///
    /// - Parameters:
    ///   - size: The world's size.
    ///   - worldSeed: The world's seed.
    ///   - question: The question, in the world's own numbering of its symbols.
    public init(size: Int, worldSeed: UInt64, question: Question) {
        self.size = size
        self.worldSeed = worldSeed
        self.question = question
    }
}
