import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

final class CodeCompressorTests: XCTestCase, DocumentCompressorTesting {
    func compress(_ source: String, budget: Int, query: String = "") throws -> CompressedBody {
        CodeCompressor().compress(Array(source.utf8), context: try context(budget: budget, query: query))
    }

    static let markerPattern = try! NSRegularExpression(pattern: "^\\[\\.\\.\\. .* · (hb_[0-9a-f]{16}):([0-9]+)-([0-9]+) \\.\\.\\.\\]$")

    /// Every line of `input` is either printed verbatim, in order, or inside exactly one
    /// marker whose range starts where the printed lines stopped; the omissions match the
    /// markers one to one.
    func checkCoverage(_ body: CompressedBody, _ input: [UInt8], _ name: String = "",
                       file: StaticString = #filePath, line: UInt = #line) {
        let original = DocumentLines(input)
        let output = String(decoding: body.body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        var next = 0
        var markers: [(Int, Int)] = []
        for printed in output {
            let string = String(printed)
            if let match = Self.markerPattern.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) {
                let first = Int(string[Range(match.range(at: 2), in: string)!])!
                let last = Int(string[Range(match.range(at: 3), in: string)!])!
                XCTAssertEqual(first, next + 1, "\(name): marker \(string) after line \(next)", file: file, line: line)
                XCTAssertGreaterThanOrEqual(last, first, name, file: file, line: line)
                markers.append((first, last))
                next = last
                continue
            }
            guard next < original.count else {
                XCTFail("\(name): extra line \(string)", file: file, line: line)
                return
            }
            let expected = String(decoding: strippingEscapes(Array(original.content(next))), as: UTF8.self)
            if string != expected {
                XCTFail("\(name): line \(next + 1) printed as \(string.debugDescription), is \(expected.debugDescription)", file: file, line: line)
                return
            }
            next += 1
        }
        XCTAssertEqual(next, original.count, "\(name): not every line accounted for", file: file, line: line)
        XCTAssertEqual(markers.count, body.omissions.count, name, file: file, line: line)
        for (marker, omission) in zip(markers, body.omissions) {
            XCTAssertEqual(marker.0, omission.range.first, name, file: file, line: line)
            XCTAssertEqual(marker.1, omission.range.last, name, file: file, line: line)
            XCTAssertEqual(omission.count, omission.range.count, name, file: file, line: line)
        }
    }

    func lineSet(_ body: CompressedBody) -> Set<String> {
        Set(text(body).split(separator: "\n").map(String.init))
    }

    // MARK: - Verbatim

    func testWithinBudgetOrLosslessTheFileIsKept() throws {
        let source = "import Foundation\n\nfunc a() {\n    print(1)\n    print(2)\n    print(3)\n}\n"
        for budget in [0, 1000] {
            let body = try compress(source, budget: budget)
            XCTAssertEqual(text(body), source)
            XCTAssertTrue(body.omissions.isEmpty)
        }
        let lossless = CodeCompressor().compress(Array(source.utf8), context: try context(budget: 5, lossless: true))
        XCTAssertEqual(text(lossless), source)
    }

    // MARK: - Brace languages

    func testBracesInsideStringsAndCommentsDoNotCount() throws {
        let c = """
        #include <stdio.h>
        #define OPEN {
        /* a } in a comment { */
        static const char *s = "}}} {";
        static char c = '}';
        // }
        int main(void) {
            printf("{%s}\\n", s);
            if (c == '{') {
                return 1;
            }
            return 0;
        }

        int other(int x) {
            return x + 1;
        }
        """
        let structure = CodeStructure.scan(DocumentLines(Array(c.utf8)))
        XCTAssertEqual(structure.language, .brace(.c))
        let top = structure.topLevel.map { structure.blocks[$0] }
        XCTAssertEqual(top.count, 2)
        XCTAssertEqual(top[0].headerFirst, 6)
        XCTAssertEqual(top[0].body, 7..<12)
        XCTAssertEqual(top[0].kind, .function)
        XCTAssertEqual(top[1].headerFirst, 14)
        XCTAssertEqual(structure.blocks[top[0].children[0]].kind, .other)
    }

