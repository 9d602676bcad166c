public import IteratedAmplification

/// A distiller for models you cannot train: it turns demonstrations into worked examples in the prompt.
///
/// Distilling returns a copy of ``base`` whose ``LanguageModelAssistant/examples`` pool holds the
/// demonstrations as worked examples. For every question, the student shows the examples most similar to
/// it, within a token budget (see ``FewShotExamples``). Continuing a previous student keeps its examples and
/// adds the new ones; a question demonstrated again keeps only its newest answer. The pool keeps at most
/// ``maximumPoolSize`` examples, dropping the oldest.
///
/// ```swift
/// let distiller = FewShotDistiller(base: try LanguageModelAssistant(client: client))
/// let student = try await distiller.distill(outcome.trace?.demonstrations() ?? [])
/// ```
public struct FewShotDistiller: Distiller {
    /// The question type: text.
    public typealias Question = String
    /// The answer type: text.
    public typealias Answer = String
    /// The student: a model-backed assistant with worked examples.
    public typealias Student = LanguageModelAssistant

    /// The assistant whose client and prompt the students share.
    public var base: LanguageModelAssistant
    /// The most estimated tokens of examples per prompt.
    public var tokenBudget: Int
    /// The most examples per prompt.
    public var maximumExamplesPerPrompt: Int
    /// The most examples a student keeps to choose from.
    public var maximumPoolSize: Int

    /// Creates a distiller.
    ///
    /// - Parameters:
    ///   - base: The assistant whose client and prompt the students share.
    ///   - tokenBudget: The most estimated tokens of examples per prompt.
    ///   - maximumExamplesPerPrompt: The most examples per prompt.
    ///   - maximumPoolSize: The most examples a student keeps.
    public init(
        base: LanguageModelAssistant,
        tokenBudget: Int = 1_024,
        maximumExamplesPerPrompt: Int = 8,
        maximumPoolSize: Int = 10_000
    ) {
        self.base = base
        self.tokenBudget = tokenBudget
        self.maximumExamplesPerPrompt = maximumExamplesPerPrompt
        self.maximumPoolSize = maximumPoolSize
    }

    /// Returns a student whose prompt draws worked examples from the demonstrations.
    ///
    /// - Parameters:
    ///   - demonstrations: Questions with the amplified system's answers.
    ///   - previous: The previous round's student, whose examples are kept.
    /// - Returns: The student.
    public func distill(
        _ demonstrations: [Demonstration<String, String>],
        continuing previous: LanguageModelAssistant?
    ) async throws -> LanguageModelAssistant {
        var pool = previous?.examples.pool ?? []
        var positions: [String: Int] = [:]
        for (index, example) in pool.enumerated() { positions[example.question] = index }
        for demonstration in demonstrations {
            try Task.checkCancellation()
            let example = WorkedExample(question: demonstration.question, answer: demonstration.answer)
            if let index = positions[example.question] {
                pool[index] = example
            } else {
                positions[example.question] = pool.count
                pool.append(example)
            }
        }
        if pool.count > maximumPoolSize { pool.removeFirst(pool.count - maximumPoolSize) }
        var student = base
        student.examples = FewShotExamples(pool: pool, tokenBudget: tokenBudget, maximumCount: maximumExamplesPerPrompt)
        return student
    }
}
