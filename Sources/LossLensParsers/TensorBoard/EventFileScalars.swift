import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// The scalars of one event file and the split its folder names (`train/`, `validation/`).
@_spi(Layers) public struct EventFileScalars {
    @_spi(Layers) public let relativePath: String
    @_spi(Layers) public let split: Split?
    @_spi(Layers) public var scalars: [(scalar: TensorBoardScalar, record: Int)] = []
    @_spi(Layers) public var recordCount = 0
    /// Where and why reading stopped early.
    @_spi(Layers) public var damage: (record: Int, problem: String)?

    @_spi(Layers) public init(relativePath: String, content: LogContent) throws {
        self.relativePath = relativePath
        let folder = ((relativePath as NSString).deletingLastPathComponent as NSString).lastPathComponent.lowercased()
        split = InputCollector.splitFolders.contains(folder) ? MetricName(raw: folder + "_x").split : nil
        var undecodable: (record: Int, problem: String)?
        let framingDamage = try TFRecordReader.forEachRecord(in: content) { record, number in
            do {
                scalars += try TensorBoardScalar.scalars(inEvent: Data(record))
                    .filter { CSVColumns.position(Double($0.step)) != nil }
                    .map { ($0, number) }
                recordCount += 1
                return true
            } catch let error as ProtobufError {
                // The framing checksum held, so the writer stored a message losslens cannot decode.
                undecodable = (number, "the record is not a valid Event message (\(error.reason))")
            } catch {
                undecodable = (number, "the record could not be decoded")
            }
            return false
        }
        damage = undecodable ?? framingDamage.map { ($0.record, $0.problem.description) }
    }
}
