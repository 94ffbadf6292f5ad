@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Where a line's epoch, planned epochs and step are.
@_spi(Layers) public struct PositionRanges {
    @_spi(Layers) public let epoch, epochs, step, globalStep: Range<Int>?
}

/// Where the values of lines of one digit shape are, as one pattern reads them.
/// A class: it is fetched for every line, and a reference costs one retain to copy.
@_spi(Layers) public final class RecordTemplate {
    @_spi(Layers) public let positions: PositionRanges
    @_spi(Layers) public let names: SharedNames
    /// Where each of `names` has its value, and how to read it.
    @_spi(Layers) public let slots: [ValueSlot]
    /// The layout of the digits of the epoch, when the line states one and it has a usable layout.
    let epochLayout: DecimalLayout?

    /// `ranges`: where each of `names` has its value in `bytes`, a line of the template's shape.
    @_spi(Layers) public init(positions: PositionRanges, names: SharedNames, ranges: [Range<Int>], in bytes: ByteView) {
        self.positions = positions
        self.names = names
        slots = ranges.map { ValueSlot($0, in: bytes) }
        epochLayout = positions.epoch.flatMap { DecimalLayout(bytes[$0]) }
    }
}

/// Where a template's value is, and where in that the plain decimal is when it is one (see
/// `NumberParsing.plainDecimal(in:)`), with the layout of its digits when it has a usable one.
@_spi(Layers) public struct ValueSlot {
    @_spi(Layers) public let range: Range<Int>
    @_spi(Layers) public let plainDecimal: Range<Int>?
    @_spi(Layers) public let layout: DecimalLayout?

    @_spi(Layers) public init(_ range: Range<Int>, in bytes: ByteView) {
        self.range = range
        plainDecimal = NumberParsing.plainDecimal(in: bytes[range]).map {
            range.lowerBound + $0.lowerBound..<range.lowerBound + $0.upperBound
        }
        layout = plainDecimal.flatMap { DecimalLayout(bytes[$0]) }
    }

    /// The value in `bytes`, a line of the template's shape (what `NumberParsing.value` reads there).
    @inline(__always)
    @_spi(Layers) public func value(in bytes: ByteView) -> Double? {
        if let layout, let plainDecimal, let value = layout.value(in: bytes, at: plainDecimal.lowerBound) { return value }
        return plainDecimal.flatMap { DecimalBytes.double(bytes[$0]) } ?? NumberParsing.value(bytes[range])
    }
}

/// A shape's template, learned from its first line read without a split in play; `ready` is nil
/// until then, and for good when the shape has no usable template (a name with a digit, no values).
@_spi(Layers) public final class TemplateSlot {
    private(set) var ready: RecordTemplate?
    private(set) var isUndecided = true

    @_spi(Layers) public func decide(_ template: RecordTemplate?) {
        ready = template
        isUndecided = false
    }
}

/// What the patterns of a dialect found in lines of one digit shape, filled in as patterns are tried.
@_spi(Layers) public final class ShapeMatches {
    /// The length of the line's `@strip` prefix, found when a line of this shape passes the prefilter.
    var prefixLength: Int?
    /// Whether lines of this shape are known not to be callback lines.
    var holdsNoEvent = false
    /// A pattern's group ranges, with the key/value pairs found in its metrics chunk (which has
    /// the same shape in every line of this shape).
    @_spi(Layers) public struct Found {
        @_spi(Layers) public let ranges: [Range<Int>?]
        @_spi(Layers) public let pairs = KeyValueScanner.RememberedPairs()
        @_spi(Layers) public let template = TemplateSlot()
    }
    private enum Slot { case untried, noMatch, matched(Found) }
    private var slots: [Slot]
    /// The template of the first pattern that matches this shape, when every pattern before it
    /// treats digits alike and misses it: then no other pattern needs to be tried.
    var firstTemplate: TemplateSlot?

    @_spi(Layers) public init(patternCount: Int) {
        slots = Array(repeating: .untried, count: patternCount)
    }

    /// What pattern `index` found, nil when it found nothing; `search` runs the first time.
    @_spi(Layers) public func match(of index: Int, search: () throws -> [Range<Int>?]?) rethrows -> Found? {
        switch slots[index] {
        case .noMatch: return nil
        case let .matched(found): return found
        case .untried:
            let found = try search().map { Found(ranges: $0) }
            slots[index] = found.map { .matched($0) } ?? .noMatch
            return found
        }
    }
}
