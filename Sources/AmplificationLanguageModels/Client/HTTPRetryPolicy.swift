/// When and how long a client waits before sending a request again.
///
/// The client retries replies with status 408, 429 and 5xx. A `Retry-After` (or `retry-after-ms`) header is
/// honoured: the client waits that long, plus up to 10% of jitter, unless it is longer than
/// ``maximumRetryAfter``, in which case the client gives up at once and reports the status. Without the header
/// it backs off exponentially from ``initialBackoff``, doubling per attempt up to ``maximumBackoff``, and waits
/// a random time between half and all of that ("equal jitter"), so many clients do not retry in lockstep.
public struct HTTPRetryPolicy: Hashable, Sendable {
    /// The most requests sent for one call, the first included; 1 disables retries.
    public var maximumAttempts: Int
    /// The backoff before the first retry.
    public var initialBackoff: Duration
    /// The longest backoff.
    public var maximumBackoff: Duration
    /// The longest `Retry-After` the client waits for; a longer one ends the call with the server's error.
    public var maximumRetryAfter: Duration

    /// Four attempts, backing off from half a second up to 20 seconds, waiting at most a minute for `Retry-After`.
    public static let `default` = HTTPRetryPolicy()

    /// A single attempt.
    public static let none = HTTPRetryPolicy(maximumAttempts: 1)

    /// Creates a retry policy.
    ///
    /// - Parameters:
    ///   - maximumAttempts: The most requests per call, the first included.
    ///   - initialBackoff: The backoff before the first retry.
    ///   - maximumBackoff: The longest backoff.
    ///   - maximumRetryAfter: The longest `Retry-After` to honour.
    public init(
        maximumAttempts: Int = 4,
        initialBackoff: Duration = .milliseconds(500),
        maximumBackoff: Duration = .seconds(20),
        maximumRetryAfter: Duration = .seconds(60)
    ) {
        self.maximumAttempts = maximumAttempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Returns whether a reply with this status is worth another attempt.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// Returns how long to wait after a failed attempt, or `nil` when the server asked for too long a wait.
    ///
    /// - Parameters:
    ///   - attempt: The attempt that failed, 1 for the first.
    ///   - retryAfter: The wait the server asked for, if it did.
    ///   - generator: The source of jitter.
    public func delay(
        afterAttempt attempt: Int,
        retryAfter: Duration?,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        if let retryAfter {
            guard retryAfter <= maximumRetryAfter else { return nil }
            return retryAfter + retryAfter * Double.random(in: 0...0.1, using: &generator)
        }
        let exponent = min(max(attempt - 1, 0), 30)
        let backoff = min(initialBackoff * (1 << exponent), maximumBackoff)
        return backoff * Double.random(in: 0.5...1, using: &generator)
    }

    func validationErrors() -> [String] {
        var errors: [String] = []
        if maximumAttempts < 1 { errors.append("retries.maximumAttempts must be at least 1, not \(maximumAttempts)") }
        if initialBackoff < .zero { errors.append("retries.initialBackoff must not be negative") }
        if maximumBackoff < initialBackoff { errors.append("retries.maximumBackoff must be at least initialBackoff") }
        if maximumRetryAfter < .zero { errors.append("retries.maximumRetryAfter must not be negative") }
        return errors
    }
}
