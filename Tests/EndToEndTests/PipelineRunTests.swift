import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// `headroom-batch run PIPELINE` end to end: the outputs on the RAG dataset, retrieval by
/// reference and by id, incremental runs, documents, and errors in pipeline files.
final class PipelineRunTests: XCTestCase {
    private func summary(_ result: ProcessResult) throws -> [String: Any] {
        let line = result.stderr.split(separator: "\n").last { $0.hasPrefix("{") } ?? ""
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], result.stderr)
    }

    private func run(_ cli: HeadroomCLI, _ pipeline: String, _ extra: [String] = []) throws -> ProcessResult {
        try cli(["run", pipeline, "--json-summary", "--tokenizer", try Paths.tokenizer()] + extra)
    }

    private func jsonLines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func testRetrievalDumpGivesCorpusBundleAndRecordsByReferenceAndID() throws {
        let dump = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        let queries = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("rag/python311_docs_queries.jsonl"))))
        let input = Array(try Data(contentsOf: URL(fileURLWithPath: dump)))
        let inputLines = input.split(separator: 10, omittingEmptySubsequences: false).dropLast().map(Array.init)
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let pipeline = try dir.write("nightly.toml", """
            [[inputs]]
            path = "\(dump)"
            [output]
            directory = "out"
            """)
        let first = try run(cli, pipeline)
        XCTAssertEqual(first.status, 0, first.stderr)
        let figures = try summary(first)
        XCTAssertEqual(figures["records"] as? Int, 1200)
        XCTAssertEqual(figures["records_processed"] as? Int, 1200)
        XCTAssertEqual(figures["outputs_written"] as? Bool, true)

        // corpus.jsonl: every record, in order, with its id, keys and hb_ref; repeated texts point back.
        let corpus = try jsonLines(dir.file("out/corpus.jsonl"))
        XCTAssertEqual(corpus.count, 1200)
        var firstIDWithText: [String: String] = [:]
        var pointing = 0
        for (index, record) in corpus.enumerated() {
            let original = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inputLines[index])) as? [String: Any])
            XCTAssertEqual(record["id"] as? String, original["id"] as? String)
            XCTAssertEqual(record["source"] as? String, original["source"] as? String)
            XCTAssertEqual(record["hb_ref"] as? String != nil, true)
            let text = (original["text"] as! String).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if let canonical = record["hb_same_text_as"] as? String {
                pointing += 1
                XCTAssertNil(record["text"])
                XCTAssertEqual(canonical, firstIDWithText[text], "record \(index + 1)")
            } else {
                XCTAssertEqual(record["text"] as? String, original["text"] as? String)
                XCTAssertNil(firstIDWithText[text], "record \(index + 1) repeats an earlier text in full")
                firstIDWithText[text] = original["id"] as? String
            }
        }
        XCTAssertEqual(pointing, 1200 - firstIDWithText.count)
        XCTAssertEqual(firstIDWithText.count, 804)

        // Every 37th record: its hb_ref and its id both give the original line, byte for byte.
        for index in stride(from: 0, to: 1200, by: 37) {
            let reference = try XCTUnwrap(corpus[index]["hb_ref"] as? String)
            let byReference = try cli(["retrieve", reference])
            XCTAssertEqual(byReference.status, 0, byReference.stderr)
            XCTAssertEqual(byReference.stdout, inputLines[index] + [10], "record \(index + 1)")
            let byID = try cli(["retrieve", "--id", corpus[index]["id"] as! String])
            XCTAssertEqual(byID.stdout, inputLines[index] + [10], "record \(index + 1) by id")
        }
        XCTAssertEqual(try cli(["retrieve", "--id", "no-such-id"]).status, 1)

        // bundle.md: the RAG measure holds for the pipeline's bundle too.
        let bundle = try String(contentsOfFile: dir.file("out/bundle.md"), encoding: .utf8)
        let tokenizer = try BPETokenizer(ranksFile: try Paths.tokenizer())
        XCTAssertGreaterThanOrEqual(RAGRetention.distinctRetention(input: input, output: bundle).share, 0.99)
        XCTAssertEqual(RAGRetention.answerRetention(queries: queries, output: bundle).share, 1.0)
        XCTAssertLessThanOrEqual(Double(tokenizer.count(Array(bundle.utf8))) / Double(tokenizer.count(input)), 0.50)

        // A second run over the unchanged corpus reads nothing and leaves the outputs alone.
        let stamp = try FileManager.default.attributesOfItem(atPath: dir.file("out/corpus.jsonl"))[.modificationDate] as? Date
        let second = try run(cli, pipeline)
        XCTAssertEqual(second.status, 0, second.stderr)
        let again = try summary(second)
        XCTAssertEqual(again["unchanged_inputs"] as? Int, 1)
        XCTAssertEqual(again["records_processed"] as? Int, 0)
        XCTAssertEqual(again["outputs_written"] as? Bool, false)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: dir.file("out/corpus.jsonl"))[.modificationDate] as? Date, stamp)
    }

    func testAChangedRecordReprocessesOnlyItsPart() throws {
        let dump = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        let dir = try TemporaryDirectory()
        var lines = try String(contentsOfFile: dump, encoding: .utf8).split(separator: "\n").map(String.init)
        let corpusPath = try dir.write("corpus.jsonl", lines.joined(separator: "\n") + "\n")
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let pipeline = try dir.write("nightly.toml", """
            [[inputs]]
            path = "corpus.jsonl"
            [output]
            directory = "out"
            [run]
            part_bytes = 65536
            """)
        let first = try summary(try run(cli, pipeline))
        let parts = try XCTUnwrap(first["parts"] as? Int)
        XCTAssertGreaterThan(parts, 20)

        // 12 records (1%) edited in one place, and 12 appended.
        for index in 600..<612 { lines[index] = lines[index].replacingOccurrences(of: "\"text\": \"", with: "\"text\": \"Edited. ") }
        lines += lines[0..<12].map { $0.replacingOccurrences(of: "\"id\": \"", with: "\"id\": \"new/") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: corpusPath, atomically: true, encoding: .utf8)
        let changed = try run(cli, pipeline)
        XCTAssertEqual(changed.status, 0, changed.stderr)
        let figures = try summary(changed)
        XCTAssertEqual(figures["records"] as? Int, 1212)
        XCTAssertLessThanOrEqual(try XCTUnwrap(figures["parts_processed"] as? Int), 4)
        XCTAssertLessThan(try XCTUnwrap(figures["records_processed"] as? Int), 1212 / 8)
        let corpus = try jsonLines(dir.file("out/corpus.jsonl"))
        XCTAssertEqual(corpus.count, 1212)
        XCTAssertTrue((corpus[600]["text"] as? String)?.hasPrefix("Edited. ") == true)
        XCTAssertEqual(corpus[1200]["hb_same_text_as"] as? String, corpus[0]["id"] as? String)
        let edited = try cli(["retrieve", try XCTUnwrap(corpus[605]["hb_ref"] as? String)])
        XCTAssertEqual(edited.text, lines[605] + "\n")

        // The incremental run's outputs are those of a run from nothing over the changed corpus.
        let fresh = try dir.write("fresh.toml", """
            [[inputs]]
            path = "corpus.jsonl"
            [output]
            directory = "fresh"
            [run]
            part_bytes = 65536
            """)
        let fromNothing = try run(HeadroomCLI(archive: dir.file("fresh-archive")), fresh)
        XCTAssertEqual(fromNothing.status, 0, fromNothing.stderr)
        for file in ["corpus.jsonl", "bundle.md"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir.file("out/" + file))),
                           try Data(contentsOf: URL(fileURLWithPath: dir.file("fresh/" + file))), file)
        }
    }

    func testRepeatedFilesAreProcessedOnceAndDeletedOutputsComeBackFromTheState() throws {
        let dump = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        let dir = try TemporaryDirectory()
        let text = try String(contentsOfFile: dump, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.file("corpus"), withIntermediateDirectories: true)
        _ = try dir.write("corpus/a.jsonl", text)
        _ = try dir.write("corpus/b.jsonl", text)  // the same records again: the same parts
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let pipeline = try dir.write("nightly.toml", """
            [[inputs]]
            path = "corpus/*.jsonl"
            [output]
            directory = "out"
            [run]
            part_bytes = 131072
            """)
        let first = try summary(try run(cli, pipeline))
        let parts = try XCTUnwrap(first["parts"] as? Int)
        XCTAssertEqual(first["records"] as? Int, 2400)
        XCTAssertEqual(first["parts_processed"] as? Int, parts / 2)
        let corpus = try jsonLines(dir.file("out/corpus.jsonl"))
        XCTAssertEqual(corpus.count, 2400)
        for index in stride(from: 1200, to: 2400, by: 23) {
            XCTAssertNil(corpus[index]["text"], "record \(index + 1) repeats a text of a.jsonl")
            XCTAssertNotNil(corpus[index]["hb_same_text_as"])
        }
        let bundle = try Data(contentsOf: URL(fileURLWithPath: dir.file("out/bundle.md")))
        let corpusBytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("out/corpus.jsonl")))

        // Outputs deleted: the next run writes them again from the state, processing nothing.
        try FileManager.default.removeItem(atPath: dir.file("out/corpus.jsonl"))
        let second = try summary(try run(cli, pipeline))
        XCTAssertEqual(second["records_processed"] as? Int, 0)
        XCTAssertEqual(second["outputs_written"] as? Bool, true)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir.file("out/corpus.jsonl"))), corpusBytes)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir.file("out/bundle.md"))), bundle)
    }

    func testDocumentsAreChunkedArchivedAndTraceableToTheirLines() throws {
        let dir = try TemporaryDirectory()
        let footer = "Copyright 2026 Example Corp. All rights reserved. Licensed under the Apache License 2.0."
        var pages: [String: String] = [:]
        for page in 1...6 {
            pages["docs/guide/page\(page).md"] = """
                # Page \(page)

                Intro paragraph for page \(page) explains the widget lifecycle in some detail.

                ## Install

                Run `widget install --channel \(page)` and wait for the index to build.

                \(footer)
                """
        }
        pages["docs/api.rst"] = "Widgets\n=======\n\nThe widget API returns a handle.\n\n\(footer)\n"
        pages["docs/notes.txt"] = "Plain notes about widgets.\n\nSecond paragraph.\n"
        pages["docs/index.html"] = "<html><head><title>x</title><script>var a=1;</script></head><body><h1>Home</h1><p>Welcome &amp; hello.</p></body></html>\n"
        pages["docs/image.png"] = "not a document"
        for (name, text) in pages {
            try FileManager.default.createDirectory(atPath: (dir.file(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = try dir.write(name, text.hasSuffix("\n") ? text : text + "\n")
        }
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let pipeline = try dir.write("docs.toml", """
            [[inputs]]
            path = "docs"
            format = "documents"
            [chunking]
            max_bytes = 400
            [output]
            directory = "out"
            """)
        let result = try run(cli, pipeline)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try summary(result)["files"] as? Int, 9)
        let corpus = try jsonLines(dir.file("out/corpus.jsonl"))
        let sources = Set(corpus.compactMap { $0["source"] as? String })
        XCTAssertEqual(sources, ["api.rst", "notes.txt", "index.html", "guide/page1.md", "guide/page2.md", "guide/page3.md",
                                 "guide/page4.md", "guide/page5.md", "guide/page6.md"])
        for record in corpus {
            // hb_doc expands to the document lines the passage came from.
            let source = try XCTUnwrap(record["source"] as? String)
            guard source.hasSuffix(".md") || source.hasSuffix(".rst") || source.hasSuffix(".txt"),
                  let text = record["text"] as? String else { continue }
            let lines = try XCTUnwrap(record["lines"] as? String).split(separator: "-").compactMap { Int($0) }
            let document = pages["docs/" + source]!.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = document[(lines[0] - 1)..<lines[1]].joined(separator: "\n") + "\n"
            let retrieved = try cli(["retrieve", try XCTUnwrap(record["hb_doc"] as? String)])
            XCTAssertEqual(retrieved.text, expected, source)
            for line in text.split(separator: "\n") { XCTAssertTrue(expected.contains(line), "\(line) not in \(source) \(lines)") }
        }
        let html = try XCTUnwrap(corpus.first { $0["source"] as? String == "index.html" }?["text"] as? String)
        XCTAssertTrue(html.contains("Welcome & hello."), html)
        XCTAssertFalse(html.contains("var a"), html)
        let bundle = try String(contentsOfFile: dir.file("out/bundle.md"), encoding: .utf8)
        XCTAssertTrue(bundle.contains("Run `widget install --channel 3`"))
    }

    func testPipelineFileErrorsNameTheLineAndTheKey() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let cases: [(String, String)] = [
            ("[[inputs]]\npath = \"a.jsonl\"\n[output]\ndirectory = \"out\"\n[dedup]\nnear_duplicate_treshold = 0.9\n",
             "bad.toml:6: dedup.near_duplicate_treshold: unknown key"),
            ("[[inputs]]\npath = \"a.jsonl\"\n[output]\ndirectory = \"out\"\n[dedup]\nnear_duplicate_threshold = \"high\"\n",
             "bad.toml:6: dedup.near_duplicate_threshold: expected a number"),
            ("[[inputs]]\npath = \"a.jsonl\"\n\n[[inputs]]\npath = \"b\"\nformat = \"pdf\"\n[output]\ndirectory = \"out\"\n",
             "bad.toml:6: inputs[2].format: expected \"jsonl\" or \"documents\", got \"pdf\""),
            ("[[inputs]]\npath = \"a.jsonl\"\n  [inputs.fields]\n  text = 3\n[output]\ndirectory = \"out\"\n",
             "bad.toml:4: inputs[1].fields.text: expected a key name"),
            ("[output]\ndirectory = \"out\"\n", "bad.toml: inputs: at least one [[inputs]]"),
            ("[[inputs]]\npath = \"a.jsonl\"\n[output]\ndirectory = \n", "bad.toml:4: not valid TOML"),
            ("[[inputs]]\npath = \"a.jsonl\"\n[run]\njobs = 0\n[output]\ndirectory = \"o\"\n", "bad.toml:4: run.jobs: expected a whole number from 1"),
        ]
        for (text, expected) in cases {
            let pipeline = try dir.write("bad.toml", text)
            let result = try run(cli, pipeline)
            XCTAssertEqual(result.status, 64, text)
            XCTAssertTrue(result.stderr.contains(expected), "\(result.stderr) lacks \(expected)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("out")))
        }
        let missing = try run(cli, dir.file("nope.toml"))
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("nope.toml: cannot read the pipeline file"), missing.stderr)
    }

    func testDryRunSaysWhatWouldHappenAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("corpus.jsonl", "{\"id\":\"a\",\"text\":\"alpha beta gamma\"}\n")
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let pipeline = try dir.write("p.toml", "[[inputs]]\npath = \"corpus.jsonl\"\n[output]\ndirectory = \"out\"\n")
        let dry = try cli(["run", "--dry-run", pipeline])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.text.contains("corpus.jsonl (jsonl) · 1 file"), dry.text)
        XCTAssertTrue(dry.text.contains("not run before: would be read"), dry.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("out")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("archive")))
        XCTAssertEqual(try run(cli, pipeline).status, 0)
        XCTAssertTrue(try cli(["run", "--dry-run", pipeline]).text.contains("nothing changed"))
    }

    func testBadRecordsAndMissingInputsAreErrorsWhileTheRestIsProcessed() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("corpus.jsonl", "{\"id\":\"a\",\"text\":\"alpha beta gamma\"}\nnot json at all\n{\"id\":\"b\",\"text\":\"delta\"}\n")
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let pipeline = try dir.write("p.toml", """
            [[inputs]]
            path = "corpus.jsonl"
            [[inputs]]
            path = "missing/*.jsonl"
            [output]
            directory = "out"
            """)
        let result = try run(cli, pipeline)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("corpus.jsonl · lines 1-3: 1 line is not a JSON record with a text field (first: line 2)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("missing/*.jsonl: no files match this pattern"), result.stderr)
        let corpus = try jsonLines(dir.file("out/corpus.jsonl"))
        XCTAssertEqual(corpus.map { $0["id"] as? String }, ["a", "b"])
        XCTAssertTrue(try String(contentsOfFile: dir.file("out/bundle.md"), encoding: .utf8).contains("not json at all"))
    }

    func testFieldMappingAndMetadataShapeTheCorpus() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("corpus.jsonl", """
            {"chunk_id":"c1","body":"The widget index is rebuilt nightly.","url":"https://docs/a","title":"A","embedding":[0.1,0.2]}
            {"chunk_id":"c2","body":"The  widget index is rebuilt   nightly.","url":"https://docs/b","title":"B","embedding":[0.3,0.4]}
            {"chunk_id":"c3","text":"not the mapped text field","url":"https://docs/c"}

            """)
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let pipeline = try dir.write("p.toml", """
            [[inputs]]
            path = "corpus.jsonl"
            metadata = ["title"]
              [inputs.fields]
              id = "chunk_id"
              text = "body"
              source = "url"
            [output]
            directory = "out"
            """)
        let result = try run(cli, pipeline)
        // The third record has no `body`: an error of its own, the others processed.
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("1 line is not a JSON record with a text field (first: line 3)"), result.stderr)
        let corpus = try jsonLines(dir.file("out/corpus.jsonl"))
        XCTAssertEqual(corpus.map { $0["chunk_id"] as? String }, ["c1", "c2"])
        XCTAssertEqual(corpus[0]["body"] as? String, "The widget index is rebuilt nightly.")
        XCTAssertEqual(corpus[0]["title"] as? String, "A")
        XCTAssertEqual(corpus[0]["url"] as? String, "https://docs/a")
        XCTAssertNil(corpus[0]["embedding"], "only the mapped fields and the metadata keys are carried")
        // The same text up to whitespace: the second record points to the first by its mapped id.
        XCTAssertEqual(corpus[1]["hb_same_text_as"] as? String, "c1")
        XCTAssertNil(corpus[1]["body"])
        let byID = try cli(["retrieve", "--id", "c2"])
        XCTAssertTrue(byID.text.hasPrefix("{\"chunk_id\":\"c2\""), byID.text)
    }
}
