/// The classes of answers whose known values lie in a closed range: one class per value, then "unknown".
struct AnswerClasses: Hashable, Sendable {
    let values: ClosedRange<Int>

    var count: Int { values.count + 1 }

    var unknownClass: Int { values.count }

    func answerClass(of answer: TaskAnswer) -> Int? {
        switch answer {
        case .value(let value): values.contains(value) ? value - values.lowerBound : nil
        case .unknown: unknownClass
        }
    }

    func answer(ofClass answerClass: Int) -> TaskAnswer {
        guard answerClass >= 0, answerClass < values.count else { return .unknown }
        return .value(values.lowerBound + answerClass)
    }
}

/// The number of bits needed to write a non-negative integer: 0 for 0, 3 for 7, 4 for 8.
func bitLength(_ value: Int) -> Int {
    Int.bitWidth - value.leadingZeroBitCount
}

/// The largest integer whose square is at most `value`.
func integerSquareRoot(_ value: Int) -> Int {
    var root = 0
    while (root + 1) * (root + 1) <= value { root += 1 }
    return root
}
