import Foundation
import XCTest

@testable import LossLensCore

/// Results are consumed on worker threads, one at a time and in submission order, however the jobs
/// finish; a consumer that wants no more, or throws, stops the submitting.
final class OrderedJobsTests: XCTestCase {
    private struct Failure: Error, Equatable {}

    /// Records what was consumed; a lock would hide a second consumer running at the same time,
    /// so overlapping calls are counted instead.
    private final class Consumer: @unchecked Sendable {
        var consumed: [Int] = []
        var overlaps = 0
        private var inside = 0
        private let lock = NSLock()

        func consume(_ value: Int) {
            lock.withLock { inside += 1; if inside > 1 { overlaps += 1 } }
            usleep(UInt32.random(in: 0...200))
            consumed.append(value)
            lock.withLock { inside -= 1 }
        }
    }

    func testResultsAreConsumedInOrderOneAtATime() throws {
        let consumer = Consumer()
        let jobs = OrderedJobs<Int>(limit: 4) { value in
            consumer.consume(value)
            return true
        }
        for index in 0..<300 {
            XCTAssertTrue(try jobs.submit {
                usleep(UInt32.random(in: 0...300))
                return index
            })
        }
        try jobs.finish()
        XCTAssertEqual(consumer.consumed, Array(0..<300))
        XCTAssertEqual(consumer.overlaps, 0)
    }

    func testAConsumerThatWantsNoMoreStopsTheSubmitting() throws {
        let consumer = Consumer()
        let jobs = OrderedJobs<Int>(limit: 2) { value in
            consumer.consume(value)
            return value < 10
        }
        var submitted = 0
        while submitted < 1000 {
            let value = submitted
            guard try jobs.submit({ value }) else { break }
            submitted += 1
        }
        try jobs.finish()
        XCTAssertEqual(consumer.consumed, Array(0...10))
        XCTAssertLessThanOrEqual(submitted, 10 + 1 + 2, "at most `limit` jobs past the last one wanted")
    }

    func testWhatTheConsumerThrowsReachesTheSubmitter() {
        let jobs = OrderedJobs<Int>(limit: 3) { value in
            if value == 5 { throw Failure() }
            return true
        }
        XCTAssertThrowsError(try {
            for index in 0..<1000 { _ = try jobs.submit { index } }
            try jobs.finish()
        }()) { XCTAssertEqual($0 as? Failure, Failure()) }
        jobs.abandon()
    }
}
