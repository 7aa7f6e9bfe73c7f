@testable import HeadroomBatch
import TestSupport
import XCTest

final class KindDetectorTests: XCTestCase {
    private func kind(_ text: String, path: String? = nil) -> KindDetection {
        Array(text.utf8).withUnsafeBytes { KindDetector.detect($0, path: path) }
    }

    private func kind(ofDataset relative: String) throws -> KindDetection {
        let path = try Paths.dataset(relative)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return bytes.withUnsafeBytes { KindDetector.detect($0, path: path) }
    }

    func testRealToolOutputsLogsAndCorpora() throws {
        let expected: [(String, ContentKind)] = [
            ("tool-outputs/code-search/pytest_rg_context3_TODO_FIXME_XXX.txt", .search),
            ("tool-outputs/code-search/pytest_rg_def_test_all_5791.txt", .search),
            ("tool-outputs/code-search/pytest_rg_import_os.txt", .search),
            ("tool-outputs/code-search/pytest_rg_json_raise_ValueError.jsonl", .search),
            ("tool-outputs/diffs/pytest_diff_9.1.0..9.1.1.diff", .diff),
            ("tool-outputs/diffs/pytest_git_log_p_n50.diff", .diff),
            ("tool-outputs/json/labels.raw-fixture.json", .json),
            ("tool-outputs/json/search-issues.normalized-fixture.json", .json),
            ("tool-outputs/json/LICENSE.md", .text),
            ("rag/python311_docs_retrieval_dump_bm25_top10.jsonl", .rag),
            ("rag/python311_docs_queries.jsonl", .jsonl),
            ("loghub-2k/Apache/Apache_2k.log", .log),
            ("loghub-2k/HDFS/HDFS_2k.log", .log),
            ("loghub-2k/OpenSSH/OpenSSH_2k.log", .log),
            ("logdx-dev/cargo-tokio-001/raw.log", .log),
        ]
        for (relative, expectedKind) in expected {
            XCTAssertEqual(try kind(ofDataset: relative).kind, expectedKind, relative)
        }
        XCTAssertTrue(try kind(ofDataset: "logdx-dev/pytest-pandas-001/raw.log").reason.contains("with CI runner timestamps"))
        XCTAssertFalse(try kind(ofDataset: "loghub-2k/Linux/Linux_2k.log").reason.contains("CI"))
    }

    func testShapesWrittenHere() {
        XCTAssertEqual(kind("<!DOCTYPE html>\n<html><head><title>x</title></head>\n<body><p>hi</p></body></html>\n").kind, .html)
        XCTAssertEqual(kind("id,name,price\n1,lamp,12.50\n2,desk,180.00\n3,chair,75.25\n").kind, .csv)
        XCTAssertEqual(kind("id\tname\tprice\n1\tlamp\t12.50\n2\tdesk\t180.00\n").kind, .csv)
        XCTAssertEqual(kind("src/a.py\nsrc/b/c.py\ndocs/index.md\n").kind, .search, "rg --files-with-matches")
        XCTAssertEqual(kind("src/a.py:3\nsrc/b/c.py:12\n").kind, .search, "rg --count")
        XCTAssertEqual(kind("{\"ts\":\"2026-01-01T00:00:00Z\",\"level\":\"info\",\"msg\":\"up\"}\n{\"ts\":\"2026-01-01T00:00:01Z\",\"level\":\"error\",\"msg\":\"down\"}\n").kind, .jsonl)
        XCTAssertEqual(kind("{\n  \"items\": [1, 2, 3]\n}\n").kind, .json)
        XCTAssertEqual(kind("[\n  {\"a\": 1}\n]\n").kind, .json)
        XCTAssertEqual(kind("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok\n[Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6\n").kind, .log)
        let python = "import os\nfrom typing import List\n\n\ndef main(argv: List[str]) -> int:\n    return len(argv)\n\n\nclass Runner:\n    pass\n"
        XCTAssertEqual(kind(python).kind, .code, "code by its content, without a name")
        XCTAssertEqual(kind("x = 1\n", path: "tool/run.rs").kind, .code)
        XCTAssertEqual(kind("# Title\n\nSome prose that explains what the tool does, in a sentence.\n\n- a point\n- another point\n").kind, .text)
        XCTAssertEqual(kind("commit 0123456789abcdef0123456789abcdef01234567\nAuthor: A <a@example.com>\nDate:   Mon Jan 1\n\n    fix\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n").kind, .diff)
    }
}
