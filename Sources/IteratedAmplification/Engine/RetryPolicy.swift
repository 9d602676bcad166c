/// How often, and how patiently, the engine retries a call that threw.
///
/// Backoff grows exponentially from ``initialBackoff`` by ``multiplier`` up to ``maximumBackoff``, and each
/// wait is spread by ``jitter`` so that many retrying nodes do not hit a server at once.
/// `CancellationError` and ``EngineError`` are never retried, except the call's own timeout
/// (``EngineError/Code/timedOut``), which reaches ``isRetryable`` like any other error. A supervisor is never
/// retried for the failure of one of its subquestions, a subquestion's timeout included.
public struct RetryPolicy: Sendable {
    /// How many attempts in all, the first included; 1 means no retry.
    public var maximumAttempts: Int
    /// The wait before the first retry.
    public var initialBackoff: Duration
    /// The factor by which each wait grows.
    public var multiplier: Double
    /// The longest wait.
    public var maximumBackoff: Duration
    /// The fraction of each wait that is random: 0.2 spreads a wait of 1 s over 0.8-1.2 s.
    public var jitter: Double
    /// Decides whether an error is worth a retry; by default every error is.
    public var isRetryable: @Sendable (any Error) -> Bool

    /// No retries.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// Creates a retry policy.
    ///
    /// - Parameters:
    ///   - maximumAttempts: Attempts in all, the first included.
    ///   - initialBackoff: The wait before the first retry.
    ///   - multiplier: The growth factor of the wait.
    ///   - maximumBackoff: The longest wait.
    ///   - jitter: The random fraction of each wait, from 0 to 1.
    ///   - isRetryable: Which errors to retry.
    public init(
        maximumAttempts: Int,
        initialBackoff: Duration = .milliseconds(100),
        multiplier: Double = 2,
        maximumBackoff: Duration = .seconds(10),
        jitter: Double = 0.2,
        isRetryable: @escaping @Sendable (any Error) -> Bool = { _ in true }
    ) {
        self.maximumAttempts = maximumAttempts
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maximumBackoff = maximumBackoff
        self.jitter = jitter
        self.isRetryable = isRetryable
    }

    /// Returns the wait before retry number `retry` (1 for the first retry), jitter applied.
    ///
    /// - Parameters:
    ///   - retry: The retry's number, from 1.
    ///   - random: A number in 0..<1 that places the wait within its jitter.
    public func backoff(beforeRetry retry: Int, random: Double) -> Duration {
        let base = initialBackoff * pow(multiplier, Double(max(0, retry - 1)))
        let capped = min(base, maximumBackoff)
        let spread = 1 + jitter * (2 * random - 1)
        return capped * max(0, spread)
    }

    func validationErrors(named name: String) -> [String] {
        var errors: [String] = []
        if maximumAttempts < 1 { errors.append("\(name).maximumAttempts must be at least 1") }
        if initialBackoff < .zero || maximumBackoff < .zero { errors.append("\(name) backoffs must not be negative") }
        if !(multiplier >= 1) { errors.append("\(name).multiplier must be at least 1") }
        if !(0...1).contains(jitter) { errors.append("\(name).jitter must lie between 0 and 1") }
        return errors
    }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 {
        result *= base
        remaining -= 1
        if result > 1e12 { return result }
    }
    return result
}
