import Foundation

/// A fake model behind a ``TestHTTPServer``: it reads each request's messages and answers as the test scripts.
enum ScriptedModel {
    struct Call {
        var messages: [[String: String]]
        var responseFormat: String?

        var system: String { messages.first { $0["role"] == "system" }?["content"] ?? "" }
        var lastUser: String { messages.last { $0["role"] == "user" }?["content"] ?? "" }
        var isDecomposition: Bool { system.contains("Reply with JSON") }
        var isSynthesis: Bool { system.contains("answers to its subquestions") }
    }

    static func call(from request: TestHTTPServer.Request) -> Call {
        let body = request.json ?? [:]
        let messages = (body["messages"] as? [[String: String]]) ?? []
        let format = (body["response_format"] as? [String: Any])?["type"] as? String
        return Call(messages: messages, responseFormat: format)
    }

    /// A server whose model replies with `reply(call)`, counting tokens as words.
    static func server(_ reply: @escaping @Sendable (Call) -> String) throws -> TestHTTPServer {
        try TestHTTPServer { request, _ in
            let call = call(from: request)
            let text = reply(call)
            let promptWords = call.messages.reduce(0) { $0 + ($1["content"] ?? "").split(separator: " ").count }
            return .respond(
                status: 200,
                body: Reply.completion(
                    text, promptTokens: promptWords, completionTokens: text.split(separator: " ").count)
            )
        }
    }
}