    func testJavaScriptTemplatesRegexesAndStrings() throws {
        let js = """
        const re = /[{}]+/g;
        const t = `a ${ {x: 1}.x } } {`;
        const s = '{';
        export class Widget extends Base {
          constructor(a) {
            super(a);
            this.a = `line
        } still in the template
        `;
          }
          render() {
            return "}";
          }
        }
        function helper(x) {
          // }
          return x;
        }
        """
        let structure = CodeStructure.scan(DocumentLines(Array(js.utf8)))
        XCTAssertEqual(structure.language, .brace(.javascript))
        let top = structure.topLevel.map { structure.blocks[$0] }
        XCTAssertEqual(top.map(\.kind), [.container, .function])
        XCTAssertEqual(top[0].headerFirst, 3)
        XCTAssertEqual(top[0].end, 13)
        XCTAssertEqual(top[0].children.map { structure.blocks[$0].kind }, [.function, .function])
        XCTAssertEqual(structure.blocks[top[0].children[0]].body, 5..<9)
        XCTAssertEqual(structure.roles[7], .string)
    }

    func testRustRawStringsLifetimesAndNestedComments() throws {
        let rust = """
        use std::fmt;
        /* outer /* nested } */ still comment { */
        pub struct Holder<'a> {
            text: &'a str,
        }
        impl<'a> Holder<'a> {
            pub fn new(text: &'a str) -> Self {
                let raw = r#"a "}" b"#;
                let c = '{';
                Holder { text }
            }
            fn private_helper(&self) -> char {
                '}'
            }
        }
        """
        let structure = CodeStructure.scan(DocumentLines(Array(rust.utf8)))
        XCTAssertEqual(structure.language, .brace(.rust))
        let top = structure.topLevel.map { structure.blocks[$0] }
        XCTAssertEqual(top.count, 2)
        XCTAssertEqual(top.map(\.kind), [.container, .container])
        XCTAssertEqual(top[1].end, 14)
        let methods = top[1].children.map { structure.blocks[$0] }
        XCTAssertEqual(methods.map(\.kind), [.function, .function])
        XCTAssertEqual(methods.map(\.isPrivate), [false, true])
        XCTAssertEqual(methods[0].body, 7..<10)
    }

    func testSwiftExtensionsAndMultiLineStrings() throws {
        var swift = """
        import Foundation

        /// A thing that greets.
        /// It has a long doc comment.
        /// Over several lines.
        /// Really several.
        struct Greeter {
            var name: String

            /// The greeting.
            func greet() -> String {
                let template = \"\"\"
                Hello, } \\(name.uppercased()) {
                }}}
                \"\"\"
                let raw = #"a "} { \\(x)"#
                let parts = [template, raw].map { $0.trimmingCharacters(in: .whitespaces) }
                guard !parts.isEmpty else { return "" }
                return parts.joined(separator: ", ")
            }
        }

        extension Greeter: CustomStringConvertible {
            var description: String {
                let parts = ["a", "b", "c"]
                return parts.joined(separator: "}")
            }

            private func secret(
                a: Int,
                b: Int
            ) -> Int {
                let x = a + b
                let y = x * 2
                let z = [x, y].map { $0 * 3 }.reduce(0, +)
                guard z > 10 else { return x }
                return y + z
            }
        }

        """
        for k in 0..<30 {
            swift += "func filler\(k)(value: Int) -> Int {\n    let a = value + \(k)\n    let b = a * 2\n    let c = [a, b].map { $0 * 3 }.reduce(0, +)\n    guard c > 10 else { return a }\n    print(\"filler\", a, b, c)\n    return b - 1\n}\n\n"
        }
        let input = Array(swift.utf8)
        let structure = CodeStructure.scan(DocumentLines(input))
        XCTAssertEqual(structure.language, .brace(.swift))
        let top = structure.topLevel.map { structure.blocks[$0] }
        XCTAssertEqual(top.count, 32)
        XCTAssertEqual(top[0].keyword, "struct")
        XCTAssertEqual(top[1].keyword, "extension")
        XCTAssertEqual(top[0].end, 20)
        let secret = structure.blocks[top[1].children[1]]
        XCTAssertEqual(secret.headerFirst, 28)
        XCTAssertEqual(secret.headerLast, 31)
        XCTAssertTrue(secret.isPrivate)

        let tokens = try count(input)
        let body = try compress(swift, budget: tokens - 1)
        checkCoverage(body, input, "swift")
        let shown = text(body)
        XCTAssertLessThan(try count(body.body), tokens * 3 / 4)
        // Multi-line signature whole, doc comment's first line, bodies as markers.
        for line in ["    private func secret(", "        a: Int,", "    ) -> Int {", "/// A thing that greets.",
                     "    func greet() -> String {", "extension Greeter: CustomStringConvertible {", "func filler29(value: Int) -> Int {"] {
            XCTAssertTrue(shown.contains(line + "\n"), line)
        }
        XCTAssertFalse(shown.contains("Hello, }"))
        XCTAssertTrue(shown.contains("[... func body: 8 lines omitted · lines 12-19 · hb_3f9a1c0d2e7b4a51:12-19 ...]"), shown)
    }

