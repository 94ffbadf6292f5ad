import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

/// Builders shared by the report tests: series from plain arrays, runs from fixture logs.
enum ReportTestSupport {
    static func series(_ raw: String, _ values: [Double?], firstLine: Int = 1) -> MetricSeries {
        let points = values.enumerated().compactMap { index, value in
            value.map { MetricPoint(epoch: index + 1, value: $0, line: firstLine + index) }
        }
        return MetricSeries(name: MetricName(raw: raw), granularity: .epoch, points: points)
    }

    static func run(_ series: [MetricSeries], source: String = "train.log", name: String = "run 1") -> Run {
        Run(source: source, format: .kerasConsole, name: name, series: series)
    }

    static func fixtureURL(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/reports/\(name)")
    }

    /// The runs of a fixture log, with the file name (not the machine's path) as their source.
    static func fixtureRuns(_ name: String) throws -> [Run] {
        let data = try Data(contentsOf: try fixtureURL(name))
        return try Analyzer().parse(LogInput(source: name, data: data))
    }
}
