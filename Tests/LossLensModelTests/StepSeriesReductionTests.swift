import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensReport

final class StepSeriesReductionTests: XCTestCase {
    /// 10 epochs of 1000 steps; a NaN at step 4321 and +inf at 7000.
    private func points() -> [MetricPoint] {
        (0..<10_000).map { index in
            var value = 2.0 / Double(index + 1) + Double(index % 7) * 0.001
            if index == 4321 { value = .nan }
            if index == 7000 { value = .infinity }
            return MetricPoint(epoch: index / 1000 + 1, step: index + 1, value: value, line: index + 1)
        }
    }

    private func exact(_ points: [MetricPoint]) -> MetricSeries {
        MetricSeries(name: MetricName(raw: "loss"), granularity: .step, points: points)
    }

    private func reduced(_ points: [MetricPoint], limit: Int) -> MetricSeries {
        var buffer = StepSeriesBuffer(limit: limit)
        points.forEach { buffer.append($0) }
        let (kept, reduction) = buffer.finish()
        return MetricSeries(name: MetricName(raw: "loss"), granularity: .step, points: kept, reduction: reduction)
    }

    func testUpToTheLimitEveryPointIsKept() {
        let all = Array(points().prefix(500))
        let series = reduced(all, limit: 500)
        XCTAssertEqual(series.points, all)
        XCTAssertNil(series.reduction)
    }

    func testPerEpochAggregatesStayExactWhenReduced() {
        let all = points()
        let series = reduced(all, limit: 256)
        XCTAssertEqual(series.reduction?.originalCount, 10_000)
        XCTAssertLessThanOrEqual(series.points.count, 256 + 6)
        let fromAll = exact(all).aggregatedPerEpoch()
        let fromReduced = series.aggregatedPerEpoch()
        XCTAssertEqual(fromReduced.points.map(\.epoch), fromAll.points.map(\.epoch))
        XCTAssertEqual(fromReduced.points.map(\.line), fromAll.points.map(\.line))
        for (a, b) in zip(fromReduced.points, fromAll.points) {
            XCTAssertTrue(a.value.bitPattern == b.value.bitPattern || (a.value.isNaN && b.value.isNaN), "epoch \(a.epoch!)")
        }
        let third = series.reduction!.epochs[2]
        let thirdPoints = all.filter { $0.epoch == 3 }
        XCTAssertEqual(third.count, 1000)
        XCTAssertEqual(third.minimum, thirdPoints.map(\.value).filter(\.isFinite).min())
        XCTAssertEqual(third.maximum, thirdPoints.map(\.value).filter(\.isFinite).max())
    }

    func testTheSampleKeepsFirstLastAndTheFirstNonFinitePointsInOrder() {
        let all = points()
        let series = reduced(all, limit: 100)
        let steps = series.points.compactMap(\.step)
        XCTAssertEqual(steps, steps.sorted(), "logged order")
        XCTAssertEqual(Set(steps).count, steps.count, "no duplicates")
        XCTAssertEqual(steps.first, 1)
        XCTAssertEqual(steps.last, 10_000)
        XCTAssertTrue(steps.contains(4322) && steps.contains(4321), "the first NaN and the value before it")
        XCTAssertTrue(steps.contains(7001), "the first +inf")
        XCTAssertEqual(series.reduction?.epochs[4].firstNonFinite?.step, 4322)
        let finding = NonFiniteDetector().findings(in: Run(source: "s", format: .pytorchConsole, name: "r", series: [series]))
        XCTAssertEqual(finding.first?.evidence.first?.step, 4322)
    }

    /// The pinned points merged into the sample in place: a NaN on a sampled index and a +inf right
    /// after it pin the NaN twice; every index appears once, in order, with its own value.
    func testPinnedPointsOnSampledIndicesAppearOnce() {
        let all = (0..<10_000).map { index in
            MetricPoint(epoch: index / 1000 + 1, step: index + 1,
                        value: index == 4096 ? .nan : index == 4097 ? .infinity : Double(index), line: index + 1)
        }
        let series = reduced(all, limit: 100)
        let steps = series.points.compactMap(\.step)
        XCTAssertEqual(steps, Array(Set(steps)).sorted(), "logged order, no duplicates")
        XCTAssertTrue([4096, 4097, 4098, 10_000].allSatisfy(steps.contains), "\(steps)")
        for point in series.points {
            let original = all[point.step! - 1]
            XCTAssertTrue(point.value.bitPattern == original.value.bitPattern, "step \(point.step!)")
        }
    }

    func testReductionIsDeterministic() {
        let first = reduced(points(), limit: 300), second = reduced(points(), limit: 300)
        XCTAssertEqual(first.points.map(\.step), second.points.map(\.step))
        XCTAssertEqual(first.points.map(\.value.bitPattern), second.points.map(\.value.bitPattern))
    }

    func testTheAssemblerReducesLongStepSeriesAndTheJSONSaysSo() throws {
        var assembler = RunAssembler(source: "big.log", format: .pytorchConsole)
        let count = StepSeriesBuffer.exactLimit * 2 + 5000
        for index in 0..<count {
            assembler.add(MetricRecord(epoch: Double(index / 50_000 + 1), step: index + 1,
                                       values: [(MetricName(raw: "loss"), 1.0 + Double(index % 10))], line: index + 1))
        }
        let run = try XCTUnwrap(assembler.finish().first)
        let steps = try XCTUnwrap(run.series(named: "loss", granularity: .step))
        XCTAssertEqual(steps.reduction?.originalCount, count)
        XCTAssertLessThanOrEqual(steps.points.count, StepSeriesBuffer.exactLimit + 2)
        let epochs = try XCTUnwrap(run.series(named: "loss"))
        XCTAssertEqual(epochs.points.map(\.epoch), [1, 2, 3])
        XCTAssertEqual(epochs.points[0].value, 5.5, accuracy: 1e-12)
        let json = JSONReport.render(AnalysisReport(runs: [AnalyzedRun(run: run, findings: [])], errors: []))
        XCTAssertTrue(json.contains("\"reducedFrom\" : \(count)") || json.contains("\"reducedFrom\": \(count)") || json.contains("\"reducedFrom\":\(count)"))
    }
}
