import Foundation
import IteratedAmplification
import Synchronization
import Testing

/// A person reached through a script: records every workspace shown, checks that no two are shown at once, and
/// stops (throws) after a given number of responses when asked to, as a person who leaves would.
final class ScriptedInterface: HumanInterface {
    struct Left: Error {}

    private struct State {
        var shown: [HumanWorkspace] = []
        var showing = 0
        var mostShownAtOnce = 0
    }

    private let state = Mutex(State())
    private let leavesAfter: Int?
    private let decide: @Sendable (HumanWorkspace) -> HumanResponse

    init(
        leavesAfter: Int? = nil, decide: @escaping @Sendable (HumanWorkspace) -> HumanResponse = ScriptedPerson.response
    ) {
        self.leavesAfter = leavesAfter
        self.decide = decide
    }

    var shown: [HumanWorkspace] { state.withLock { $0.shown } }
    var mostShownAtOnce: Int { state.withLock { $0.mostShownAtOnce } }

    func respond(to workspace: HumanWorkspace) async throws -> HumanResponse {
        let leaves = state.withLock { state -> Bool in
            if let leavesAfter, state.shown.count >= leavesAfter { return true }
            state.shown.append(workspace)
            state.showing += 1
            state.mostShownAtOnce = max(state.mostShownAtOnce, state.showing)
            return false
        }
        if leaves { throw Left() }
        // Let the other nodes run while this workspace is shown, as a person's thinking time would.
        await Task.yield()
        state.withLock { $0.showing -= 1 }
        return decide(workspace)
    }
}

struct HumanSupervisorTests {
    static func run(_ question: String, _ supervisor: HumanSupervisor<ScriptedInterface>) async -> Result<
        String, any Error
    > {
        var configuration = HCHConfiguration()
        configuration.memoization = true
        return await HCHEngine(supervisor: supervisor, configuration: configuration).run(question).result
            .mapError { $0 as any Error }
    }

    @Test func personAtEveryLevelAnswersASumOneWorkspaceAtATime() async throws {
        let interface = ScriptedInterface()
        let answer = try await Self.run(ScriptedPerson.question(count: 8), HumanSupervisor(interface: interface)).get()
        #expect(answer == "36")
        // The root and the two halves ask and then answer (2 workspaces each), the four quarters answer: 10.
        #expect(interface.shown.count == 10)
        #expect(interface.mostShownAtOnce == 1)
        #expect(Set(interface.shown).count == interface.shown.count)
    }

    /// The example of the article "A person as H", verbatim.
    @Test func articleExampleRuns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sessionDirectory = directory.url
        let interface = ScriptedInterface()

        let session = try HumanSession(directory: sessionDirectory)
        let supervisor = HumanSupervisor(interface: interface, session: session)
        var configuration = HCHConfiguration()
        configuration.memoization = true
        let outcome = await HCHEngine(supervisor: supervisor, configuration: configuration).run("sum 1 2 3 4")

