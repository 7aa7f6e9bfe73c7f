/// The language family of a source file, decided from its content alone (the compressor is
/// not given the file name): Python by indentation, everything else by brace matching with
/// the lexical rules of one dialect.
enum CodeLanguage: Equatable {
    case python
    case brace(BraceDialect)

    /// The language whose line openings the first 4,000 lines of `lines` match most.
    ///
    /// Each non-blank line votes for the dialects whose typical line starts it has (`def `,
    /// `fn `, `#include`, …); Python wins when its votes beat the brace dialects' and the file
    /// has few braces. Ties resolve in declaration order, so the result is deterministic.
    static func detect(_ lines: DocumentLines) -> CodeLanguage {
        var votes = [Int](repeating: 0, count: BraceDialect.allCases.count)
        var python = 0, braceLines = 0, colonEnds = 0
        for index in 0..<min(lines.count, 4000) {
            let line = lines.content(index).trimmingWhitespace()
            guard let first = line.first else { continue }
            if line.contains(UInt8(ascii: "{")) || line.contains(UInt8(ascii: "}")) { braceLines += 1 }
            if line.last == UInt8(ascii: ":"), first != UInt8(ascii: "#") { colonEnds += 1 }
            if line.hasPrefix("def ") || line.hasPrefix("async def ") || line.hasPrefix("elif ")
                || (line.hasPrefix("from ") && line.containsLiteral(" import ")) || line.hasPrefix("self.")
                || (line.hasPrefix("class ") && line.last == UInt8(ascii: ":")) || line.hasPrefix("except")
                || line.hasPrefix("@property") || line.hasPrefix("\"\"\"") {
                python += 1
            }
            for dialect in BraceDialect.allCases where dialect.claims(line) { votes[dialect.rawValue] += 1 }
        }
        var best = BraceDialect.c
        for dialect in BraceDialect.allCases where votes[dialect.rawValue] > votes[best.rawValue] { best = dialect }
        if python > 0, braceLines * 4 < python + colonEnds, python * 2 >= votes[best.rawValue] { return .python }
        return .brace(best)
    }
}

/// A brace language's lexical dialect: how strings, characters and comments are written,
/// which decides where braces are code.
enum BraceDialect: Int, CaseIterable {
    case c, cpp, csharp, java, kotlin, swift, rust, go, javascript

    /// Block comments nest (`/* /* */ */`).
    var nestedComments: Bool { self == .swift || self == .rust || self == .kotlin }
    /// `'…'` is a string (JavaScript), not a character literal.
    var singleQuoteStrings: Bool { self == .javascript }
    /// Backticks open a template literal with `${…}` (JavaScript); elsewhere they quote raw
    /// text (Go raw strings, Swift and Kotlin identifiers).
    var templateLiterals: Bool { self == .javascript }
    /// Lines starting with `#` are preprocessor directives (braces there are not code).
    var preprocessor: Bool { self == .c || self == .cpp || self == .csharp }
    /// `"""…"""` strings (Swift, Kotlin, Java text blocks, C# raw strings).
    var tripleQuotes: Bool { self == .swift || self == .kotlin || self == .java || self == .csharp }
    /// `/…/` regular-expression literals after an operator (JavaScript).
    var regexLiterals: Bool { self == .javascript }

    /// Whether a trimmed line looks typical of this dialect.
    func claims(_ line: ArraySlice<UInt8>) -> Bool {
        let semicolon = line.last == UInt8(ascii: ";")
        switch self {
        case .c:
            return line.hasPrefix("#include") || line.hasPrefix("#define") || line.hasPrefix("typedef ")
                || line.hasPrefix("static ") || line.hasPrefix("#if")
        case .cpp:
            return line.hasPrefix("template") || line.hasPrefix("namespace ") || line.containsLiteral("std::")
                || line.hasPrefix("#include <") || line.hasPrefix("public:") || line.hasPrefix("private:")
        case .csharp:
            return (line.hasPrefix("using ") && semicolon) || line.hasPrefix("namespace ")
                || line.containsLiteral(" { get;") || line.hasPrefix("[") && line.last == UInt8(ascii: "]")
        case .java:
            return (line.hasPrefix("import ") && semicolon) || (line.hasPrefix("package ") && semicolon)
                || line.hasPrefix("@Override") || line.hasPrefix("public class ") || line.hasPrefix("private final ")
        case .kotlin:
            return line.hasPrefix("fun ") || line.hasPrefix("val ") || line.hasPrefix("override fun ")
                || line.hasPrefix("private fun ") || line.hasPrefix("data class ") || line.hasPrefix("object ")
        case .swift:
            return line.hasPrefix("func ") || line.hasPrefix("guard ") || line.hasPrefix("extension ")
                || (line.hasPrefix("import ") && !semicolon && !line.containsLiteral(" from "))
                || line.hasPrefix("private func ") || line.hasPrefix("let ") || line.hasPrefix("///")
                || line.hasPrefix("static func ") || line.hasPrefix("public func ") || line.hasPrefix("mutating func ")
        case .rust:
            return line.hasPrefix("fn ") || line.hasPrefix("pub fn ") || line.hasPrefix("impl")
                || line.hasPrefix("let mut ") || line.hasPrefix("#[") || (line.hasPrefix("use ") && semicolon)
                || line.hasPrefix("pub struct ") || line.hasPrefix("mod ") || line.hasPrefix("pub(crate)")
        case .go:
            return (line.hasPrefix("package ") && !semicolon) || line.hasPrefix("func (") || line.containsLiteral(" := ")
                || line.hasPrefix("import (") || line.hasPrefix("if err != nil")
        case .javascript:
            return line.hasPrefix("function ") || line.hasPrefix("const ") || line.hasPrefix("export ")
                || line.containsLiteral(" => ") || line.containsLiteral("require(")
                || (line.hasPrefix("import ") && line.containsLiteral(" from "))
        }
    }
}
