/// Elements of an array read in place by the layers above without a copy, a retain or a pointer:
/// every read is checked against the view's bounds, and a part of a view is another view,
/// numbered from 0.
///
/// A view is valid while the array it shows is borrowed: during `withArrayView`. Unlike a slice,
/// copying a view touches no reference count, so the record batch hands one out per record.
@_spi(Layers) public struct ArrayView<Element> {
    /// Only this layer reads the memory: the views it hands out are the bounds-checked way in.
    let buffer: UnsafeBufferPointer<Element>

    init(_ buffer: UnsafeBufferPointer<Element>) {
        self.buffer = buffer
    }

    /// The elements in `range`, as a view numbered from 0.
    @_spi(Layers) public func extracting(_ range: Range<Int>) -> ArrayView {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count, "range out of range")
        return ArrayView(UnsafeBufferPointer(rebasing: buffer[range]))
    }
}

extension ArrayView: RandomAccessCollection {
    @_spi(Layers) public var startIndex: Int { 0 }
    @_spi(Layers) public var endIndex: Int { buffer.count }

    @_spi(Layers) public subscript(index: Int) -> Element {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: buffer.count), "index out of range")
        return buffer[index]
    }
}

extension Array {
    /// Calls `body` with a view of the array's elements, valid during the call.
    @_spi(Layers) public func withArrayView<Result>(_ body: (ArrayView<Element>) throws -> Result) rethrows -> Result {
        try withUnsafeBufferPointer { try body(ArrayView($0)) }
    }
}
