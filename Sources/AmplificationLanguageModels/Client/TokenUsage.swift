/// The tokens one completion consumed, as the server counted them.
public struct TokenUsage: Hashable, Codable, Sendable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens the model generated.
    public var completionTokens: Int
    /// All tokens; servers report it, and it is usually the sum of the other two.
    public var totalTokens: Int

    /// Creates a usage record.
    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
    }
}

/// How tokens convert to the cost units the engine budgets in (`CostMeter`).
///
/// The default counts every token as one unit, so `Budget.maximumCost` is a token
/// budget. Set the weights to prices to budget in money instead.
public struct TokenCost: Hashable, Sendable {
    /// Cost units per prompt token.
    public var perPromptToken: Double
    /// Cost units per generated token.
    public var perCompletionToken: Double

    /// One unit per token.
    public static let tokens = TokenCost(perPromptToken: 1, perCompletionToken: 1)

    /// Creates a conversion.
    public init(perPromptToken: Double, perCompletionToken: Double) {
        self.perPromptToken = perPromptToken
        self.perCompletionToken = perCompletionToken
    }

    /// Returns the cost of a usage record.
    public func cost(of usage: TokenUsage) -> Double {
        Double(usage.promptTokens) * perPromptToken + Double(usage.completionTokens) * perCompletionToken
    }
}
