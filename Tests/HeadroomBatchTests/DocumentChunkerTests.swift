import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

/// The document chunker on small documents of every format written here, and on the documents
/// of the shared datasets (the ripgrep `.txt` outputs, the markdown READMEs, and the Python
/// docs `.rst` files put back together from the RAG dump's line windows).
final class DocumentChunkerTests: XCTestCase {
    // MARK: Helpers

    private func options(max: Int = 2000, min: Int = 200, overlap: Int = 0) -> ChunkingOptions {
        var options = ChunkingOptions()
        options.maxBytes = max
        options.minBytes = min
        options.overlapBytes = overlap
        return options
    }

    private func chunks(_ text: String, _ format: DocumentFormat, _ options: ChunkingOptions = ChunkingOptions()) -> [DocumentChunk] {
        DocumentChunker(options: options).chunks(of: Array(text.utf8), format: format)
    }

    private func text(_ chunk: DocumentChunk) -> String { String(decoding: chunk.text, as: UTF8.self) }

    /// The lines of `document` without their line ends (`\n`, or `\r\n`).
    private func sourceLines(_ document: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = document.split(separator: 10, omittingEmptySubsequences: false)
        if document.last == 10 { lines.removeLast() }
        if document.isEmpty { return [] }
        return lines.map { $0.last == 13 ? $0.dropLast() : $0 }
    }

