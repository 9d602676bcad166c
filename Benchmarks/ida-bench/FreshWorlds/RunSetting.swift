import AmplificationTasks

/// How long a fresh-world run trains and how deep its model is: the steps per arm and the model's layers. The
/// full run has one per task and world size (``fullRun(task:size:)``), `--quick` one for every task; `--steps` and
/// `--layers` replace them for every task.
struct RunSetting: CustomStringConvertible {
    /// Training steps per arm.
    var steps: Int
    /// Self-attention layers over the facts.
    var encoderLayers: Int
    /// Layers that read the question and the facts' encoding.
    var decoderLayers: Int

    /// 8,000 steps at size 8 and 3,000 at larger sizes with 2 + 2 layers, except where the tuning notes found
    /// that more helped: union find at size 8 (24,000 steps: the curves still rose at 8,000, third round),
    /// wildcard search above size 8 (12,000 steps, the same round), and permutation powering at size 8 (24,000
    /// steps with 3 + 3 layers: 2 + 2 stayed near 54% and 3 + 3 at 8,000 steps still rose, fourth and fifth
    /// rounds).
    static func fullRun(task: String, size: Int) -> RunSetting {
        switch (task, size <= 8) {
        case (PermutationPoweringTask.name, true): RunSetting(steps: 24_000, encoderLayers: 3, decoderLayers: 3)
        case (UnionFindTask.name, true): RunSetting(steps: 24_000, encoderLayers: 2, decoderLayers: 2)
        case (WildcardSearchTask.name, false): RunSetting(steps: 12_000, encoderLayers: 2, decoderLayers: 2)
        case (_, true): RunSetting(steps: 8_000, encoderLayers: 2, decoderLayers: 2)
        case (_, false): RunSetting(steps: 3_000, encoderLayers: 2, decoderLayers: 2)
        }
    }

    /// `--quick`'s setting for every task: a short run for CI.
    static let quick = RunSetting(steps: 1_000, encoderLayers: 2, decoderLayers: 2)

    /// Such as `24,000 steps, 3 + 3 layers`.
    var description: String { "\(grouped(steps)) steps, \(encoderLayers) + \(decoderLayers) layers" }
}
