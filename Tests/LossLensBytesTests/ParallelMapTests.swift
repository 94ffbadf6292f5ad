import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes

final class ParallelMapTests: XCTestCase {
    func testResultsKeepInputOrderForAnyWorkerCount() {
        let inputs = Array(0..<200)
        for workers in [1, 2, 3, 16, 500] {
            XCTAssertEqual(ParallelMap.map(inputs, workers: workers) { $0 * $0 }, inputs.map { $0 * $0 }, "\(workers) workers")
        }
        XCTAssertEqual(ParallelMap.map([Int](), workers: 4) { $0 }, [])
    }

    func testOneJobRunsOnOneThreadAtATime() {
        let active = ManagedCounter()
        _ = ParallelMap.map(Array(0..<50), workers: 1) { value -> Int in
            active.enter()
            defer { active.leave() }
            return value
        }
        XCTAssertEqual(active.maximum, 1)
    }

    func testTheJobCountComesFromTheEnvironment() {
        XCTAssertEqual(ParallelMap.workerCount(environment: ["LOSSLENS_JOBS": "1"]), 1)
        XCTAssertEqual(ParallelMap.workerCount(environment: ["LOSSLENS_JOBS": "3"]), 3)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        XCTAssertEqual(ParallelMap.workerCount(environment: ["LOSSLENS_JOBS": "0"]), cores)
        XCTAssertEqual(ParallelMap.workerCount(environment: ["LOSSLENS_JOBS": "many"]), cores)
        XCTAssertEqual(ParallelMap.workerCount(environment: [:]), cores)
    }
}

/// Counts how many workers are inside a section at once.
private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var maximum = 0

    func enter() {
        lock.lock()
        current += 1
        maximum = max(maximum, current)
        lock.unlock()
    }

    func leave() {
        lock.lock()
        current -= 1
        lock.unlock()
    }
}
