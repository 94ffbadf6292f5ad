import Foundation

/// Bytes that this layer holds (a line in a read buffer, a screen state, a table cell, a key),
/// read in place by the layers above without a copy and without a pointer: every read is checked
/// against the view's bounds, and slicing gives another view, numbered from 0.
///
/// A view is valid while the bytes it shows are: during the call that hands it out (a line of a
/// read buffer until the next line is read). Keep a copy (`Array(view)`) to keep the bytes.
@_spi(Layers) public struct ByteView {
    /// Only this layer reads the memory: the views it hands out are the bounds-checked way in.
    @usableFromInline let buffer: UnsafeBufferPointer<UInt8>

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @_spi(Layers) public static var empty: ByteView { ByteView(UnsafeBufferPointer(start: nil, count: 0)) }

    @_spi(Layers) public var count: Int { buffer.count }
    @_spi(Layers) public var isEmpty: Bool { buffer.isEmpty }
    @_spi(Layers) public var indices: Range<Int> { 0..<buffer.count }

    @_spi(Layers) public subscript(index: Int) -> UInt8 {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: buffer.count), "byte index out of range")
        return buffer[index]
    }

    /// The bytes in `range`, as a view numbered from 0.
    @_spi(Layers) public subscript(range: Range<Int>) -> ByteView {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count, "byte range out of range")
        return ByteView(UnsafeBufferPointer(rebasing: buffer[range]))
    }

    /// The bytes in `range` (`view[start...]`, `view[..<end]`), as a view numbered from 0.
    @_spi(Layers) public subscript<Bounds: RangeExpression>(range: Bounds) -> ByteView where Bounds.Bound == Int {
        self[range.relative(to: 0..<buffer.count)]
    }

    @_spi(Layers) public var first: UInt8? { buffer.first }

    /// The first index from `start` on that holds `byte` (found with `memchr`). Inlinable: the
    /// lines of a block are found with it, and a call of its own per line cost as much as the search.
    @inlinable
    @_spi(Layers) public func firstIndex(of byte: UInt8, from start: Int = 0) -> Int? {
        precondition(start >= 0, "byte index out of range")
        guard start < buffer.count, let base = buffer.baseAddress,
              let found = memchr(base + start, Int32(byte), buffer.count - start) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// The first index from `start` on whose byte `matches`. Inlined with `matches`: a table's rows
    /// are scanned byte by byte through it.
    @inline(__always)
    @_spi(Layers) public func firstIndex(from start: Int, where matches: (UInt8) throws -> Bool) rethrows -> Int? {
        precondition(start >= 0, "byte index out of range")
        var index = start
        while index < buffer.count {
            if try matches(buffer[index]) { return index }
            index += 1
        }
        return nil
    }

    /// Compared byte by byte: most views differ from a prefix in their first bytes.
    @_spi(Layers) public func starts(with prefix: [UInt8]) -> Bool {
        guard prefix.count <= buffer.count else { return false }
        for (index, byte) in prefix.enumerated() where buffer[index] != byte { return false }
        return true
    }

    /// Whether the view shows the bytes of `array`.
    @_spi(Layers) public func isEqual(to array: [UInt8]) -> Bool {
        array.count == buffer.count && array.withByteView { self == $0 }
    }
}

extension ByteView: Equatable {
    @_spi(Layers) public static func == (lhs: ByteView, rhs: ByteView) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.buffer.baseAddress, let right = rhs.buffer.baseAddress else { return true }
        return memcmp(left, right, lhs.count) == 0
    }
}

extension ByteView: Sequence {
    @_spi(Layers) public struct Iterator: IteratorProtocol {
        var bytes: UnsafeBufferPointer<UInt8>.Iterator

        @_spi(Layers) public mutating func next() -> UInt8? { bytes.next() }
    }

    @_spi(Layers) public func makeIterator() -> Iterator { Iterator(bytes: buffer.makeIterator()) }
    @_spi(Layers) public var underestimatedCount: Int { buffer.count }

    /// Lets `Array(view)` and `append(contentsOf: view)` copy the bytes in one go.
    @_spi(Layers) public func withContiguousStorageIfAvailable<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        try body(buffer)
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with a view of the array's bytes, valid during the call.
    @_spi(Layers) public func withByteView<Result>(_ body: (ByteView) throws -> Result) rethrows -> Result {
        try withUnsafeBufferPointer { try body(ByteView($0)) }
    }
}

extension String {
    /// Calls `body` with a view of the string's UTF-8 bytes, valid during the call.
    @_spi(Layers) public func withByteView<Result>(_ body: (ByteView) throws -> Result) rethrows -> Result {
        var copy = self
        return try copy.withUTF8 { try body(ByteView($0)) }
    }

    /// The string of `bytes` decoded as UTF-8, invalid sequences replaced by U+FFFD.
    @_spi(Layers) public init(decoding bytes: ByteView) {
        self.init(decoding: bytes.buffer, as: UTF8.self)
    }
}

extension Data {
    /// Calls `body` with a view of the data's bytes, valid during the call.
    @_spi(Layers) public func withByteView<Result>(_ body: (ByteView) throws -> Result) rethrows -> Result {
        try withUnsafeBytes { try body(ByteView($0.bindMemory(to: UInt8.self))) }
    }
}
