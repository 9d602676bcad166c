import Foundation
import TestSupport
import Testing

/// `amplify trace show` and `amplify trace html`, run as built executables on a trace the demo writes.
struct TraceCommandTests {
    /// Headless Chromium, where it is installed (`.ci/run` installs Debian's `chromium`).
    static let chromium: URL? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Writes the demo's trace into a directory and returns its path: 211 nodes, the root [0, 2000) split into ten
    /// ranges of 200, each into ten of 20, each of which asks the assistant.
    static func demoTrace(in directory: TemporaryDirectory) async throws -> String {
        let path = directory.url.appendingPathComponent("trace.json").path
        let (status, output) = try await BuiltExecutable.run(
            "amplify", ["demo", "--limit", "2000", "--leaf", "100", "--trace", path])
        #expect(status == 0, "\(output)")
        return path
    }

    @Test func showPrintsTheTreeIndentedByDepth() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trace = try await Self.demoTrace(in: directory)
        let (status, output) = try await BuiltExecutable.run("amplify", ["trace", "show", trace])
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("[0,2000] → 303  [supervisor · ") == true, "\(output)")
        #expect(lines.count == 211)
        #expect(lines.contains { $0.hasPrefix("      [0,20] → 8  [assistant · ") && $0.contains("cost ") })
        let limited = try await BuiltExecutable.run("amplify", ["trace", "show", trace, "--limit", "3"])
        #expect(limited.output.split(separator: "\n").count == 4)
        #expect(limited.output.contains("more nodes (--limit N shows more)"))
    }

    @Test(arguments: [
        ("{\"nodes\": 3}", "is not a trace"),
        ("not json at all", "is not a trace"),
        (
            #"{"nodes":[{"id":0,"children":[5],"question":"q","role":"supervisor","depth":0,"startSeconds":0,"#
                + #""endSeconds":1,"cost":0,"cache":"miss","retries":0,"verified":false,"unaided":false}]}"#,
            "node 0 names the child 5"
        ),
    ])
    func aFileThatIsNotATraceIsAClearError(contents: String, message: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("bad.json")
        try Data(contents.utf8).write(to: file)
        for subcommand in [
            ["show", file.path], ["html", file.path, "-o", directory.url.appendingPathComponent("p.html").path],
        ] {
            let (status, output) = try await BuiltExecutable.run("amplify", ["trace"] + subcommand)
            #expect(status == 1)
            #expect(output.contains(message), "\(output)")
        }
    }

    @Test func aMissingFileIsAClearError() async throws {
        let (status, output) = try await BuiltExecutable.run("amplify", ["trace", "show", "/nonexistent/trace.json"])
        #expect(status == 1)
        #expect(output.contains("cannot read /nonexistent/trace.json"), "\(output)")
    }

    /// Loads a page in headless Chromium and returns its DOM after the scripts ran; writes a screenshot when asked.
    static func render(_ page: URL, fragment: String = "", screenshot: URL? = nil) async throws -> String {
        let chromium = try #require(Self.chromium)
        return try await BuiltExecutable.offTheConcurrencyPool {
            var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,800"]
            if let screenshot {
                arguments.append("--screenshot=\(screenshot.path)")
            } else {
                arguments.append("--dump-dom")
            }
            let process = Process()
            process.executableURL = chromium
            process.arguments = arguments + [page.absoluteString + fragment]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return dom
        }
    }

    @Test(.enabled(if: chromium != nil, "needs headless Chromium (Debian's chromium package)"))
    func htmlPageShowsTheTreeSearchesAndOpensANodeInChromium() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trace = try await Self.demoTrace(in: directory)
        let page = directory.url.appendingPathComponent("trace.html")
        let (status, output) = try await BuiltExecutable.run("amplify", ["trace", "html", trace, "-o", page.path])
        #expect(status == 0, "\(output)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("http://") && !html.contains("https://"), "the page loads nothing from the network")

        // Opened: the root and its ten children are rendered, and only they (the rest on demand).
        let dom = try await Self.render(page)
        #expect(dom.contains("<span id=\"status\">211 nodes</span>"), "\(dom.prefix(2_000))")
        #expect(dom.components(separatedBy: "class=\"node\"").count - 1 == 11)
        #expect(dom.contains("[0,2000]"))
        #expect(dom.contains("[1800,2000]"))

        // A search lists the matching nodes; a link to a node opens the path to it and selects it.
        let searched = try await Self.render(page, fragment: "#search=%5B1900")
        #expect(searched.contains("2 of 211 nodes match"), "\(searched.prefix(2_000))")
        let opened = try await Self.render(page, fragment: "#node=29")
        #expect(opened.contains("<h2>Node 29</h2>"))
        #expect(opened.components(separatedBy: "class=\"line selected\"").count == 2)

        let screenshot = directory.url.appendingPathComponent("trace.png")
        _ = try await Self.render(page, screenshot: screenshot)
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}

extension TraceCommandTests {
    @Test func stepsNeedATraceWithTextQuestions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The demo's questions are ranges, not text.
        let trace = try await Self.demoTrace(in: directory)
        let (status, output) = try await BuiltExecutable.run(
            "amplify", ["trace", "steps", trace, "-o", directory.url.appendingPathComponent("s.jsonl").path])
        #expect(status == 1)
        #expect(output.contains("questions and answers are not all text"), "\(output)")
    }
}
