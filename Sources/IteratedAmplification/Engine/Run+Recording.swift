import Synchronization

// Recording: the trace's node records and the events.
extension Run {
    /// Records a finished node for the event stream and the trace; a no-op unless either is on.
    @inlinable
    func record(
        _ node: NodeStart,
        _ parent: NodeContext<Question>?,
        _ question: Question,
        _ result: Result<Answer, EngineError>,
        _ outcome: NodeOutcome,
        memoSource: Int,
        verified: Bool
    ) {
        guard Steps.includesOptionalSteps, recordsNodes else { return }
        recordNode(node, parent, question, result, outcome, memoSource: memoSource, verified: verified)
    }

    @inlinable
    @inline(never)
    func recordNode(
        _ node: NodeStart,
        _ parent: NodeContext<Question>?,
        _ question: Question,
        _ result: Result<Answer, EngineError>,
        _ outcome: NodeOutcome,
        memoSource: Int,
        verified: Bool
    ) {
        events?.yield(.nodeFinished(id: node.recordID, result: result, cache: outcome.cache))
        guard let recorder else { return }
        let answer: Answer?
        let error: String?
        switch result {
        case .success(let value):
            answer = value
            error = nil
        case .failure(let failure):
            answer = nil
            error = failure.description
        }
        recorder.append(
            TraceRecorder.Record(
                node: TraceNode(
                    id: node.recordID,
                    parent: parent?.recordID,
                    children: [],
                    question: question,
                    answer: answer,
                    role: node.role,
                    depth: node.depth,
                    remainingLevels: node.remainingDepth,
                    start: node.start,
                    end: elapsed(),
                    cost: outcome.cost,
                    cache: outcome.cache,
                    retries: Int(outcome.retries),
                    error: error,
                    verified: verified,
                    unaided: outcome.unaided
                ),
                ordinal: node.ordinal,
                memoSource: memoSource
            )
        )
    }

    @usableFromInline
    func trace() -> Trace<Question, Answer>? {
        recorder?.trace(recordCount: nextRecordID.load(ordering: .relaxed))
    }
}