    private func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 || $0 == 11 || $0 == 12 }
    }

    /// Checks what must hold for any markdown, text or rst document: each chunk's text is its
    /// source lines joined by "\n" (or, for a piece of an over-long line, a run of that line's
    /// bytes cut at UTF-8 boundaries, the pieces adding up to the line), no chunk is over
    /// maxBytes, no chunk starts or ends with a blank line, chunks come in document order, and
    /// without overlap every non-blank line is in exactly one chunk.
    private func assertInvariants(_ document: [UInt8], _ chunks: [DocumentChunk], _ options: ChunkingOptions,
                                  _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = sourceLines(document)
        var covered = [Int](repeating: 0, count: lines.count + 1)
        var pieces: [Int: [UInt8]] = [:]
        var previousFirst = 0
        for (index, chunk) in chunks.enumerated() {
            let where_ = "\(name) chunk \(index) [\(chunk.firstLine)-\(chunk.lastLine)]"
            XCTAssertGreaterThanOrEqual(chunk.firstLine, 1, where_, file: file, line: line)
            XCTAssertLessThanOrEqual(chunk.firstLine, chunk.lastLine, where_, file: file, line: line)
            XCTAssertLessThanOrEqual(chunk.lastLine, lines.count, where_, file: file, line: line)
            XCTAssertGreaterThanOrEqual(chunk.firstLine, previousFirst, "\(where_): out of order", file: file, line: line)
            previousFirst = chunk.firstLine
            XCTAssertFalse(chunk.text.isEmpty, where_, file: file, line: line)
            XCTAssertLessThanOrEqual(chunk.text.count, options.maxBytes, "\(where_): over maxBytes", file: file, line: line)
            guard chunk.firstLine >= 1, chunk.lastLine <= lines.count, chunk.firstLine <= chunk.lastLine else { continue }
            let joined = Array(lines[(chunk.firstLine - 1)..<chunk.lastLine].joined(separator: [10]))
            if chunk.firstLine == chunk.lastLine, chunk.text != joined {
                // A piece of an over-long line: valid UTF-8 cuts when the line is UTF-8.
                XCTAssertGreaterThan(lines[chunk.firstLine - 1].count, options.maxBytes, "\(where_): text is not its line", file: file, line: line)
                if String(validating: joined, as: UTF8.self) != nil {
                    XCTAssertNotNil(String(validating: chunk.text, as: UTF8.self), "\(where_): piece cut inside a character", file: file, line: line)
                }
                pieces[chunk.firstLine, default: []] += chunk.text
                continue
            } else {
                XCTAssertEqual(chunk.text, joined, "\(where_): text differs from its source lines", file: file, line: line)
                XCTAssertFalse(isBlank(lines[chunk.firstLine - 1]), "\(where_): starts with a blank line", file: file, line: line)
                XCTAssertFalse(isBlank(lines[chunk.lastLine - 1]), "\(where_): ends with a blank line", file: file, line: line)
            }
            for k in chunk.firstLine...chunk.lastLine { covered[k] += 1 }
        }
        for (number, bytes) in pieces {
            XCTAssertEqual(bytes, Array(lines[number - 1]), "\(name): pieces of line \(number) do not add up", file: file, line: line)
            covered[number] += 1
        }
        for (k, content) in lines.enumerated() where !isBlank(content) {
            let count = covered[k + 1]
            if options.overlapBytes == 0 {
                XCTAssertEqual(count, 1, "\(name): line \(k + 1) is in \(count) chunks", file: file, line: line)
            } else {
                XCTAssertGreaterThanOrEqual(count, 1, "\(name): line \(k + 1) is in no chunk", file: file, line: line)
            }
        }
    }

    // MARK: Formats

    func testFormatFromPathExtension() {
        XCTAssertEqual(DocumentFormat(pathExtension: "md"), .markdown)
        XCTAssertEqual(DocumentFormat(pathExtension: "MARKDOWN"), .markdown)
        XCTAssertEqual(DocumentFormat(pathExtension: ".txt"), .text)
        XCTAssertEqual(DocumentFormat(pathExtension: "Rst"), .restructuredText)
        XCTAssertEqual(DocumentFormat(pathExtension: "html"), .html)
        XCTAssertEqual(DocumentFormat(pathExtension: "HTM"), .html)
        XCTAssertNil(DocumentFormat(pathExtension: "jsonl"))
        XCTAssertNil(DocumentFormat(pathExtension: ""))
        XCTAssertNil(DocumentFormat(pathExtension: "mdx"))
    }

    func testEmptyAndWhitespaceOnlyDocumentsGiveNoChunks() {
        for format in DocumentFormat.allCases {
            XCTAssertEqual(DocumentChunker(options: ChunkingOptions()).chunks(of: [], format: format), [], "\(format)")
            XCTAssertEqual(chunks("  \n\t\n \r\n\n   ", format), [], "\(format)")
        }
        XCTAssertEqual(chunks("<html><head><title>Only a title</title></head><body> &#32; <p>  </p><!-- x --></body></html>", .html), [])
    }

    // MARK: Markdown

    func testMarkdownHeadingsNestAndAFencedHashIsNoHeading() {
        let doc = """
        Preamble before any heading.

        # Guide

        Intro paragraph.

        ## Install

        Run the installer.

        ```sh
        # not a heading
        make install

        make check
        ```

        ### Linux ###

        Use the package.

        ## Use

        Call it.

        # Reference

        Last words.
        """
        let result = chunks(doc, .markdown, options(min: 0))
        XCTAssertEqual(result.map(\.headings), [
            [], ["Guide"], ["Guide", "Install"], ["Guide", "Install", "Linux"], ["Guide", "Use"], ["Reference"],
        ])
        XCTAssertEqual(result.map(\.firstLine), [1, 3, 7, 18, 22, 26])
        XCTAssertEqual(result.map(\.lastLine), [1, 5, 16, 20, 24, 28])
        // The fence is part of the Install chunk, its `# not a heading` line with it.
        XCTAssertTrue(text(result[2]).contains("# not a heading\nmake install\n\nmake check\n```"))
        XCTAssertTrue(text(result[3]).hasPrefix("### Linux ###"))
        assertInvariants(Array(doc.utf8), result, options(min: 0), "headings")
    }

    func testMarkdownSetextHeadingsAndInlineMarkupInTitles() {
        let doc = """
        The *Big* Title
        ===============

        Some text under it.

        A `snake_case` part with [a link](https://example.com)
        ------------------------------------------------------

        More text.

        - a list item
        ---

        Final **strong** words
        ---
        end
        """
        let result = chunks(doc, .markdown, options(min: 0))
        XCTAssertEqual(result.map(\.headings), [
            ["The Big Title"],
            ["The Big Title", "A snake_case part with a link"],
            ["The Big Title", "Final strong words"],
        ])
        XCTAssertEqual(result.map(\.firstLine), [1, 6, 14])
        // A list item's underline is a thematic break, part of the paragraph.
        XCTAssertTrue(text(result[1]).hasSuffix("- a list item\n---"))
        assertInvariants(Array(doc.utf8), result, options(min: 0), "setext")
    }

    func testShortSectionRunsOnIntoItsSubsectionButNotIntoASibling() {
        let body = String(repeating: "Words of a paragraph that fill the section. ", count: 6)
        let doc = "# Chapter\n\n## First\n\n\(body)\n\n## Second\n\nshort\n\n# Next chapter\n\n\(body)\n"
        let result = chunks(doc, .markdown, options(max: 2000, min: 200))
        // "# Chapter" alone is short: it runs on into "## First" (under the same heading); "## Second"
        // is short too but "# Next chapter" is not under it.
        XCTAssertEqual(result.map(\.headings), [["Chapter"], ["Chapter", "Second"], ["Next chapter"]])
        XCTAssertTrue(text(result[0]).hasPrefix("# Chapter\n\n## First\n\nWords"))
        assertInvariants(Array(doc.utf8), result, options(max: 2000, min: 200), "min merge")
        // With minBytes 0 every heading starts a chunk.
        XCTAssertEqual(chunks(doc, .markdown, options(min: 0)).count, 4)
    }

    func testFrontMatterIsOneParagraphNotASetextHeading() {
        let doc = "---\ntitle: Notes\ntags: [a, b]\n---\n\n# Notes\n\nText.\n"
        let result = chunks(doc, .markdown, options(min: 0))
        XCTAssertEqual(result.map(\.headings), [[], ["Notes"]])
        XCTAssertEqual(text(result[0]), "---\ntitle: Notes\ntags: [a, b]\n---")
    }

    func testCRLFLineEndsAreDropped() {
        let doc = "# Title\r\n\r\nFirst line\r\nsecond line\r\n\r\n## Sub\r\n\r\nText\r\n"
        let result = chunks(doc, .markdown, options(min: 0))
        XCTAssertEqual(result.map(\.headings), [["Title"], ["Title", "Sub"]])
        XCTAssertEqual(text(result[0]), "# Title\n\nFirst line\nsecond line")
        XCTAssertEqual(text(result[1]), "## Sub\n\nText")
        XCTAssertFalse(result.contains { $0.text.contains(13) })
        assertInvariants(Array(doc.utf8), result, options(min: 0), "crlf")
        let rst = "Title\r\n=====\r\n\r\nText\r\n"
        XCTAssertEqual(chunks(rst, .restructuredText).map(\.headings), [["Title"]])
        // A byte-order mark stays in the text but does not hide the heading.
        let bom = "\u{FEFF}# Title\r\n\r\nText\r\n"
        XCTAssertEqual(chunks(bom, .markdown).map(\.headings), [["Title"]])
        XCTAssertEqual(chunks(bom, .markdown).first?.text, Array("\u{FEFF}# Title\n\nText".utf8))
    }

    // MARK: reStructuredText

    func testRestructuredTextTitlesLevelsByFirstAppearance() {
        let doc = """
        ==========
        User Guide
        ==========

        Opening words.

        :mod:`os` --- Operating system
        ==============================

        About the module.

        Files
        -----

        Open them.

        Example::

            Not a title
            -----------

            still the literal block

        Directories
        -----------

        .. code-block:: python

           # code
           x = 1

           y = 2

        Another module
        ==============

        Done.
        """
        let result = chunks(doc, .restructuredText, options(min: 0))
        XCTAssertEqual(result.map(\.headings), [
            ["User Guide"],
            ["User Guide", "os --- Operating system"],
            ["User Guide", "os --- Operating system", "Files"],
            ["User Guide", "os --- Operating system", "Directories"],
            ["User Guide", "Another module"],
        ])
        XCTAssertEqual(result.map(\.firstLine), [1, 7, 12, 24, 34])
        XCTAssertTrue(text(result[2]).hasSuffix("Example::\n\n    Not a title\n    -----------\n\n    still the literal block"))
        assertInvariants(Array(doc.utf8), result, options(min: 0), "rst")
    }

    func testLiteralBlockIsKeptWholeWhenItFits() {
        var lines = ["Intro::", ""]
        for k in 0..<20 { lines.append("    line \(k) of the literal block"); if k % 5 == 4 { lines.append("") } }
        lines += ["", "After."]
        let doc = lines.joined(separator: "\n")
        // 20 lines of ~30 bytes: the literal block with its introduction (~700 bytes) is one
        // paragraph; with maxBytes 800 it is not cut although it holds blank lines.
        let result = chunks(doc, .restructuredText, options(max: 800, min: 0))
        XCTAssertEqual(result.count, 1)
        let small = chunks(doc, .restructuredText, options(max: 300, min: 0))
        XCTAssertGreaterThan(small.count, 2)
        assertInvariants(Array(doc.utf8), small, options(max: 300, min: 0), "literal cut")
        // Paragraphs packed greedily: the literal block and "After." do not fit 700 together.
        let mid = chunks(doc, .restructuredText, options(max: 700, min: 0))
        XCTAssertTrue(mid.allSatisfy { $0.text.count <= 700 })
    }

    // MARK: html

    func testHTMLVisibleTextHeadingsEntitiesAndLines() {
        let doc = """
        <!DOCTYPE html>
        <html><head><title>Page title</title>
        <style>p { color: red; }</style>
        <script>var x = "<h1>not text</h1>";</script>
        </head>
        <body>
        <h1>Tools &amp; <em>tips</em></h1>
        <!-- a comment <p>hidden</p> -->
        <p>Fish &amp; chips cost &lt;&#36;5&gt; &quot;today&quot; &#39;only&#39;&nbsp;&nbsp;here:
           &#x263A;   &#233;t&eacute;
        </p>
        <ul>
          <li>one
            <ul><li>nested <b>bold</b></li></ul>
          </li>
          <li>two</li>
        </ul>
        <script type="text/javascript">document.write("<p>no</p>")</script>
        <h2>Code</h2>
        <pre>
        let  a = 1

            b &lt; 2</pre>
        <table><tr><td>cell 1</td><td>cell 2</td></tr><tr><td>row 2</td></tr></table>
        <div>line one<br>line two</div>
        </body></html>
        """
        let result = chunks(doc, .html, options(min: 0))
        XCTAssertEqual(result.map(\.headings), [["Tools & tips"], ["Tools & tips", "Code"]])
        XCTAssertEqual(text(result[0]), """
        Tools & tips

        Fish & chips cost <$5> "today" 'only'  here: \u{263A} ét&eacute;

        one

        nested bold

        two
        """)
        XCTAssertEqual(text(result[1]), "Code\n\nlet  a = 1\n\n    b < 2\n\ncell 1 cell 2\n\nrow 2\n\nline one\n\nline two")
        // Source lines: the h1 is on line 7, the last list item on line 16; the h2 on line 19, the div on 25.
        XCTAssertEqual(result.map(\.firstLine), [7, 19])
        XCTAssertEqual(result.map(\.lastLine), [16, 25])
        XCTAssertFalse(result.contains { text($0).contains("not text") || text($0).contains("hidden") || text($0).contains("color") || text($0).contains("Page title") })
    }

    func testHTMLWithoutClosedHeadAndWithUnclosedTags() {
        let doc = "<html><head><meta charset=utf-8><title>T</title><body><p>Visible<p>Second &unknown; & done <b\n"
        let result = chunks(doc, .html, options(min: 0))
        XCTAssertEqual(result.map(text), ["Visible\n\nSecond &unknown; & done"])
        XCTAssertEqual(result.first?.firstLine, 1)
        // A head left open ends at the first flow content; an empty heading heads nothing.
        let open = "<head><title>T</title>\n<h2></h2><p class = 'a>b' title=don't>text\nhere</p><h3>Sub &#x26; more</h3>\n<p>x</p>"
        let parts = chunks(open, .html, options(min: 0))
        XCTAssertEqual(parts.map(text), ["text here", "Sub & more\n\nx"])
        XCTAssertEqual(parts.map(\.headings), [[], ["Sub & more"]])
        XCTAssertEqual(parts.map(\.firstLine), [2, 3])
        XCTAssertEqual(parts.map(\.lastLine), [3, 4])
    }

    // MARK: Sizes

    func testTenKilobyteParagraphIsCutAtLineEnds() {
        var lines: [String] = ["# Big", ""]
        for k in 0..<130 { lines.append("Line \(k) of one long paragraph, with words enough to fill about eighty bytes.") }
        let doc = lines.joined(separator: "\n") + "\n\nNext paragraph.\n"
        XCTAssertGreaterThan(doc.utf8.count, 10_000)
        let opts = options(max: 2000, min: 200)
        let result = chunks(doc, .markdown, opts)
        XCTAssertEqual(result.count, 6)
        XCTAssertTrue(result.allSatisfy { $0.headings == ["Big"] })
        // The heading chunk is short, so the paragraph's first lines run on into it.
        XCTAssertTrue(text(result[0]).hasPrefix("# Big\n\nLine 0 of"))
        XCTAssertTrue(result.dropLast().allSatisfy { $0.text.count > 1800 })
        assertInvariants(Array(doc.utf8), result, opts, "10 KB paragraph")
    }

    func testHundredKilobyteSingleLineIsCutAtCharacterBoundaries() {
        let unit = "abc é 日本語 🙂 "
        var line = ""
        while line.utf8.count < 100_000 { line += unit }
        let doc = "# Title\n\n" + line + "\nafter\n"
        for max in [2000, 1001, 7, 3] {
            let opts = options(max: max, min: 0)
            let result = chunks(doc, .markdown, opts)
            let pieces = result.filter { $0.firstLine == 3 }
            XCTAssertEqual(pieces.reduce([UInt8]()) { $0 + $1.text }, Array(line.utf8), "max \(max)")
            XCTAssertTrue(pieces.allSatisfy { String(validating: $0.text, as: UTF8.self) != nil }, "max \(max)")
            XCTAssertTrue(pieces.allSatisfy { $0.lastLine == 3 && $0.headings == ["Title"] })
            if max >= 4 { assertInvariants(Array(doc.utf8), result, opts, "100 KB line, max \(max)") }
        }
        // Plain text too, and bytes that are not UTF-8.
        var bytes = [UInt8](repeating: 0xFF, count: 5000) + [UInt8](repeating: 0x80, count: 5000)
        bytes += Array("\n\nok\n".utf8)
        let result = DocumentChunker(options: options(max: 999, min: 0)).chunks(of: bytes, format: .text)
        XCTAssertEqual(result.count, 12)
        assertInvariants(bytes, result, options(max: 999, min: 0), "not UTF-8")
    }

    func testOverlapRepeatsWholeLinesWithinASection() {
        var lines: [String] = ["# One", ""]
        for p in 0..<12 {
            for k in 0..<4 { lines.append("Paragraph \(p) line \(k) says something.") }
            lines.append("")
        }
        lines += ["# Two", "", "tail"]
        let doc = lines.joined(separator: "\n")
        let opts = options(max: 500, min: 0, overlap: 120)
        let result = chunks(doc, .markdown, opts)
        assertInvariants(Array(doc.utf8), result, opts, "overlap")
        let source = sourceLines(Array(doc.utf8))
        for (previous, next) in zip(result, result.dropFirst()) where next.headings == previous.headings {
            // The next chunk starts inside the previous one, with at most 120 bytes of it.
            XCTAssertLessThanOrEqual(next.firstLine, previous.lastLine)
            XCTAssertGreaterThan(next.firstLine, previous.firstLine)
            let repeated = Array(source[(next.firstLine - 1)..<previous.lastLine].joined(separator: [10]))
            XCTAssertLessThanOrEqual(repeated.count, 120)
            XCTAssertGreaterThan(repeated.count, 0)
            XCTAssertTrue(next.text.starts(with: repeated))
        }
        // A heading starts its chunk: nothing of the section before is repeated.
        let two = result.first { $0.headings == ["Two"] }
        XCTAssertEqual(two.map(text), "# Two\n\ntail")
    }

    func testPlainTextIsParagraphsWithoutHeadings() {
        let doc = "# not a heading in text\n\nfirst paragraph\nstill first\n\n\n\nsecond\n"
        let result = chunks(doc, .text, options(max: 30, min: 0))
        XCTAssertEqual(result.map(text), ["# not a heading in text", "first paragraph\nstill first", "second"])
        XCTAssertTrue(result.allSatisfy { $0.headings.isEmpty })
        XCTAssertEqual(result.map(\.firstLine), [1, 3, 8])
    }

    func testSameInputGivesTheSameChunks() {
        let doc = Array((0..<400).map { "## H\($0 % 7)\n\ntext \($0) " + String(repeating: "x", count: $0 % 90) + "\n" }.joined().utf8)
        for format in DocumentFormat.allCases {
            let a = DocumentChunker(options: options(max: 300, min: 50, overlap: 40)).chunks(of: doc, format: format)
            let b = DocumentChunker(options: options(max: 300, min: 50, overlap: 40)).chunks(of: doc, format: format)
            XCTAssertEqual(a, b)
            XCTAssertFalse(a.isEmpty)
        }
    }

    // MARK: Dataset documents

    /// The Python docs `.rst` files the RAG dump's windows come from, put back together by
    /// their line numbers (a gap between windows becomes one blank line).
    private func restructuredTextDocuments() throws -> [(name: String, bytes: [UInt8])] {
        let path = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        let data = try String(contentsOfFile: path, encoding: .utf8)
        var files: [String: [Int: String]] = [:]
        for line in data.split(separator: "\n") {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let id = record["id"] as! String
            let text = record["text"] as! String
            // …/py311doc:library/datetime.rst:L631-705
            let parts = id.split(separator: ":")
            guard parts.count >= 3, let range = parts.last, range.hasPrefix("L") else { continue }
            let bounds = range.dropFirst().split(separator: "-").compactMap { Int($0) }
            let file = String(parts[parts.count - 2])
            let windowLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (k, content) in windowLines.enumerated() where bounds[0] + k <= bounds[1] {
                files[file, default: [:]][bounds[0] + k] = String(content)
            }
        }
        return files.keys.sorted().map { name in
            let lines = files[name]!
            var out: [String] = []
            var previous = 0
            for number in lines.keys.sorted() {
                if number != previous + 1, previous > 0 { out.append("") }
                out.append(lines[number]!)
                previous = number
            }
            return (name, Array((out.joined(separator: "\n") + "\n").utf8))
        }
    }

    func testDatasetDocumentsKeepTheInvariants() throws {
        var documents: [(name: String, format: DocumentFormat, bytes: [UInt8])] = []
        for name in ["pytest_rg_context3_TODO_FIXME_XXX.txt", "pytest_rg_def_test_all_5791.txt",
                     "pytest_rg_fnmatch_lines.txt", "pytest_rg_import_os.txt"] {
            let path = try Paths.dataset("tool-outputs/code-search/\(name)")
            documents.append((name, .text, Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
        }
        for name in ["README.md", "tool-outputs/json/LICENSE.md"] {
            let path = try Paths.dataset(name)
            documents.append((name, .markdown, Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
        }
        let rst = try restructuredTextDocuments()
        XCTAssertGreaterThan(rst.count, 150)
        documents += rst.map { ($0.name, .restructuredText, $0.bytes) }

        var titled = 0
        var report: [String] = []
        for (name, format, bytes) in documents {
            for opts in [ChunkingOptions(), options(max: 500, min: 100), options(max: 800, min: 0, overlap: 200)] {
                let result = DocumentChunker(options: opts).chunks(of: bytes, format: format)
                XCTAssertFalse(result.isEmpty, name)
                assertInvariants(bytes, result, opts, "\(name) max \(opts.maxBytes) overlap \(opts.overlapBytes)")
                if opts == ChunkingOptions() {
                    if result.contains(where: { !$0.headings.isEmpty }) { titled += 1 }
                    if format != .restructuredText || name.hasPrefix("library/datetime") || name.hasPrefix("tutorial/") {
                        let sizes = result.map(\.text.count)
                        report.append("\(name) (\(format)): \(bytes.count) bytes, \(sourceLines(bytes).count) lines -> \(result.count) chunks, "
                            + "mean \(sizes.reduce(0, +) / max(1, sizes.count)) B, max \(sizes.max() ?? 0) B")
                    }
                }
            }
        }
        // Nearly every reassembled rst file with its first lines has its section titles found.
        XCTAssertGreaterThan(titled, rst.count / 2)
        print(report.joined(separator: "\n"))
        print("rst documents: \(rst.count), with headings: \(titled)")

        // The minidom page (its windows start at line 1): its title, and sections under it.
        let minidom = try XCTUnwrap(rst.first { $0.name == "library/xml.dom.minidom.rst" })
        let result = DocumentChunker(options: ChunkingOptions()).chunks(of: minidom.bytes, format: .restructuredText)
        XCTAssertEqual(result.first?.headings, ["xml.dom.minidom --- Minimal DOM implementation"])
        XCTAssertTrue(result.contains { $0.headings.count >= 2 })
        print(Set(result.map { $0.headings.joined(separator: " > ") }).sorted().joined(separator: "\n"))
    }

    func testLargeGeneratedMarkdownChunksQuickly() {
        var random = SplitMix64(seed: 7)
        let words = ["the", "chunker", "packs", "paragraphs", "into", "passages", "déjà", "vu", "日本語", "x"]
        var doc: [UInt8] = []
        var section = 0
        while doc.count < 5_000_000 {
            section += 1
            doc += Array("\(String(repeating: "#", count: section % 3 + 1)) Section \(section)\n\n".utf8)
            for p in 0..<Int(random.next() % 8 + 1) {
                if p == 3 { doc += Array("```\n# code\n\nmore\n```\n\n".utf8); continue }
                for _ in 0..<Int(random.next() % 6 + 1) {
                    for w in 0..<Int(random.next() % 14 + 3) {
                        if w > 0 { doc.append(32) }
                        doc += Array(words[Int(random.next() % UInt64(words.count))].utf8)
                    }
                    doc.append(10)
                }
                doc.append(10)
            }
        }
        let start = Date()
        let result = DocumentChunker(options: ChunkingOptions()).chunks(of: doc, format: .markdown)
        let seconds = Date().timeIntervalSince(start)
        print("generated markdown: \(doc.count) bytes -> \(result.count) chunks in \(Int(seconds * 1000)) ms (debug build)")
        assertInvariants(doc, result, ChunkingOptions(), "generated markdown")
        XCTAssertTrue(result.allSatisfy { !$0.headings.isEmpty })
    }
}