    func testGoAndJavaStructure() throws {
        let go = """
        package main

        import (
        \t"fmt"
        \t"strings"
        )

        type Server struct {
        \tname string
        }

        func (s *Server) Start() error {
        \tmsg := `raw } string {`
        \tfmt.Println(strings.ToUpper(msg))
        \treturn nil
        }

        func helper() {}
        """
        let structure = CodeStructure.scan(DocumentLines(Array(go.utf8)))
        XCTAssertEqual(structure.language, .brace(.go))
        XCTAssertEqual(structure.roles[3], .importLine)
        let top = structure.topLevel.map { structure.blocks[$0] }
        XCTAssertEqual(top.map(\.kind), [.container, .function, .function])
        XCTAssertEqual(top[1].body, 12..<15)
        XCTAssertFalse(top[1].isPrivate)
        XCTAssertTrue(top[2].isPrivate)

        let java = """
        package com.example;

        import java.util.List;

        @Deprecated
        public class Registry
            extends Base
            implements Iterable<String> {
            private final List<String> names;

            @Override
            public Iterator<String> iterator() {
                char open = '{';
                return names.iterator();
            }
        }
        """
        let javaStructure = CodeStructure.scan(DocumentLines(Array(java.utf8)))
        XCTAssertEqual(javaStructure.language, .brace(.java))
        let registry = javaStructure.blocks[javaStructure.topLevel[0]]
        XCTAssertEqual(registry.kind, .container)
        XCTAssertEqual(registry.headerFirst, 5)
        XCTAssertEqual(registry.end, 15)
        XCTAssertEqual(javaStructure.blocks[registry.children[0]].headerFirst, 11)
    }

    // MARK: - Python

    func testPythonClassWithMethodsAndDecorators() throws {
        var python = """
        \"\"\"Module docstring.

        More text about the module.
        Even more.
        \"\"\"
        import os
        from typing import (
            Any,
            Optional,
        )


        class Store(Base):
            \"\"\"A store of things.

            Longer description of the store.
            Still longer.
            \"\"\"

            limit = 10

            @property
            def size(self) -> int:
                \"\"\"The number of items.\"\"\"
                total = 0
                for item in self.items:
                    total += 1
                return total

            @staticmethod
            def _parse(
                text: str,
                strict: bool = False,
            ) -> "Store":
                data = text.split("def fake():")
                if strict:
                    raise ValueError("no")
                return Store(data)

            def __len__(self):
                return self.size


        """
        for k in 0..<40 {
            python += "def function_\(k)(a, b):\n    # comment\n    c = a + b\n    d = c * \(k)\n    e = [x * d for x in range(c)]\n    if not e:\n        raise ValueError(\"empty\", a, b)\n    return sum(e) / len(e)\n\n\n"
        }
        let input = Array(python.utf8)
        let structure = CodeStructure.scan(DocumentLines(input))
        XCTAssertEqual(structure.language, .python)
        XCTAssertEqual(structure.roles[7], .importLine)
        let store = structure.blocks[structure.topLevel[0]]
        XCTAssertEqual(store.kind, .container)
        XCTAssertEqual(store.headerFirst, 12)
        XCTAssertEqual(store.docstring, 13..<18)
        let methods = store.children.map { structure.blocks[$0] }
        XCTAssertEqual(methods.map(\.keyword), ["def", "def", "def"])
        XCTAssertEqual(methods[0].headerFirst, 22)
        XCTAssertEqual(methods[0].body, 23..<28)
        XCTAssertEqual(methods[0].docstring, 23..<24)
        XCTAssertEqual(methods[1].headerFirst, 30)
        XCTAssertEqual(methods[1].headerLast, 33)
        XCTAssertTrue(methods[1].isPrivate)
        XCTAssertFalse(methods[2].isPrivate)
        XCTAssertEqual(methods[2].body, 40..<41)

        let tokens = try count(input)
        let body = try compress(python, budget: tokens - 1)
        checkCoverage(body, input, "python")
        XCTAssertLessThan(try count(body.body), tokens * 3 / 4)
        let shown = lineSet(body)
        for line in ["    @property", "    def size(self) -> int:", "        \"\"\"The number of items.\"\"\"", "    @staticmethod",
                     "    def _parse(", "        strict: bool = False,", "    ) -> \"Store\":", "    \"\"\"A store of things.",
                     "def function_39(a, b):", "        return self.size", "\"\"\"Module docstring."] {
            XCTAssertTrue(shown.contains(line), line)
        }
        XCTAssertFalse(shown.contains("                raise ValueError(\"no\")"))
    }

