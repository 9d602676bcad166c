import IteratedAmplification

/// A person who adds numbers, as a test's H: `sum 1 2 3 4` is split into halves asked in parallel, the halves'
/// answers are added, and a sum of at most two numbers is answered directly.
enum ScriptedPerson {
    static func response(to workspace: HumanWorkspace) -> HumanResponse {
        let numbers = workspace.question.split(separator: " ").dropFirst().compactMap { Int($0) }
        if !workspace.exchanges.isEmpty {
            let total = workspace.exchanges.reduce(0) { total, exchange in
                guard case .answered(let answer) = exchange.outcome, let value = Int(answer) else { return total }
                return total + value
            }
            return .answer(String(total))
        }
        guard numbers.count > 2, workspace.canAsk else { return .answer(String(numbers.reduce(0, +))) }
        let middle = numbers.count / 2
        return .ask([
            "sum " + numbers[..<middle].map(String.init).joined(separator: " "),
            "sum " + numbers[middle...].map(String.init).joined(separator: " "),
        ])
    }

    /// The question `sum 1 2 … count`.
    static func question(count: Int) -> String {
        "sum " + (1...count).map(String.init).joined(separator: " ")
    }
}
