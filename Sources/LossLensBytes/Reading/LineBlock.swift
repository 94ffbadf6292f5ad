import Foundation

/// A worker's buffer for the whole lines that start in one byte range of a log: the worker reads
/// them itself, from the byte before the range (to tell whether a line starts at its first byte)
/// to the end of the last line that starts in it, however far past the range that line goes.
///
/// Every line of a log starts in exactly one range, so blocks cut at fixed offsets give every line
/// to one worker, and nobody copies a line that crosses a block end from one block to the next.
@_spi(Layers) public final class LineBlock {
    /// The bytes of the lines, valid until the next `load`, and the log offset of their first byte.
    @_spi(Layers) public struct Lines {
        @_spi(Layers) public var bytes: ByteView
        @_spi(Layers) public var offset: Int
        /// A line of `lineCap` bytes or more reaches into the block, possibly cut short here: such a
        /// log is read in order, which cuts long lines into pieces the same way every time.
        @_spi(Layers) public var reachesOverlongLine: Bool
    }

    private static let page = 4096
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int

    @_spi(Layers) public init(capacity: Int = 0) {
        self.capacity = max(Self.page, capacity)
        // A block is read whole: only the last line of a log ends short of it.
        storage = LargeBuffer.allocate(byteCount: self.capacity, willBeFilled: true)
    }

    deinit { LargeBuffer.release(storage) }

    /// Reads the lines that start in `range` of the content behind `reader`.
    @_spi(Layers) public func load(linesStartingIn range: Range<Int>, from reader: any PositionalReader, lineCap: Int) throws -> Lines {
        let readStart = max(0, range.lowerBound - 1)
        // The copy out of the page cache keeps the file's offset within a page: on some CPUs
        // (`rep movsb` on AMD Zen) a destination 1 to 31 bytes past the source's offset within its
        // page makes it several times slower.
        let lead = readStart & (Self.page - 1)
        var filled = try read(range.upperBound - readStart, at: readStart, after: lead, filledBefore: 0, from: reader)
        // Reading on may move the storage.
        var bytes: UnsafeMutablePointer<UInt8> { storage.assumingMemoryBound(to: UInt8.self) + lead }
        // Where the first line that starts in the range begins.
        var first = 0
        if range.lowerBound > 0 {
            guard let newline = memchr(bytes, 0x0A, filled) else { return empty(at: range.lowerBound) }
            first = UnsafeRawPointer(bytes).distance(to: UnsafeRawPointer(newline)) + 1
        }
        guard readStart + first < range.upperBound, first < filled else { return empty(at: range.lowerBound) }
        let wanted = range.upperBound - readStart
        var overlong = false
        if filled == wanted, bytes[filled - 1] != 0x0A {
            // The last line goes on past the range: read on to its end.
            let lastStart = lastNewline(bytes, in: first..<filled).map { $0 + 1 } ?? first
            // Bytes read past the range are read again by the next block's worker: read a little
            // at first (most lines end soon), more and more for a long line.
            var step = 4096
            while true {
                let more = try read(step, at: readStart + filled, after: lead, filledBefore: filled, from: reader)
                step = Swift.min(2 * step, 1 << 20)
                let newBytes = bytes + filled
                filled += more
                if let newline = memchr(newBytes, 0x0A, more) {
                    filled = UnsafeRawPointer(bytes).distance(to: UnsafeRawPointer(newline)) + 1
                    break
                }
                if more == 0 { break }
                if filled - lastStart >= lineCap {
                    overlong = true
                    break
                }
            }
        }
        return Lines(bytes: ByteView(UnsafeBufferPointer(start: bytes + first, count: filled - first)), offset: readStart + first,
                     reachesOverlongLine: overlong)
    }

    private func empty(at offset: Int) -> Lines {
        Lines(bytes: .empty, offset: offset, reachesOverlongLine: false)
    }

    /// Reads `count` bytes at log offset `offset` to follow the `filledBefore` bytes already read
    /// (which start `lead` bytes into the storage), growing the storage as needed.
    private func read(
        _ count: Int, at offset: Int, after lead: Int, filledBefore filled: Int, from reader: any PositionalReader
    ) throws -> Int {
        let needed = lead + filled + count
        if needed > capacity {
            let grown = Swift.max(needed, 2 * capacity)
            let larger = LargeBuffer.allocate(byteCount: grown, willBeFilled: true)
            larger.copyMemory(from: storage, byteCount: lead + filled)
            LargeBuffer.release(storage)
            storage = larger
            capacity = grown
        }
        return try reader.read(into: UnsafeMutableRawBufferPointer(start: storage + lead + filled, count: count), at: offset)
    }

    private func lastNewline(_ bytes: UnsafeMutablePointer<UInt8>, in range: Range<Int>) -> Int? {
        var upper = range.upperBound
        while upper > range.lowerBound {
            let lower = Swift.max(range.lowerBound, upper - 4096)
            var last: Int?
            var from = lower
            while from < upper, let found = memchr(bytes + from, 0x0A, upper - from) {
                last = UnsafeRawPointer(bytes).distance(to: UnsafeRawPointer(found))
                from = last! + 1
            }
            if let last { return last }
            upper = lower
        }
        return nil
    }
}