    // MARK: - Budget steps

    func testTypeBodiesCollapseThenPrivateDeclarationsGo() throws {
        var swift = "import Foundation\n\n"
        for t in 0..<12 {
            swift += "/// Type \(t).\nstruct Type\(t) {\n"
            for m in 0..<6 {
                swift += "    func method\(m)(value: Int) -> Int {\n        let a = value + \(m)\n        let b = a * \(t)\n        let c = [a, b].map { $0 * 3 }.reduce(0, +)\n        guard c > 10 else { return a }\n        print(\"method\", a, b, c)\n        return a + b\n    }\n"
            }
            swift += "}\n\n"
        }
        for p in 0..<10 {
            swift += "private func hidden\(p)(x: Int) -> Int {\n    let y = x * 3\n    let z = y + 1\n    return z\n}\n"
        }
        let input = Array(swift.utf8)
        let full = try count(input)
        let outlined = try compress(swift, budget: full - 1)
        checkCoverage(outlined, input, "outline")
        let outlineTokens = try count(outlined.body)
        XCTAssertTrue(text(outlined).contains("    func method5(value: Int) -> Int {\n"))
        XCTAssertFalse(text(outlined).contains("struct body"))

        let tight = try compress(swift, budget: outlineTokens - 200)
        checkCoverage(tight, input, "tight")
        XCTAssertLessThanOrEqual(try count(tight.body), outlineTokens - 200)
        XCTAssertTrue(text(tight).contains("[... struct body: 48 lines omitted (6 members) · lines"), text(tight))
        XCTAssertTrue(text(tight).contains("    func method5(value: Int) -> Int {\n"), text(tight))
        XCTAssertFalse(text(tight).contains("private declaration"))

        let tighter = try compress(swift, budget: 900)
        checkCoverage(tighter, input, "tighter")
        XCTAssertLessThanOrEqual(try count(tighter.body), 900)
        XCTAssertTrue(text(tighter).contains("[... 10 private declarations: 50 lines omitted · lines"), text(tighter))
        XCTAssertTrue(text(tighter).contains("struct Type11 {\n"))
        XCTAssertFalse(text(tighter).contains("rest of the file"))
        print("code: types test \(full) tokens; outline \(outlineTokens); \(try count(tight.body)); \(try count(tighter.body))")
    }

    func testQueryKeepsMatchingBodies() throws {
        var swift = ""
        for k in 0..<40 {
            let word = k == 17 ? "checksumMismatch" : "ordinary"
            swift += "func f\(k)() {\n    let a = \(k)\n    let b = [a, a + 1, a + 2].map { $0 * 2 }\n    print(\"\(word)\", b)\n    guard b.count > 1 else { return }\n    print(b.reduce(0, +))\n}\n"
        }
        let full = try count(Array(swift.utf8))
        let body = try compress(swift, budget: full * 3 / 4, query: "checksumMismatch")
        checkCoverage(body, Array(swift.utf8), "query")
        XCTAssertTrue(text(body).contains("print(\"checksumMismatch\", b)"))
        XCTAssertFalse(text(body).contains("print(\"ordinary\", b)"))
    }

    // MARK: - Real sources

