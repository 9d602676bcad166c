import Foundation

/// The architecture and training settings of an ``AttentionModel``.
///
/// The defaults are sized for the algorithmic tasks at world sizes 8 to 64 on a two-core machine: width 64, four
/// heads, two encoder layers over the facts and two decoder layers for the question, a feed-forward width of
/// 128, minibatches of 32, Adam at 0.001 after 200 warm-up steps, gradients clipped to norm 1, and a teacher
/// averaged with decay 0.999. Every random choice comes from ``seed``.
public struct AttentionConfiguration: Hashable, Sendable, Codable {
    /// The width of every token, fact and question vector.
    public var width: Int
    /// The number of attention heads; it must divide ``width``.
    public var heads: Int
    /// The number of self-attention layers over the facts.
    public var encoderLayers: Int
    /// The number of layers in which the question attends to the encoded facts.
    public var decoderLayers: Int
    /// The width of each layer's feed-forward block.
    public var feedForwardWidth: Int
    /// Examples per optimiser step.
    public var batchSize: Int
    /// Adam's step size after warm-up.
    public var learningRate: Float
    /// Steps over which the step size rises linearly from near zero to ``learningRate``.
    public var warmUpSteps: Int
    /// The largest global norm a step's gradient may have; larger gradients are scaled down to it.
    public var gradientClipNorm: Float
    /// How slowly the teacher (the exponential moving average of the weights) follows them: `teacher = decay *
    /// teacher + (1 - decay) * weights` after every step. Early on, the decay is at most `(1 + t) / (10 + t)` at
    /// step `t`, so the teacher is not stuck at the initial weights.
    public var teacherDecay: Float
    /// The seed of the initial weights and of the order of examples.
    public var seed: UInt64
    /// How many threads a step may use. Any count gives bit-identical weights; the default is the number of
    /// active processors.
    public var threads: Int

    /// Creates a configuration; every argument has a default.
    public init(
        width: Int = 64,
        heads: Int = 4,
        encoderLayers: Int = 2,
        decoderLayers: Int = 2,
        feedForwardWidth: Int = 128,
        batchSize: Int = 32,
        learningRate: Float = 0.001,
        warmUpSteps: Int = 200,
        gradientClipNorm: Float = 1,
        teacherDecay: Float = 0.999,
        seed: UInt64 = 0,
        threads: Int = AttentionConfiguration.activeProcessorCount
    ) {
        self.width = width
        self.heads = heads
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.feedForwardWidth = feedForwardWidth
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.warmUpSteps = warmUpSteps
        self.gradientClipNorm = gradientClipNorm
        self.teacherDecay = teacherDecay
        self.seed = seed
        self.threads = threads
    }

    /// The number of processors the system makes available to this process: the default ``threads``.
    public static var activeProcessorCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The largest width and feed-forward width a configuration may have (far beyond what trains on a CPU; the
    /// bound keeps every size computation from overflowing).
    public static let largestWidth = 1 << 14
    /// The most encoder or decoder layers a configuration may have.
    public static let mostLayers = 256

    /// Checks that the configuration can work.
    ///
    /// - Throws: ``LearnerError`` with code ``LearnerError/Code/invalidConfiguration`` naming the setting: a size
    ///   below 1 or beyond ``largestWidth`` or ``mostLayers``, heads that do not divide the width, a learning rate
    ///   or clip norm that is not positive and finite, a teacher decay outside `0..<1`, or no threads.
    public func validate() throws {
        func fail(_ message: String) -> LearnerError {
            LearnerError(code: .invalidConfiguration, message: message)
        }
        guard (1...Self.largestWidth).contains(width) else {
            throw fail("the width must lie in 1...\(Self.largestWidth), not \(width)")
        }
        guard heads >= 1 else { throw fail("there must be at least 1 head, not \(heads)") }
        guard width % heads == 0 else {
            throw fail("\(heads) heads do not divide the width \(width)")
        }
        guard (0...Self.mostLayers).contains(encoderLayers) else {
            throw fail("encoder layers must lie in 0...\(Self.mostLayers), not \(encoderLayers)")
        }
        guard decoderLayers >= 1 else {
            throw fail("the question needs at least 1 decoder layer to read the facts, not \(decoderLayers)")
        }
        guard decoderLayers <= Self.mostLayers else {
            throw fail("decoder layers must be at most \(Self.mostLayers), not \(decoderLayers)")
        }
        guard (1...Self.largestWidth).contains(feedForwardWidth) else {
            throw fail("the feed-forward width must lie in 1...\(Self.largestWidth), not \(feedForwardWidth)")
        }
        guard batchSize >= 1 else { throw fail("the batch size must be at least 1, not \(batchSize)") }
        guard learningRate.isFinite, learningRate > 0 else {
            throw fail("the learning rate must be positive and finite, not \(learningRate)")
        }
        guard warmUpSteps >= 0 else { throw fail("warm-up steps must not be negative, not \(warmUpSteps)") }
        guard gradientClipNorm.isFinite, gradientClipNorm > 0 else {
            throw fail("the gradient clip norm must be positive and finite, not \(gradientClipNorm)")
        }
        guard teacherDecay >= 0, teacherDecay < 1 else {
            throw fail("the teacher decay must lie in 0..<1, not \(teacherDecay)")
        }
        guard threads >= 1 else { throw fail("threads must be at least 1, not \(threads)") }
    }

    /// Whether two configurations describe the same architecture (and so the same weights' layout).
    func hasSameArchitecture(as other: Self) -> Bool {
        width == other.width && heads == other.heads && encoderLayers == other.encoderLayers
            && decoderLayers == other.decoderLayers && feedForwardWidth == other.feedForwardWidth
    }
}
