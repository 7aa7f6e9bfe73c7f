@testable import HeadroomBatch
import XCTest

final class LineLevelTests: XCTestCase {
    private func level(_ line: String) -> LineLevel {
        Array(line.utf8).withUnsafeBytes { LineLevel.detect($0) }
    }

    func testHeaderLevelsOfCommonFormats() {
        XCTAssertEqual(level("081109 214043 2561 WARN dfs.DataNode$DataXceiver: Got exception"), .warn)
        XCTAssertEqual(level("2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce"), .info)
        XCTAssertEqual(level("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6"), .error)
        XCTAssertEqual(level("- 1117838570 2005.06.03 R02-M1-N0 RAS KERNEL FATAL data storage interrupt"), .fatal)
        XCTAssertEqual(level("2026-03-14T09:26:53.123Z level=warn msg=\"slow query\""), .warn)
        XCTAssertEqual(level("error: could not compile `tokio` due to previous error"), .error)
        XCTAssertEqual(level("17/06/09 20:10:40 DEBUG executor.Executor: Running task"), .debug)
    }

    func testMessageWordsAreNotLevels() {
        XCTAssertEqual(level("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname="), .none)
        XCTAssertEqual(level("connection error while reading response"), .none)
        XCTAssertEqual(level("INFORMATION about ERRORS"), .none)
    }
}