    /// Every Swift file of the library: coverage, determinism and the budget at a quarter of
    /// the file.
    func testRealSwiftSources() throws {
        let root = Paths.packageRoot.appendingPathComponent("Sources/HeadroomBatch").path
        let files = (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".swift") }.sorted()
        XCTAssertGreaterThan(files.count, 20)
        var before = 0, after = 0
        for name in files {
            let input = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)))
            let tokens = try count(input)
            let budget = max(200, tokens / 4)
            let structure = CodeStructure.scan(DocumentLines(input))
            XCTAssertEqual(structure.language, .brace(.swift), name)
            let body = CodeCompressor().compress(input, context: try context(budget: budget))
            checkCoverage(body, input, name)
            XCTAssertLessThanOrEqual(try count(body.body), budget, name)
            let again = CodeCompressor().compress(input, context: try context(budget: budget))
            XCTAssertEqual(again.body, body.body, name)
            let outline = CodeCompressor().compress(input, context: try context(budget: max(1, tokens - 1)))
            checkCoverage(outline, input, name)
            // Tiny budgets: still every line accounted for (the last marker may exceed them).
            for tiny in [1, 100] {
                checkCoverage(CodeCompressor().compress(input, context: try context(budget: tiny)), input, "\(name) at \(tiny)")
            }
            before += tokens
            after += try count(outline.body)
        }
        print("code: Swift sources \(files.count) files, outline \(before) -> \(after) tokens (\(Double(after) / Double(before)))")
    }

    /// Python's standard library: json/decoder.py and argparse.py (2,600 lines) within
    /// budget 3000 keep every top-level signature.
    func testRealPythonSources() throws {
        let directory = try XCTUnwrap(["/usr/lib/python3.11", "/usr/lib/python3.12", "/usr/lib/python3.13", "/usr/lib/python3.10"]
            .first { FileManager.default.fileExists(atPath: $0 + "/argparse.py") })
        for name in ["json/decoder.py", "argparse.py", "typing.py"] {
            let path = directory + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let input = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let structure = CodeStructure.scan(DocumentLines(input))
            XCTAssertEqual(structure.language, .python, name)
            let tokens = try count(input)
            let body = CodeCompressor().compress(input, context: try context(budget: 3000))
            checkCoverage(body, input, name)
            let out = try count(body.body)
            XCTAssertLessThanOrEqual(out, 3000, name)
            XCTAssertEqual(CodeCompressor().compress(input, context: try context(budget: 3000)).body, body.body, name)
            let outline = CodeCompressor().compress(input, context: try context(budget: tokens - 1))
            checkCoverage(outline, input, name)
            print("code: \(name) \(DocumentLines(input).count) lines, \(tokens) tokens; outline \(try count(outline.body)); budget 3000 -> \(out), \(body.omissions.count) markers")
            if name != "typing.py" {
                // Every top-level def and class signature line is kept.
                let shown = lineSet(body)
                let lines = DocumentLines(input)
                for index in structure.topLevel where structure.blocks[index].kind != .other {
                    let header = String(decoding: lines.content(structure.blocks[index].headerFirst), as: UTF8.self)
                    XCTAssertTrue(shown.contains(header), "\(name): \(header)")
                }
            }
        }
    }

    /// A generated 2,000-line Swift file (about 40 top-level declarations, as real files of
    /// that length have) shrinks under budget 3000 with every top-level signature kept.
    func testTwoThousandLineFileUnderBudget() throws {
        var swift = "import Foundation\nimport Dispatch\n\n"
        var signatures: [String] = []
        var k = 0
        func body(_ depth: String, _ n: Int) -> String {
            var text = "\(depth)var total = 0.0\n"
            for i in 0..<n { text += "\(depth)total += values[\(i) % values.count] * scale // step \(i)\n" }
            return text + "\(depth)return total / Double(values.count)\n"
        }
        while swift.split(separator: "\n", omittingEmptySubsequences: false).count < 2000 {
            if k % 4 == 0 {
                let signature = "public final class Worker\(k): Sendable {"
                signatures.append(signature)
                swift += "/// Worker number \(k).\n\(signature)\n    let id = \(k)\n\n"
                for m in 0..<4 {
                    swift += "    func step\(m)(_ values: [Double], scale: Double) -> Double {\n" + body("        ", 12) + "    }\n\n"
                }
                swift += "}\n\n"
            } else {
                let signature = "func compute\(k)(_ values: [Double], scale: Double = \(k).0) -> Double {"
                signatures.append(signature)
                swift += "\(signature)\n" + body("    ", 30) + "}\n\n"
            }
            k += 1
        }
        let input = Array(swift.utf8)
        let body = CodeCompressor().compress(input, context: try context(budget: 3000))
        checkCoverage(body, input, "generated")
        let tokens = try count(body.body)
        XCTAssertLessThanOrEqual(tokens, 3000)
        let shown = lineSet(body)
        for signature in signatures { XCTAssertTrue(shown.contains(signature), signature) }
        print("code: generated Swift \(DocumentLines(input).count) lines, \(signatures.count) top-level declarations, \(try count(input)) tokens -> \(tokens)")
    }
}
