/// The screen states of one line, as `ConsoleLineReader` walks them: how many there are, whether
/// two neighbours have the same digit shape, and the bytes of one (cleaned and trimmed, as in
/// `ScreenLine.segments`).
@_spi(Layers) public protocol ScreenStates {
    var count: Int { get }
    /// Whether states `index - 1` and `index` have the same digit shape.
    mutating func sameShapeAsPrevious(_ index: Int) -> Bool
    /// The last state from `index` on whose shape is that of every state between: `index` itself
    /// when the next state differs.
    mutating func lastOfSameShape(from index: Int) -> Int
    mutating func withState<Result>(_ index: Int, _ body: (ByteView) throws -> Result) rethrows -> Result
}

extension ScreenStates {
    @_spi(Layers) public mutating func lastOfSameShape(from index: Int) -> Int {
        var last = index
        while last + 1 < count, sameShapeAsPrevious(last + 1) { last += 1 }
        return last
    }
}

/// States already cleaned into one buffer (`ScreenLine`, or a plain line read in place).
@_spi(Layers) public struct SegmentStates<Segments: RandomAccessCollection<Range<Int>>>: ScreenStates where Segments.Index == Int {
    @_spi(Layers) public let all: ByteView
    @_spi(Layers) public let segments: Segments

    @_spi(Layers) public init(all: ByteView, segments: Segments) {
        self.all = all
        self.segments = segments
    }

    @_spi(Layers) public var count: Int { segments.count }

    @_spi(Layers) public func sameShapeAsPrevious(_ index: Int) -> Bool {
        let start = segments.startIndex
        return DigitShape.equal(all[segments[start + index]], all[segments[start + index - 1]])
    }

    @_spi(Layers) public func withState<Result>(_ index: Int, _ body: (ByteView) throws -> Result) rethrows -> Result {
        try body(all[segments[segments.startIndex + index]])
    }
}
