import Foundation

/// The scalars of one event file and the split its folder names (`train/`, `validation/`).
struct EventFileScalars {
    let relativePath: String
    let split: Split?
    var scalars: [(scalar: TensorBoardScalar, record: Int)] = []
    var recordCount = 0
    /// Where and why reading stopped early.
    var damage: (record: Int, problem: String)?

    init(relativePath: String, data: Data) {
        self.relativePath = relativePath
        let folder = ((relativePath as NSString).deletingLastPathComponent as NSString).lastPathComponent.lowercased()
        split = InputCollector.splitFolders.contains(folder) ? MetricName(raw: folder + "_x").split : nil
        let reader = TFRecordReader(data)
        for (index, record) in reader.records.enumerated() {
            do {
                scalars += try TensorBoardScalar.scalars(inEvent: record)
                    .filter { CSVColumns.position(Double($0.step)) != nil }
                    .map { ($0, index + 1) }
                recordCount += 1
            } catch let error as ProtobufError {
                // The framing checksum held, so the writer stored a message losslens cannot decode.
                damage = (index + 1, "the record is not a valid Event message (\(error.reason))")
                return
            } catch {
                damage = (index + 1, "the record could not be decoded")
                return
            }
        }
        if let (record, problem) = reader.damage { damage = (record, problem.description) }
    }
}
