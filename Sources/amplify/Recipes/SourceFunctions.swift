import Foundation

/// The functions of a C-like or Swift source file, found without a compiler: a function is a header with a
/// parameter list followed by a brace-delimited body (`int f(char *s) { ... }`, `func f(_ s: String) { ... }`).
/// Braces inside strings, characters and comments are skipped. Good enough to hand each function to a checker; not
/// a parser.
struct SourceFunction: Equatable {
    var name: String
    /// The 1-based line of the header.
    var firstLine: Int
    var lastLine: Int
    var text: String
}

enum SourceFunctions {
    static func find(in source: String) -> [SourceFunction] {
        let characters = Array(source)
        var functions: [SourceFunction] = []
        var index = 0
        var line = 1
        // Where the current statement (the candidate header) started, and its line.
        var statementStart = 0
        var statementLine = 1
        var depth = 0
        var bodyOpen: (start: Int, line: Int, name: String, depth: Int)?
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "#" where index == 0 || characters[index - 1] == "\n":
                // A preprocessor line ends any statement before it and starts none.
                while index < characters.count && characters[index] != "\n" { index += 1 }
                statementStart = index
                statementLine = line
                continue
            case "\n":
                line += 1
            case "/" where next == "/":
                while index < characters.count && characters[index] != "\n" { index += 1 }
                continue
            case "/" where next == "*":
                index += 2
                while index + 1 < characters.count && !(characters[index] == "*" && characters[index + 1] == "/") {
                    if characters[index] == "\n" { line += 1 }
                    index += 1
                }
                index += 2
                continue
            case "\"", "'":
                index += 1
                while index < characters.count && characters[index] != character && characters[index] != "\n" {
                    if characters[index] == "\\" { index += 1 }
                    index += 1
                }
            case "{":
                if bodyOpen == nil, let name = functionName(String(characters[statementStart..<index])) {
                    // The header starts at its first non-blank character.
                    var start = statementStart
                    var headerLine = statementLine
                    while start < index && characters[start].isWhitespace {
                        if characters[start] == "\n" { headerLine += 1 }
                        start += 1
                    }
                    // Swift ends statements at line ends: a `func` header starts on the line that says `func`.
                    let header = String(characters[start..<index])
                    if let keyword = header.range(of: "func ", options: .backwards) {
                        let lineStart = header[..<keyword.lowerBound].lastIndex(of: "\n").map(header.index(after:))
                        if let lineStart {
                            headerLine += header[..<lineStart].filter { $0 == "\n" }.count
                            start += header.distance(from: header.startIndex, to: lineStart)
                            while start < index && characters[start].isWhitespace { start += 1 }
                        }
                    }
                    bodyOpen = (start, headerLine, name, depth)
                }
                depth += 1
                statementStart = index + 1
                statementLine = line
            case "}":
                depth -= 1
                if let open = bodyOpen, depth == open.depth {
                    functions.append(
                        SourceFunction(
                            name: open.name, firstLine: open.line, lastLine: line,
                            text: String(characters[open.start...index])))
                    bodyOpen = nil
                }
                statementStart = index + 1
                statementLine = line
            case ";":
                statementStart = index + 1
                statementLine = line
            default:
                break
            }
            index += 1
        }
        return functions
    }

    /// The name of the function a header declares, or `nil` when the text before a brace is no function header
    /// (a type, a control statement, an initializer list).
    static func functionName(_ header: String) -> String? {
        guard let open = header.firstIndex(of: "("), header.contains(")") else { return nil }
        let beforeParameters = header[..<open]
        let words = beforeParameters.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        guard let name = words.last.map(String.init), let first = name.first, first.isLetter || first == "_" else {
            return nil
        }
        let keywords: Set = ["if", "for", "while", "switch", "catch", "guard", "return", "sizeof", "do", "else"]
        if keywords.contains(name) { return nil }
        // A C header has a type before the name; a Swift one says `func` (or `init`).
        let trimmed = beforeParameters.trimmingCharacters(in: .whitespacesAndNewlines)
        guard words.count >= 2 || trimmed.hasPrefix("init") else { return nil }
        if words.contains(where: { ["if", "while", "for", "switch", "return"].contains(String($0)) }) { return nil }
        return name
    }
}
