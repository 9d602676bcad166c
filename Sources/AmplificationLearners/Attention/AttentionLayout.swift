// Where each of the attention model's tensors lives in its one flat vector of weights. The gradient, Adam's
// moments and the teacher use the same layout, so an optimiser step is one loop over flat vectors.

/// The weights of one attention block: a layer normalisation, then queries from the normalised input and keys
/// and values from a source (the same normalised input in the encoder, the encoded facts in the decoder).
struct AttentionBlockLayout: Hashable, Sendable {
    var normGain: Int
    var normBias: Int
    /// `width` by `width`.
    var query: Int
    /// `width` by `2 * width`: keys in the first `width` columns, values in the rest.
    var keyValue: Int
    /// `width` by `width`.
    var output: Int
}

/// The weights of one feed-forward block: a layer normalisation, a rectified layer, and a projection back.
struct FeedForwardLayout: Hashable, Sendable {
    var normGain: Int
    var normBias: Int
    /// `width` by `feedForwardWidth`.
    var up: Int
    var upBias: Int
    /// `feedForwardWidth` by `width`.
    var down: Int
    var downBias: Int
}

/// One layer: attention, then feed-forward, each added to its input (pre-norm residual blocks).
struct AttentionLayerLayout: Hashable, Sendable {
    var attention: AttentionBlockLayout
    var feedForward: FeedForwardLayout
}

/// How a tensor is initialised.
enum WeightInitialization: Hashable, Sendable {
    /// Uniform in ±√(6 / (fanIn + fanOut)) (Glorot).
    case glorot(fanIn: Int, fanOut: Int)
    /// Uniform in ±1 (token embeddings).
    case embedding
    case zeros
    case ones
}

/// The offsets of every tensor of a model of a given configuration and shape.
struct AttentionLayout: Sendable {
    let width: Int
    let heads: Int
    let feedForwardWidth: Int
    let shape: FactShape

    /// `tokenCount` by `width`.
    let embedding: Int
    /// `factWidth * width` by `width`: each slot's embedding has its own block of rows, so a fact's vector
    /// knows which token sits in which slot.
    let factInput: Int
    let factInputBias: Int
    /// `questionWidth * width` by `width`.
    let questionInput: Int
    let questionInputBias: Int
    let encoder: [AttentionLayerLayout]
    let encoderNormGain: Int
    let encoderNormBias: Int
    let decoder: [AttentionLayerLayout]
    let decoderNormGain: Int
    let decoderNormBias: Int
    /// `width` by `1 + answerWordCount`.
    let wordOutput: Int
    let wordOutputBias: Int
    /// `width` by `factWidth * width`: a pointer key per slot of each encoded fact.
    let pointer: Int
    /// The total number of weights.
    let count: Int
    /// Every tensor's offset, size and initialisation, in layout order.
    let tensors: [(offset: Int, count: Int, initialization: WeightInitialization)]

    init(configuration: AttentionConfiguration, shape: FactShape) {
        let width = configuration.width
        let feedForwardWidth = configuration.feedForwardWidth
        var tensors: [(offset: Int, count: Int, initialization: WeightInitialization)] = []
        var next = 0
        func tensor(_ rows: Int, _ columns: Int, _ initialization: WeightInitialization? = nil) -> Int {
            let offset = next
            tensors.append((offset, rows * columns, initialization ?? .glorot(fanIn: rows, fanOut: columns)))
            next += rows * columns
            return offset
        }
        func layer() -> AttentionLayerLayout {
            AttentionLayerLayout(
                attention: AttentionBlockLayout(
                    normGain: tensor(1, width, .ones),
                    normBias: tensor(1, width, .zeros),
                    query: tensor(width, width),
                    keyValue: tensor(width, 2 * width),
                    output: tensor(width, width)
                ),
                feedForward: FeedForwardLayout(
                    normGain: tensor(1, width, .ones),
                    normBias: tensor(1, width, .zeros),
                    up: tensor(width, feedForwardWidth),
                    upBias: tensor(1, feedForwardWidth, .zeros),
                    down: tensor(feedForwardWidth, width),
                    downBias: tensor(1, width, .zeros)
                )
            )
        }
        self.width = width
        self.heads = configuration.heads
        self.feedForwardWidth = feedForwardWidth
        self.shape = shape
        embedding = tensor(shape.tokenCount, width, .embedding)
        factInput = tensor(shape.factWidth * width, width)
        factInputBias = tensor(1, width, .zeros)
        questionInput = tensor(shape.questionWidth * width, width)
        questionInputBias = tensor(1, width, .zeros)
        encoder = (0..<configuration.encoderLayers).map { _ in layer() }
        encoderNormGain = tensor(1, width, .ones)
        encoderNormBias = tensor(1, width, .zeros)
        decoder = (0..<configuration.decoderLayers).map { _ in layer() }
        decoderNormGain = tensor(1, width, .ones)
        decoderNormBias = tensor(1, width, .zeros)
        wordOutput = tensor(width, shape.wordOutputs)
        wordOutputBias = tensor(1, shape.wordOutputs, .zeros)
        pointer = tensor(width, shape.factWidth * width)
        count = next
        self.tensors = tensors
    }
}
