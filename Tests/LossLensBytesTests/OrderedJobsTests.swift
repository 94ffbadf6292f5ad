import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes

/// Results are consumed on worker threads, one at a time and in job order, however the jobs
/// finish; a consumer that wants no more, or throws, stops the starting of jobs.
final class OrderedJobsTests: XCTestCase {
    private struct Failure: Error, Equatable {}

    /// Records what was consumed and what started; a lock would hide a second consumer running at
    /// the same time, so overlapping calls are counted instead.
    private final class Consumer: @unchecked Sendable {
        var consumed: [Int] = []
        var overlaps = 0
        private(set) var started = 0
        private(set) var mostAhead = 0
        private var inside = 0
        private let lock = NSLock()

        func start(_ index: Int) -> Int {
            lock.withLock {
                started += 1
                mostAhead = max(mostAhead, index - consumed.count)
            }
            usleep(UInt32.random(in: 0...300))
            return index
        }

        func consume(_ value: Int) {
            lock.withLock { inside += 1; if inside > 1 { overlaps += 1 } }
            usleep(UInt32.random(in: 0...200))
            lock.withLock { consumed.append(value) }
            lock.withLock { inside -= 1 }
        }
    }

    func testResultsAreConsumedInOrderOneAtATime() throws {
        for workers in [1, 2, 4] {
            let consumer = Consumer()
            try OrderedJobs<Int>.run(count: 300, workers: workers, limit: 4, job: consumer.start) { value in
                consumer.consume(value)
                return true
            }
            XCTAssertEqual(consumer.consumed, Array(0..<300), "\(workers) workers")
            XCTAssertEqual(consumer.overlaps, 0, "\(workers) workers")
            XCTAssertLessThan(consumer.mostAhead, 4, "no job starts `limit` results ahead of the consumer")
        }
    }

    func testAConsumerThatWantsNoMoreStopsTheStarting() throws {
        let consumer = Consumer()
        try OrderedJobs<Int>.run(count: 1000, workers: 2, limit: 2, job: consumer.start) { value in
            consumer.consume(value)
            return value < 10
        }
        XCTAssertEqual(consumer.consumed, Array(0...10))
        XCTAssertLessThanOrEqual(consumer.started, 10 + 1 + 2, "at most `limit` jobs past the last one wanted")
    }

    func testWhatTheConsumerThrowsIsThrownAndStopsTheStarting() {
        let consumer = Consumer()
        XCTAssertThrowsError(try OrderedJobs<Int>.run(count: 1000, workers: 3, limit: 3, job: consumer.start) { value in
            if value == 5 { throw Failure() }
            return true
        }) { XCTAssertEqual($0 as? Failure, Failure()) }
        XCTAssertLessThanOrEqual(consumer.started, 5 + 1 + 3)
    }

    func testNoJobsIsNoWork() throws {
        try OrderedJobs<Int>.run(count: 0, workers: 2, limit: 2, job: { _ in XCTFail("no job to run"); return 0 }) { _ in
            XCTFail("nothing to consume")
            return true
        }
    }
}