        #expect(try outcome.result.get() == "10")
        #expect(session.steps.count == 4)
    }

    @Test func questionAnsweredBeforeIsNotShownAgain() async throws {
        let interface = ScriptedInterface()
        let session = HumanSession()
        let supervisor = HumanSupervisor(interface: interface, session: session)
        _ = try await Self.run("sum 1 2", supervisor).get()
        // "sum 1 2 1 2" asks "sum 1 2" twice: both answered from the session, so only its own two workspaces show.
        let answer = try await Self.run("sum 1 2 1 2", supervisor).get()
        #expect(answer == "6")
        #expect(interface.shown.map(\.question) == ["sum 1 2", "sum 1 2 1 2", "sum 1 2 1 2"])
        #expect(session.demonstrations.map(\.question) == ["sum 1 2", "sum 1 2 1 2"])
    }

    @Test func sessionResumedAfterThePersonLeftAsksNothingTwiceAndLosesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let question = ScriptedPerson.question(count: 8)
        let reference = ScriptedInterface()
        _ = try await Self.run(question, HumanSupervisor(interface: reference)).get()

        for leavesAfter in [0, 1, 4, 9] {
            let sessionDirectory = directory.url.appendingPathComponent("after-\(leavesAfter)")
            let first = ScriptedInterface(leavesAfter: leavesAfter)
            let interrupted = await Self.run(
                question, HumanSupervisor(interface: first, session: try HumanSession(directory: sessionDirectory)))
            #expect(throws: (any Error).self) { try interrupted.get() }

            let second = ScriptedInterface()
            let resumedSession = try HumanSession(directory: sessionDirectory)
            #expect(resumedSession.steps.count == leavesAfter)
            let answer = try await Self.run(question, HumanSupervisor(interface: second, session: resumedSession)).get()
            #expect(answer == "36")
            #expect(Set(first.shown).isDisjoint(with: second.shown), "after \(leavesAfter): a workspace shown twice")
            #expect(first.shown.count + second.shown.count == reference.shown.count)
            #expect(Set(first.shown + second.shown) == Set(reference.shown))
        }
    }

    @Test func cutOffLastLineIsDroppedWithAWarningAndTheSessionGoesOn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let session = try HumanSession(directory: directory.url)
            _ = await Self.run(
                "sum 1 2 3 4", HumanSupervisor(interface: ScriptedInterface(leavesAfter: 3), session: session))
        }
        let file = directory.url.appendingPathComponent(HumanSession.fileName)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"kind":"step","response":{"answ"#.utf8))
        try handle.close()

        do {
            let reopened = try HumanSession(directory: directory.url)
            #expect(reopened.droppedLine != nil)
            #expect(reopened.steps.count == 3)
            let second = ScriptedInterface()
            let answer = try await Self.run("sum 1 2 3 4", HumanSupervisor(interface: second, session: reopened)).get()
            #expect(answer == "10")
            #expect(second.shown.count == 1)
        }
        // The file is whole again: it opens without a dropped line.
        #expect(try HumanSession(directory: directory.url).droppedLine == nil)
    }

    @Test func aSessionIsOpenInOneProcessAtATime() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let open = try HumanSession(directory: directory.url)
            let error = #expect(throws: HumanSessionError.self) { try HumanSession(directory: directory.url) }
            #expect(error?.code == .inUse)
            #expect(open.steps.isEmpty)
        }
        // Closed (released), it opens again.
        #expect(try HumanSession(directory: directory.url).steps.isEmpty)
    }

    @Test func sessionInAnotherFormatVersionIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let header = #"{"format":"iterated-amplification.human-session","kind":"header","settings":{},"version":2}"#
        try Data((header + "\n").utf8).write(to: directory.url.appendingPathComponent(HumanSession.fileName))
        let error = #expect(throws: HumanSessionError.self) { try HumanSession(directory: directory.url) }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.description.contains("version 2") == true)
    }

    @Test func fileThatIsNotASessionIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data(#"{"nodes":[]}"#.utf8 + [UInt8(ascii: "\n")]).write(
            to: directory.url.appendingPathComponent(HumanSession.fileName))
        let error = #expect(throws: HumanSessionError.self) { try HumanSession(directory: directory.url) }
        #expect(error?.code == .notASession)
    }

    @Test func malformedRecordNamesItsLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try HumanSession(directory: directory.url)
        let file = directory.url.appendingPathComponent(HumanSession.fileName)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"started\",\"question\":\"q\"}\n{\"kind\":\"step\"}\n".utf8))
        try handle.close()
        let error = #expect(throws: HumanSessionError.self) { try HumanSession(directory: directory.url) }
        #expect(error?.code == .malformedRecord)
        #expect(error?.line == 3)
    }

    @Test func subquestionThatFailsReachesThePersonAsAFailedOutcome() async throws {
        // The person asks the question they are answering: the cycle check fails that subquestion.
        let interface = ScriptedInterface { workspace in
            if workspace.exchanges.isEmpty { return .ask([workspace.question]) }
            if case .failed = workspace.exchanges[0].outcome { return .answer("saw the failure") }
            return .answer("no failure")
        }
        let answer = try await Self.run("loop", HumanSupervisor(interface: interface)).get()
        #expect(answer == "saw the failure")
    }

    @Test func askingWhereNoSubquestionMayBeAskedIsRefused() async throws {
        let interface = ScriptedInterface { _ in .ask(["anything"]) }
        var configuration = HCHConfiguration()
        configuration.depth = 0
        let result = await HCHEngine(supervisor: HumanSupervisor(interface: interface), configuration: configuration)
            .run("q").result
        let error = #expect(throws: EngineError.self) { try result.get() }
        #expect(error?.underlyingError is HumanSupervisorError)
    }

    @Test func unknownGivesTheConfiguredAnswer() async throws {
        let supervisor = HumanSupervisor(interface: ScriptedInterface { _ in .unknown }, unknownAnswer: "?")
        #expect(try await Self.run("q", supervisor).get() == "?")
    }

    @Test func assistantAnswersAreKeptInTheSessionAndReplayed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let calls = Mutex(0)
        let model = ClosureAssistant<String, String> { question in
            calls.withLock { $0 += 1 }
            return "model says \(question.count)"
        }
        for _ in 0..<2 {
            let session = try HumanSession(directory: directory.url)
            let assistant = SessionAssistant(model, session: session)
            #expect(try await assistant.answer("abc") == "model says 3")
        }
        #expect(calls.withLock { $0 } == 1)
    }

    @Test(arguments: [
        ("ask sum 1 2", HumanResponse.ask(["sum 1 2"])),
        ("  ask a |b | c  ", .ask(["a", "b", "c"])),
        ("answer 10", .answer("10")),
        ("ANSWER  spaced  out ", .answer("spaced  out")),
        ("unknown", .unknown),
    ])
    func responseParsesFromItsTextAndBack(text: String, expected: HumanResponse) throws {
        let response = try HumanResponse(parsing: text)
        #expect(response == expected)
        #expect(try HumanResponse(parsing: response.text) == response)
    }

    @Test(arguments: ["", "ask", "ask a || b", "answer", "unknown now", "tell me"])
    func malformedResponseSaysWhatIsWrong(text: String) {
        #expect(throws: HumanResponseSyntaxError.self) { try HumanResponse(parsing: text) }
    }

    @Test func aTracesSupervisorNodesBecomeHsStepsOneSubquestionAtATime() async throws {
        // H adds numbers, halving the list; "sum 1 2 1 2" asks "sum 1 2" twice, so the memo answers the second.
        let supervisor = ClosureSupervisor<String, String> { question, consultation in
            let numbers = question.split(separator: " ").dropFirst().compactMap { Int($0) }
            guard numbers.count > 2 else { return String(numbers.reduce(0, +)) }
            let middle = numbers.count / 2
            let halves = [numbers[..<middle], numbers[middle...]].map {
                "sum " + $0.map(String.init).joined(separator: " ")
            }
            return String(try await consultation.askAll(halves).compactMap { Int($0) }.reduce(0, +))
        }
        var configuration = HCHConfiguration()
        configuration.memoization = true
        configuration.tracing = true
        let trace = try #require(
            await HCHEngine(supervisor: supervisor, configuration: configuration).run("sum 1 2 1 2").trace)
        let steps = trace.humanSteps
        // The root: ask, ask, answer; "sum 1 2" once: answer (its memoized twin contributes nothing).
        #expect(steps.map(\.response) == [.ask(["sum 1 2"]), .ask(["sum 1 2"]), .answer("6"), .answer("3")])
        #expect(steps[1].workspace.exchanges == [.init(question: "sum 1 2", outcome: .answered("3"))])
        #expect(steps[2].workspace.exchanges.count == 2)
        #expect(steps.allSatisfy { $0.workspace.canAsk })
    }

    @Test(arguments: [
        HumanWorkspace(question: "sum 1 2 3", canAsk: true),
        HumanWorkspace(
            question: "a question\nover two lines",
            exchanges: [
                .init(question: "sub 1", outcome: .answered("4")),
                .init(question: "sub 2", outcome: .failed("a cycle")),
            ],
            canAsk: true),
        HumanWorkspace(question: "alone", exchanges: [.init(question: "q", outcome: .answered(""))], canAsk: false),
    ])
    func workspaceReadsBackFromItsTranscript(workspace: HumanWorkspace) throws {
        #expect(try HumanWorkspace(transcript: workspace.transcript) == workspace)
    }

    @Test(arguments: ["sum 1 2", "Question: q\nAsked so far:\n  2. a → b", "Question: q\nAsked so far:\n  1. a = b"])
    func textThatIsNoTranscriptIsRefused(text: String) {
        #expect(throws: HumanResponseSyntaxError.self) { try HumanWorkspace(transcript: text) }
    }

    @Test func responsesAndWorkspacesRoundTripThroughJSON() throws {
        let step = HumanStep(
            workspace: HumanWorkspace(
                question: "q",
                exchanges: [
                    .init(question: "a", outcome: .answered("1")), .init(question: "b", outcome: .failed("x")),
                ],
                canAsk: true),
            response: .ask(["c", "d"]))
        let decoded = try JSONDecoder().decode(HumanStep.self, from: try JSONEncoder().encode(step))
        #expect(decoded == step)
        for response in [HumanResponse.answer("z"), .unknown] {
            #expect(try JSONDecoder().decode(HumanResponse.self, from: try JSONEncoder().encode(response)) == response)
        }
    }
}
