import CFuzzDriver
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

/// What every fuzz target does with one input: sniff it, parse it, run the detectors on what was
/// parsed and render every report format. A crash, a hang (libFuzzer's -timeout) or a sanitizer
/// error anywhere on that path is a finding; thrown errors are the expected way to refuse input.
public enum FuzzHarness {
    /// Compiled once: pattern compilation is not what is being fuzzed.
    public static let library: PatternLibrary = {
        do {
            return try PatternLibrary.bundled()
        } catch {
            fatalError("the bundled patterns do not compile: \(error)")
        }
    }()

    private static let analyzer: Analyzer = {
        do {
            return try Analyzer()
        } catch {
            fatalError("the analyzer cannot be created: \(error)")
        }
    }()

    public static func run(_ parser: any LogParser, on input: LogInput) {
        _ = parser.confidence(for: input)
        guard let runs = try? parser.parse(input) else { return }
        let analyzed = runs.map { AnalyzedRun(run: $0, findings: analyzer.findings(for: $0)) }
        let report = AnalysisReport(runs: analyzed, errors: [])
        _ = MarkdownReport.render(report)
        _ = JSONReport.render(report)
        _ = TextReport.render(report, colored: true)
        _ = JUnitReport.render(report, failOn: .warning)
    }

    /// What the running target does with one input; libFuzzer calls back through a C function
    /// pointer, which cannot capture it.
    nonisolated(unsafe) static var body: (Data) -> Void = { _ in }

    /// Hands the process to libFuzzer (its options are the command-line arguments) with `body` as
    /// the function under test; never returns.
    public static func main(_ body: @escaping (Data) -> Void) -> Never {
        self.body = body
        exit(losslens_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzOneInput))
    }
}

/// The function under test, as libFuzzer names it: the linker needs this symbol even though the
/// driver is started from Swift's `main` and given it explicitly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    // The buffer is only valid during the call, so it is copied.
    FuzzHarness.body(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
