/// How well a student answered held-out questions, tallied by difficulty.
public struct StudentEvaluation: Hashable, Codable, Sendable {
    /// The count of correct answers among the questions of one difficulty.
    public struct Tally: Hashable, Codable, Sendable {
        /// The difficulty of the questions.
        public var difficulty: Int
        /// How many were answered correctly.
        public var correct: Int
        /// How many were asked.
        public var total: Int

        /// Creates a tally.
        ///
        /// - Parameters:
        ///   - difficulty: The difficulty of the questions.
        ///   - correct: How many were answered correctly.
        ///   - total: How many were asked.
        public init(difficulty: Int, correct: Int, total: Int) {
            self.difficulty = difficulty
            self.correct = correct
            self.total = total
        }

        /// The fraction answered correctly; 0 when none were asked.
        public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    }

    /// The tallies, one per difficulty, in ascending difficulty.
    public private(set) var tallies: [Tally]
    /// Further measurements by name, for example a loss.
    public var metrics: [String: Double]

    /// Creates an evaluation from tallies.
    ///
    /// - Parameters:
    ///   - tallies: Tallies in any order; tallies of the same difficulty are merged.
    ///   - metrics: Further measurements by name.
    public init(tallies: [Tally] = [], metrics: [String: Double] = [:]) {
        self.tallies = []
        self.metrics = metrics
        for tally in tallies { add(tally) }
    }

    /// Records one graded answer.
    ///
    /// - Parameters:
    ///   - difficulty: The question's difficulty.
    ///   - correct: Whether the answer was correct.
    public mutating func record(difficulty: Int, correct: Bool) {
        add(Tally(difficulty: difficulty, correct: correct ? 1 : 0, total: 1))
    }

    private mutating func add(_ tally: Tally) {
        let index = tallies.partitioningIndex { $0.difficulty >= tally.difficulty }
        if index < tallies.count, tallies[index].difficulty == tally.difficulty {
            tallies[index].correct += tally.correct
            tallies[index].total += tally.total
        } else {
            tallies.insert(tally, at: index)
        }
    }

    /// How many answers were correct.
    public var correct: Int { tallies.reduce(0) { $0 + $1.correct } }
    /// How many questions were asked.
    public var total: Int { tallies.reduce(0) { $0 + $1.total } }
    /// The fraction answered correctly; 0 when none were asked.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Returns the accuracy on questions of one difficulty, or `nil` when none were asked.
    ///
    /// - Parameter difficulty: The difficulty.
    public func accuracy(atDifficulty difficulty: Int) -> Double? {
        tallies.first { $0.difficulty == difficulty && $0.total > 0 }?.accuracy
    }

    /// Returns the horizon: the highest difficulty up to which every difficulty is answered with at least
    /// the threshold accuracy, or `nil` when the easiest difficulty already falls short.
    ///
    /// Counting only an unbroken run from the easiest difficulty keeps a lucky guess at a hard difficulty
    /// from raising the horizon.
    ///
    /// - Parameter threshold: The accuracy a difficulty needs; 0.95 by default.
    public func horizon(threshold: Double = 0.95) -> Int? {
        var horizon: Int?
        for tally in tallies where tally.total > 0 {
            guard tally.accuracy >= threshold else { break }
            horizon = tally.difficulty
        }
        return horizon
    }
}

extension Array {
    /// The first index whose element satisfies a predicate that is false, then true, along the array.
    fileprivate func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
