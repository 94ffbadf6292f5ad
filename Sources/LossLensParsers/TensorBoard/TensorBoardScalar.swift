import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// One scalar summary value of a TensorBoard event.
///
/// Decodes `Event{wall_time=1 double, step=2 int64, summary=5}`, `Summary{value=1 repeated}`,
/// `Value{tag=1, simple_value=2 float, tensor=8, metadata=9}` and
/// `TensorProto{dtype=1, tensor_shape=2, tensor_content=4, float_val=5, double_val=6}` (TF2 writes
/// scalars as rank-0 tensors). Histograms, images, text and graphs are not scalars and are skipped.
@_spi(Layers) public struct TensorBoardScalar: Equatable {
    var tag: String
    @_spi(Layers) public var step: Int
    var wallTime: Double
    @_spi(Layers) public var value: Double

    private static let floatType: UInt64 = 1
    private static let doubleType: UInt64 = 2

    @_spi(Layers) public static func scalars(inEvent data: Data) throws -> [TensorBoardScalar] {
        var reader = ProtobufReader(data)
        var step = 0
        var wallTime = 0.0
        var summaries: [Data] = []
        while let field = try reader.next() {
            switch field.number {
            case 1: wallTime = field.value.double ?? wallTime
            case 2: step = field.value.integer.map { Int(clamping: $0) } ?? step
            case 5: if let summary = field.value.data { summaries.append(summary) }
            default: break
            }
        }
        var scalars: [TensorBoardScalar] = []
        for summary in summaries {
            var summaryReader = ProtobufReader(summary)
            while let field = try summaryReader.next() {
                guard field.number == 1, let value = field.value.data, let (tag, number) = try scalar(inValue: value)
                else { continue }
                scalars.append(TensorBoardScalar(tag: tag, step: step, wallTime: wallTime, value: number))
            }
        }
        return scalars
    }

    private static func scalar(inValue data: Data) throws -> (String, Double)? {
        var reader = ProtobufReader(data)
        var tag: String?
        var value: Double?
        var pluginName: String?
        while let field = try reader.next() {
            switch field.number {
            case 1: tag = field.value.data.map { String(decoding: $0, as: UTF8.self) }
            case 2: value = field.value.float.map(Double.init)
            case 8: if let tensor = field.value.data { value = try scalar(inTensor: tensor) }
            case 9: if let metadata = field.value.data { pluginName = try self.pluginName(inMetadata: metadata) }
            default: break
            }
        }
        // Only the first value of a tag carries metadata; a named plugin other than scalars is not a curve.
        if let pluginName, !pluginName.isEmpty, pluginName != "scalars" { return nil }
        guard let tag, let value else { return nil }
        return (tag, value)
    }

    /// The value of a one-element float or double tensor; nil for anything else.
    private static func scalar(inTensor data: Data) throws -> Double? {
        var reader = ProtobufReader(data)
        var dtype: UInt64 = 0
        var elementCount = 1
        var values: [Double] = []
        var content: Data?
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case let (1, .varint(type)): dtype = type
            case let (2, .bytes(shape)): elementCount = try self.elementCount(inShape: shape)
            case let (4, .bytes(bytes)): content = bytes
            case let (5, .fixed32(bits)): values.append(Double(Float(bitPattern: bits)))
            case let (5, .bytes(packed)): values += ProtobufReader.packed(packed, size: 4).map { Double(Float(bitPattern: UInt32($0))) }
            case let (6, .fixed64(bits)): values.append(Double(bitPattern: bits))
            case let (6, .bytes(packed)): values += ProtobufReader.packed(packed, size: 8).map { Double(bitPattern: $0) }
            default: break
            }
        }
        guard elementCount == 1, dtype == floatType || dtype == doubleType else { return nil }
        if let content {
            let size = dtype == floatType ? 4 : 8
            guard content.count == size, let bits = ProtobufReader.packed(content, size: size).first else { return nil }
            return dtype == floatType ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
        }
        return values.count == 1 ? values[0] : nil
    }

    /// `TensorShapeProto{dim=2 repeated Dim{size=1}}`: the product of the sizes (1 for a rank-0 tensor).
    private static func elementCount(inShape data: Data) throws -> Int {
        var reader = ProtobufReader(data)
        var count = 1
        while let field = try reader.next() {
            guard field.number == 2, let dimension = field.value.data else { continue }
            var dimensionReader = ProtobufReader(dimension)
            while let dimensionField = try dimensionReader.next() {
                guard dimensionField.number == 1, let size = dimensionField.value.integer else { continue }
                let (product, overflow) = count.multipliedReportingOverflow(by: Int(clamping: size))
                count = overflow ? Int.max : product
            }
        }
        return count
    }

    /// `SummaryMetadata{plugin_data=1 PluginData{plugin_name=1}}`.
    private static func pluginName(inMetadata data: Data) throws -> String? {
        var reader = ProtobufReader(data)
        while let field = try reader.next() {
            guard field.number == 1, let pluginData = field.value.data else { continue }
            var pluginReader = ProtobufReader(pluginData)
            while let pluginField = try pluginReader.next() {
                if pluginField.number == 1, let name = pluginField.value.data { return String(decoding: name, as: UTF8.self) }
            }
        }
        return nil
    }
}
