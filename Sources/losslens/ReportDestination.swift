import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

/// Where a report goes: standard output, or the file of `--output`. Reports are written in pieces
/// as they are made, so a megabytes-long JSON report is never held whole.
struct ReportDestination {
    /// The file, or nil for standard output.
    let path: String?

    /// Runs `produce`, writing each piece it hands over.
    func write(_ produce: ((ByteView) -> Void) -> Void) throws {
        guard let path else {
            // A closed pipe (`losslens ... | head`) ends the writing quietly.
            var open = true
            produce { piece in
                if open { open = piece.write(to: STDOUT_FILENO) }
            }
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("Cannot write the report to \(path): \(String(cString: strerror(errno))).")
        }
        defer { try? handle.close() }
        var failure: Error?
        produce { piece in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(piece)) } catch { failure = error }
        }
        if let failure {
            throw ValidationError("Cannot write the report to \(path): \(failure.localizedDescription)")
        }
    }

    func write(_ text: String) throws {
        try write { emit in text.withByteView(emit) }
    }

    /// The report as `renderer` writes it, piece by piece.
    func write(_ report: AnalysisReport, with renderer: any ReportRenderer) throws {
        try write { emit in
            renderer.writeBytes(report, to: emit)
        }
    }
}

