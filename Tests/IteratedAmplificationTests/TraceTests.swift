import Foundation
import IteratedAmplification
import Synchronization
import Testing

struct TraceTests {
    @Test func theTraceHoldsTheWholeTreeInPreorder() async throws {
        let tree = CompleteTree(branching: 3, height: 2)
        let configuration = tree.configuration { $0.tracing = true }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration)
        let outcome = await engine.run(0)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.count == tree.nodeCount)
        // Preorder computed independently from the tree's shape.
        var expected: [Int] = []
        var stack = [0]
        while let node = stack.popLast() {
            expected.append(node)
            if expected.count <= tree.nodeCount, node < tree.firstLeaf {
                stack.append(contentsOf: tree.children(of: node).reversed())
            }
        }
        #expect(trace.nodes.map(\.question) == expected)
        for node in trace.nodes {
            #expect(node.id == trace.nodes.firstIndex { $0.id == node.id })
            let isLeaf = node.question >= tree.firstLeaf
            #expect(node.role == (isLeaf ? .assistant : .supervisor))
            #expect(node.remainingDepth == .levels(tree.height - node.depth))
            #expect(trace.children(of: node).map(\.question) == (isLeaf ? [] : tree.children(of: node.question)))
            for child in trace.children(of: node) {
                #expect(child.parent == node.id)
                #expect(child.depth == node.depth + 1)
                #expect(child.start >= node.start && child.end <= node.end)
            }
            #expect(node.cache == .miss)
            #expect(node.error == nil)
        }
        #expect(trace.root?.answer == tree.leafIndexSum)
        #expect(trace.root?.parent == nil)
    }

    @Test func theTraceRecordsCostRetriesAndErrors() async throws {
        let calls = Mutex(0)
        let assistant = InstrumentedAssistant<Int, Int> { question in
            CostMeter.report(2.5)
            if question == 2 { throw TestFailure("two") }
            let call = calls.withLock { calls -> Int in
                calls += 1
                return calls
            }
            if call == 1 { throw TestFailure("flaky") }
            return question
        }
        let supervisor = ClosureSupervisor<Int, Int> { _, consultation in
            CostMeter.report(1)
            let outcomes = try await consultation.askEach([1, 2])
            return outcomes.count
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.tracing = true
        configuration.assistantRetries = RetryPolicy(maximumAttempts: 2, initialBackoff: .microseconds(1)) { error in
            (error as? TestFailure)?.reason == "flaky"
        }
        let engine = HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration)
        let outcome = await engine.run(0)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.map(\.question) == [0, 1, 2])
        #expect(trace.nodes.map(\.cost) == [1, 5, 2.5])  // the failed attempts spent too
        #expect(trace.nodes.map(\.retries) == [0, 1, 0])
        #expect(trace.nodes[2].answer == nil)
        #expect(trace.nodes[2].error?.contains("assistantFailed") == true)
        #expect(outcome.statistics.cost == 1 + 5 + 2.5)
    }

    @Test func withTracingOffThereIsNoTrace() async throws {
        let tree = CompleteTree(branching: 2, height: 2)
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: tree.configuration())
        let outcome = await engine.run(0)
        #expect(outcome.answer == tree.leafIndexSum)
        #expect(outcome.trace == nil)
    }

    @Test func aMemoizedAnswerIsShownComputedAtItsFirstNodeInPreorder() async throws {
        // The later sibling computes 5 first; the trace shows the computation under the earlier one.
        let computed = Gate()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            switch question {
            case 0: return try await consultation.askAll([1, 2]).reduce(0, +)
            case 1:
                try await computed.wait()
                return try await consultation.ask(5)
            case 2:
                let answer = try await consultation.ask(5)
                computed.open()
                return answer
            default:
                return try await consultation.askAssistant(question)
            }
        }
        var configuration = HCHConfiguration()
        configuration.memoization = true
        configuration.tracing = true
        let engine = HCHEngine(supervisor: supervisor, assistant: indexAssistant(), configuration: configuration)
        let outcome = try await withWatchdog { await engine.run(0) }
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.map(\.question) == [0, 1, 5, 5, 2, 5])
        #expect(trace.nodes.map(\.cache) == [.miss, .miss, .miss, .miss, .miss, .memoized])
        #expect(
            trace.nodes.map(\.role) == [.supervisor, .supervisor, .supervisor, .assistant, .supervisor, .supervisor])
        #expect(trace.nodes.map(\.parent) == [nil, 0, 1, 2, 0, 4])
    }

    @Test func aMemoizedCopyOfACachedAnswerKeepsTheCacheOutcome() async throws {
        let cache = InMemoryAnswerCache<Int, Int>()
        try await cache.store(50, for: 5, from: .hch(remainingDepth: .unlimited))
        let computed = Gate()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            switch question {
            case 0: return try await consultation.askAll([1, 2]).reduce(0, +)
            case 1:
                try await computed.wait()
                return try await consultation.ask(5)
            case 2:
                let answer = try await consultation.ask(5)
                computed.open()
                return answer
            default:
                return question
            }
        }
        var configuration = HCHConfiguration()
        configuration.memoization = true
        configuration.tracing = true
        let engine = HCHEngine(supervisor: supervisor, configuration: configuration, cache: cache)
        let outcome = try await withWatchdog { await engine.run(0) }
        #expect(outcome.answer == 100)
        let trace = try #require(outcome.trace)
        #expect(trace.nodes.map(\.question) == [0, 1, 5, 2, 5])
        #expect(trace.nodes.map(\.cache) == [.miss, .miss, .sharedCache, .miss, .memoized])
    }

    /// The root asks 7, then its own question (a cycle, refused), then, answering alone, hands it to the assistant.
    @Test func theChildrenOfASupervisorAskedAgainKeepTheOrderTheyWereAskedIn() async throws {
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            if question == 7 { return 7 }
            guard consultation.canConsult else { return try await consultation.askAssistant(question) * 10 }
            return try await consultation.ask(7) + consultation.ask(question)
        }
        var configuration = HCHConfiguration()
        configuration.cyclePolicy = .answerWithoutHelp
        configuration.tracing = true
        let engine = HCHEngine(supervisor: supervisor, assistant: indexAssistant(), configuration: configuration)
        let outcome = await engine.run(1)
        #expect(outcome.answer == 10)
        let trace = try #require(outcome.trace)
        let children = trace.children(of: try #require(trace.root))
        #expect(children.map(\.question) == [7, 1, 1])
        #expect(children.map(\.role) == [.supervisor, .supervisor, .assistant])
        #expect(children.map { $0.answer } == [7, nil, 1])
    }

    @Test func demonstrationsComeFromSupervisorNodesThatComputed() async throws {
        let tree = CompleteTree(branching: 2, height: 2)
        let configuration = tree.configuration { $0.tracing = true }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration)
        let trace = try #require(await engine.run(0).trace)
        let root = trace.demonstrations(round: 3)
        #expect(root.map(\.question) == [0])
        #expect(root.first?.answer == tree.leafIndexSum)
        #expect(root.first?.provenance == DemonstrationProvenance(round: 3, depth: 0, traceNode: 0, verified: false))
        let every = trace.demonstrations(scope: .everySupervisorNode)
        #expect(every.map(\.question) == [0, 1, 2])
    }

    // MARK: Export

    @Test func jsonExportRoundTrips() async throws {
        let tree = CompleteTree(branching: 3, height: 2)
        let configuration = tree.configuration { $0.tracing = true }
        let engine = HCHEngine(
            supervisor: tree.summingSupervisor(), assistant: indexAssistant(), configuration: configuration)
        let trace = try #require(await engine.run(0).trace)
        let decoded = try Trace<Int, Int>(jsonData: try trace.jsonData(prettyPrinted: true))
        #expect(decoded.withoutTimings == trace.withoutTimings)
        for (original, copy) in zip(trace.nodes, decoded.nodes) {
            #expect(abs((original.start - copy.start) / .nanoseconds(1)) < 1_000)
            #expect(abs((original.end - copy.end) / .nanoseconds(1)) < 1_000)
        }
        let object = try #require(try JSONSerialization.jsonObject(with: trace.jsonData()) as? [String: Any])
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        #expect(nodes.count == tree.nodeCount)
        #expect(nodes[0]["remainingDepth"] as? Int == tree.height)
    }

    @Test(arguments: [true, false])
    func modelCallsAreKeptOnTheirNodeOnlyWhenAskedFor(recordsModelCalls: Bool) async throws {
        let assistant = ClosureAssistant<Int, Int> { question in
            CostMeter.record(
                ModelCall(messages: [.init(role: "user", content: "double \(question)")], output: "\(2 * question)"))
            return 2 * question
        }
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            try await consultation.askAll([question, question + 1]).reduce(0, +)
        }
        var configuration = HCHConfiguration()
        configuration.depth = 1
        configuration.tracing = true
        configuration.recordsModelCalls = recordsModelCalls
        let trace = try #require(
            await HCHEngine(supervisor: supervisor, assistant: assistant, configuration: configuration).run(5).trace)
        let leaves = trace.nodes.filter { $0.role == .assistant }
        #expect(leaves.count == 2)
        if recordsModelCalls {
            #expect(
                leaves.map(\.modelCalls) == [
                    [ModelCall(messages: [.init(role: "user", content: "double 5")], output: "10")],
                    [ModelCall(messages: [.init(role: "user", content: "double 6")], output: "12")],
                ])
            let decoded = try Trace<Int, Int>(jsonData: try trace.jsonData())
            #expect(decoded.nodes.map(\.modelCalls) == trace.nodes.map(\.modelCalls))
        } else {
            #expect(trace.nodes.allSatisfy { $0.modelCalls.isEmpty })
            #expect(!String(decoding: try trace.jsonData(), as: UTF8.self).contains("modelCalls"))
        }
    }

    @Test func malformedJSONIsAClearDecodingError() {
        #expect(throws: DecodingError.self) { try Trace<Int, Int>(jsonData: Data(#"{"nodes": [{"id": "x"}]}"#.utf8)) }
        #expect(throws: (any Error).self) { try Trace<Int, Int>(jsonData: Data("not json".utf8)) }
    }

    @Test(arguments: [
        (#"[{"id":1,"children":[]}]"#, "node 0 has the id 1"),
        (#"[{"id":0,"children":[1]}]"#, "node 0 names the child 1, not a later node of the 1"),
        (#"[{"id":0,"children":[]},{"id":1,"parent":0,"children":[]}]"#, "which does not list it as a child"),
        (#"[{"id":0,"children":[1]},{"id":1,"children":[]}]"#, "node 0 names the child 1, whose parent is another"),
    ])
    func nodesThatDoNotFormATreeAreRefusedNamingTheNode(nodes: String, message: String) throws {
        let node =
            #""question":0,"role":"supervisor","depth":0,"startSeconds":0,"endSeconds":0,"cost":0,"#
            + #""cache":"miss","retries":0,"verified":false,"unaided":false,"#
        let json = #"{"nodes":"# + nodes.replacingOccurrences(of: "{\"id\"", with: "{" + node + "\"id\"") + "}"
        let error = #expect(throws: DecodingError.self) { try Trace<Int, Int>(jsonData: Data(json.utf8)) }
        guard case .dataCorrupted(let context)? = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription.contains(message), "\(context.debugDescription)")
    }

    @Test func chromeTraceHasAnEventPerNodeAndSlicesOnATrackNest() async throws {
        let tree = CompleteTree(branching: 4, height: 3)
        let configuration = tree.configuration { $0.tracing = true }
        let assistant = InstrumentedAssistant<Int, Int> { leaf in
            await Task.yield()
            return leaf
        }
        let engine = HCHEngine(supervisor: tree.summingSupervisor(), assistant: assistant, configuration: configuration)
        let trace = try #require(await engine.run(0).trace)
        let document = try #require(
            try JSONSerialization.jsonObject(with: trace.chromeTraceData(processName: "test")) as? [String: Any]
        )
        let events = try #require(document["traceEvents"] as? [[String: Any]])
        #expect(events.count == tree.nodeCount + 1)
        #expect(events.first?["ph"] as? String == "M")
        let slices = events.filter { $0["ph"] as? String == "X" }
        #expect(slices.count == tree.nodeCount)
        #expect(Set(slices.compactMap { $0["name"] as? String }) == Set((0..<tree.nodeCount).map(String.init)))
        try Self.expectSlicesOnEachTrackNest(slices)
    }

    /// The memoized trace of ``aMemoizedAnswerIsShownComputedAtItsFirstNodeInPreorder()``: the node shown computing
    /// started after the computation it shows had finished.
    @Test func chromeTraceSlicesNestWhenAMemoizedDuplicateShowsTheComputation() async throws {
        let computed = Gate()
        let supervisor = ClosureSupervisor<Int, Int> { question, consultation in
            switch question {
            case 0: return try await consultation.askAll([1, 2]).reduce(0, +)
            case 1:
                try await computed.wait()
                return try await consultation.ask(5)
            case 2:
                let answer = try await consultation.ask(5)
                computed.open()
                return answer
            default:
                return try await consultation.askAssistant(question)
            }
        }
        var configuration = HCHConfiguration()
        configuration.memoization = true
        configuration.tracing = true
        let engine = HCHEngine(supervisor: supervisor, assistant: indexAssistant(), configuration: configuration)
        let trace = try #require(try await withWatchdog { await engine.run(0) }.trace)
        let document = try #require(try JSONSerialization.jsonObject(with: trace.chromeTraceData()) as? [String: Any])
        let events = try #require(document["traceEvents"] as? [[String: Any]])
        try Self.expectSlicesOnEachTrackNest(events.filter { $0["ph"] as? String == "X" })
    }

    /// On each track, two slices are either disjoint or one contains the other.
    private static func expectSlicesOnEachTrackNest(
        _ slices: [[String: Any]], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var byTrack: [Int: [(Double, Double)]] = [:]
        for slice in slices {
            let start = try #require(slice["ts"] as? Double)
            let duration = try #require(slice["dur"] as? Double)
            #expect(duration >= 0, sourceLocation: sourceLocation)
            byTrack[try #require(slice["tid"] as? Int), default: []].append((start, start + duration))
        }
        for intervals in byTrack.values {
            for a in intervals {
                for b in intervals {
                    let disjoint = a.1 <= b.0 || b.1 <= a.0
                    let nested = (a.0 <= b.0 && b.1 <= a.1) || (b.0 <= a.0 && a.1 <= b.1)
                    #expect(disjoint || nested, "slices \(a) and \(b) overlap", sourceLocation: sourceLocation)
                }
            }
        }
    }
}
