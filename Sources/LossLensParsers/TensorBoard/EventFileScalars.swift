import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// One scalar of an event file as a run takes it: its metric, whether it is per epoch, its step
/// (the epoch of a per-epoch tag), when it was written and the record that holds it.
struct EventScalar {
    var name: MetricName
    var perEpoch: Bool
    var step: Int
    var value: Double
    var wallTime: Double
    var record: Int
}

/// What the first reading of one event file keeps: the split its folder names (`train/`,
/// `validation/`), its per-epoch scalars, how many records it has and where and why reading
/// stopped early. Its per-step scalars are read again, a step at a time, when the run is assembled
/// (`EventFileSteps`); only a file whose steps go back is held whole, sorted by step.
@_spi(Layers) public struct EventFileScalars {
    @_spi(Layers) public let relativePath: String
    @_spi(Layers) public let split: Split?
    let content: LogContent
    /// In file order.
    private(set) var epochScalars: [EventScalar] = []
    /// The per-step scalars sorted by step, when a step is lower than one before it in the file.
    private(set) var heldStepScalars: [EventScalar]?
    @_spi(Layers) public private(set) var recordCount = 0
    /// Where and why reading stopped early.
    @_spi(Layers) public private(set) var damage: (record: Int, problem: String)?

    /// `holdingSteps` holds the per-step scalars even when the steps never go back (tests compare
    /// the two readings).
    @_spi(Layers) public init(relativePath: String, content: LogContent, holdingSteps: Bool = false) throws {
        self.relativePath = relativePath
        self.content = content
        let folder = ((relativePath as NSString).deletingLastPathComponent as NSString).lastPathComponent.lowercased()
        split = InputCollector.splitFolders.contains(folder) ? MetricName(raw: folder + "_x").split : nil
        var reader = try EventScalarReader(content: content, split: split, records: nil)
        var lastStep = Int.min
        var stepsGoBack = false
        var epochScalars: [EventScalar] = []
        while let scalars = try reader.nextRecord() {
            for scalar in scalars {
                if scalar.perEpoch {
                    epochScalars.append(scalar)
                } else {
                    stepsGoBack = stepsGoBack || scalar.step < lastStep
                    lastStep = scalar.step
                }
            }
        }
        self.epochScalars = epochScalars
        recordCount = reader.recordsRead
        damage = reader.damage
        if stepsGoBack || holdingSteps { heldStepScalars = try Self.stepScalarsSorted(of: self) }
    }

    /// The per-step scalars of a file whose steps go back, in step order (the file's order within a step).
    private static func stepScalarsSorted(of file: EventFileScalars) throws -> [EventScalar] {
        var reader = try EventScalarReader(content: file.content, split: file.split, records: file.recordCount)
        var scalars: [EventScalar] = []
        while let record = try reader.nextRecord() { scalars += record.filter { !$0.perEpoch } }
        return scalars.enumerated().sorted { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }.map(\.element)
    }

    /// The per-step scalars in step order, a step at a time.
    func steps() throws -> EventFileSteps {
        if let heldStepScalars { return EventFileSteps(held: heldStepScalars) }
        return EventFileSteps(reader: try EventScalarReader(content: content, split: split, records: recordCount))
    }
}

/// Reads the scalars of an event file a record at a time, up to `records` records (those the first
/// reading decoded), and stops at the first record that is damaged or not an Event message.
struct EventScalarReader {
    private var stream: TFRecordStream?
    private let split: Split?
    private let records: Int?
    private var metrics: [String: (MetricName, perEpoch: Bool)] = [:]
    private(set) var recordsRead = 0
    private(set) var damage: (record: Int, problem: String)?

    init(content: LogContent, split: Split?, records: Int?) throws {
        stream = try TFRecordStream(content)
        self.split = split
        self.records = records
    }

    /// The scalars of the next record, nil when reading has stopped.
    mutating func nextRecord() throws -> [EventScalar]? {
        // Taken out while it reads, so that its buffers are not shared (and copied) meanwhile.
        guard recordsRead < records ?? .max, var stream = stream.take() else { return nil }
        let decoded = try stream.next { data, number -> Result<[EventScalar], Undecodable> in
            do {
                return .success(try scalars(inEvent: Data(data), record: number))
            } catch let error as ProtobufError {
                return .failure(.notAnEvent(error.reason))
            } catch {
                return .failure(.other)
            }
        }
        switch decoded {
        case let .success(scalars)?:
            recordsRead += 1
            self.stream = stream
            return scalars
        case .failure(.notAnEvent(let reason))?:
            // The framing checksum held, so the writer stored a message losslens cannot decode.
            damage = (stream.number, "the record is not a valid Event message (\(reason))")
        case .failure(.other)?:
            damage = (stream.number, "the record could not be decoded")
        case nil:
            damage = stream.damage.map { (stream.number, $0.description) }
        }
        return nil
    }

    private enum Undecodable: Error {
        case notAnEvent(String)
        case other
    }

    private mutating func scalars(inEvent data: Data, record: Int) throws -> [EventScalar] {
        try TensorBoardScalar.scalars(inEvent: data)
            .filter { CSVColumns.position(Double($0.step)) != nil }
            .map { scalar in
                let (name, perEpoch) = metric(for: scalar.tag)
                return EventScalar(name: name, perEpoch: perEpoch, step: scalar.step, value: scalar.value, wallTime: scalar.wallTime,
                                   record: record)
            }
    }

    /// Files repeat a handful of tags: each is named once.
    private mutating func metric(for tag: String) -> (MetricName, perEpoch: Bool) {
        if let known = metrics[tag] { return known }
        let metric = TensorBoardRecords.metric(for: tag, folderSplit: split)
        metrics[tag] = metric
        return metric
    }
}

/// The per-step scalars of one event file in step order, a step at a time: read from the file when
/// its steps never go back, taken from the sorted scalars otherwise.
struct EventFileSteps {
    private var reader: EventScalarReader?
    private var held: [EventScalar] = []
    private var next = 0
    /// Scalars read past the current step, of the next one.
    private var pending: [EventScalar] = []

    init(reader: EventScalarReader) {
        self.reader = reader
    }

    init(held: [EventScalar]) {
        self.held = held
    }

    /// The scalars of the next step, in file order; nil after the last.
    mutating func nextStep() throws -> [EventScalar]? {
        guard reader != nil else { return nextHeldStep() }
        var step = pending
        pending = []
        while true {
            guard let record = try reader?.nextRecord() else {
                reader = nil
                break
            }
            let perStep = record.filter { !$0.perEpoch }
            guard let first = perStep.first else { continue }
            // Every scalar of an event has the event's step.
            if let current = step.first, current.step != first.step {
                pending = perStep
                break
            }
            step += perStep
        }
        return step.isEmpty ? nil : step
    }

    /// How many scalars of the next step were read ahead.
    var readAhead: Int { pending.count }

    private mutating func nextHeldStep() -> [EventScalar]? {
        guard next < held.count else { return nil }
        let start = next
        while next < held.count, held[next].step == held[start].step { next += 1 }
        return Array(held[start..<next])
    }
}
