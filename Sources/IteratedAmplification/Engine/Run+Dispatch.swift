public import Synchronization

// Parallel dispatch: child tasks under the live-task allowance, and the supervisor slots released while a node waits.
extension Run {
    /// Inlined into the consultation's closure, so that a parallel ask is one frame on the asking task's path.
    @inlinable
    @inline(__always)
    func solveInParallel(
        _ questions: [Question],
        parent: NodeContext<Question>,
        firstOrdinal: Int
    ) async throws -> [Answer] {
        if questions.count == 1 {
            return [
                try await solve(
                    questions[0], parent: parent, ordinal: firstOrdinal, role: nil
                )
            ]
        }
        var answers: [Answer] = []
        try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
            let spawned = spawnChildTasks(for: questions, parent: parent, firstOrdinal: firstOrdinal, in: &group)
            let inline = spawned..<questions.count
            for index in inline {
                let answer = try await solve(
                    questions[index], parent: parent, ordinal: firstOrdinal + index, role: nil
                )
                Self.place(answer, at: index, of: questions.count, in: &answers)
            }
            while let (index, answer) = try await group.next() {
                Self.place(answer, at: index, of: questions.count, in: &answers)
            }
        }
        return answers
    }

    /// Puts an answer in its place among `count` answers arriving in any order.
    ///
    /// The first answer to arrive fills every place, to be overwritten by the others as they arrive: one array, of
    /// the final type, instead of an array of optionals and its unwrapped copy.
    @inlinable
    static func place<Element>(_ element: Element, at index: Int, of count: Int, in elements: inout [Element]) {
        if elements.isEmpty {
            elements = Array(repeating: element, count: count)
        } else {
            elements[index] = element
        }
    }

    /// Starts a child task for each of the first questions that the live-task allowance covers, and returns how
    /// many it started; the caller answers the rest inline.
    ///
    /// Every question gets a child task while the allowance lasts, the last one too: a failing sibling can cancel
    /// a child task, but not work running inline in the asking task. Apart from its caller, and synchronous, so
    /// that what starting a task needs stays off the asking node's async frame.
    @inlinable
    @inline(never)
    func spawnChildTasks(
        for questions: [Question],
        parent: NodeContext<Question>,
        firstOrdinal: Int,
        in group: inout ThrowingTaskGroup<(Int, Answer), any Error>
    ) -> Int {
        let spawned = takeLiveTasks(upTo: questions.count)
        for index in 0..<spawned {
            let question = questions[index]
            group.addTask {
                defer { self.returnLiveTask() }
                let answer = try await self.solveInFirstFrame(
                    question, parent: parent, ordinal: firstOrdinal + index, role: nil)
                return (index, answer)
            }
        }
        return spawned
    }

    @inlinable
    func solveEachInParallel(
        _ questions: [Question],
        parent: NodeContext<Question>,
        firstOrdinal: Int
    ) async throws -> [Result<Answer, EngineError>] {
        var results: [Result<Answer, EngineError>] = []
        try await withThrowingTaskGroup(of: (Int, Result<Answer, EngineError>).self) { group in
            // The last question is answered inline: a failure here cancels nothing.
            let spawned = takeLiveTasks(upTo: questions.count - 1)
            for index in 0..<spawned {
                let question = questions[index]
                group.addTask {
                    defer { self.returnLiveTask() }
                    let result = try await self.solveCapturingFailure(
                        question, parent: parent, ordinal: firstOrdinal + index
                    )
                    return (index, result)
                }
            }
            for index in spawned..<questions.count {
                let result = try await solveCapturingFailure(
                    questions[index], parent: parent, ordinal: firstOrdinal + index
                )
                Self.place(result, at: index, of: questions.count, in: &results)
            }
            while let (index, result) = try await group.next() {
                Self.place(result, at: index, of: questions.count, in: &results)
            }
        }
        return results
    }

    @inlinable
    func solveCapturingFailure(
        _ question: Question,
        parent: NodeContext<Question>,
        ordinal: Int
    ) async throws -> Result<Answer, EngineError> {
        do {
            return .success(
                try await solve(question, parent: parent, ordinal: ordinal, role: nil)
            )
        } catch let error as EngineError {
            return .failure(error)
        } catch {
            try Task.checkCancellation()
            return .failure(
                EngineError(
                    code: .supervisorFailed,
                    message: "a subquestion failed",
                    path: NodeContext.path(of: question, below: parent),
                    underlyingError: error
                )
            )
        }
    }

    /// Takes up to `count` live tasks from the allowance in one exchange, and returns how many it took.
    @inlinable
    func takeLiveTasks(upTo count: Int) -> Int {
        guard count > 0 else { return 0 }
        var current = liveTaskAllowance.load(ordering: .relaxed)
        while current > 0 {
            let taken = min(current, count)
            let (exchanged, original) = liveTaskAllowance.compareExchange(
                expected: current, desired: current - taken, ordering: .relaxed
            )
            if exchanged { return taken }
            current = original
        }
        return 0
    }

    @inlinable
    func returnLiveTask() {
        liveTaskAllowance.wrappingAdd(1, ordering: .relaxed)
    }

    // MARK: Supervisor slots

    /// Frees the node's supervisor slot while it waits for subanswers, and takes it back after.
    @inlinable
    func withSlotReleased<T>(_ node: NodeContext<Question>, _ work: () async throws -> T) async throws -> T {
        guard let limiter = supervisorLimiter else { return try await work() }
        let release = node.slot.withLock { slot -> Bool in
            slot.outstandingAsks += 1
            guard slot.holding else { return false }
            slot.holding = false
            return true
        }
        if release { limiter.release() }
        let result: Result<T, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        let reacquire = node.slot.withLock { slot -> Bool in
            slot.outstandingAsks -= 1
            return slot.outstandingAsks == 0 && !slot.holding
        }
        if reacquire {
            try await limiter.acquire()
            // Another ask of this node may have started while this one queued: the node then keeps no slot, or
            // it would hold the slot that ask's subtree needs (a deadlock under a cap of one). The last of its
            // asks to finish takes the slot back.
            let surplus = node.slot.withLock { slot -> Bool in
                if slot.holding || slot.outstandingAsks > 0 { return true }
                slot.holding = true
                return false
            }
            if surplus { limiter.release() }
        }
        return try result.get()
    }
}
