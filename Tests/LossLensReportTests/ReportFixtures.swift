import Foundation
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// The report tests' fixture logs and goldens, under `Fixtures/reports/`.
extension ReportTestSupport {
    static func fixtureURL(_ name: String) throws -> URL {
        try TestFixtures.url("reports/\(name)")
    }

    /// The runs of a fixture log, with the file name (not the machine's path) as their source.
    static func fixtureRuns(_ name: String) throws -> [Run] {
        let data = try Data(contentsOf: try fixtureURL(name))
        return try Analyzer().parse(LogInput(source: name, data: data))
    }
}
