import Foundation

/// Collects bytes and hands them on in pieces of about `pieceBytes` (a report of a huge log is
/// megabytes, never held whole). The bytes go into a buffer written in place: a report is a
/// hundred thousand small pieces, and appending each to an array cost more than formatting it.
@_spi(Layers) public struct ByteWriter {
    @_spi(Layers) public static let pieceBytes = 64 << 10
    /// Room past `pieceBytes` that a number or a punctuation mark never outgrows.
    private static let slack = 256
    /// Numbers are written straight into the buffer, with at least this much room.
    private static let numberRoom = Swift.max(ShortestDecimal.maximumLength, DecimalDigits.maximumCount + 1)
    @usableFromInline static let capacity = pieceBytes + slack

    /// Memory owned by the writer and freed with its last copy.
    private final class Buffer {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: ByteWriter.capacity)
        deinit { bytes.deallocate() }
    }

    private let buffer = Buffer()
    /// The buffer's memory, held here too: a byte is stored without loading it from the buffer.
    @usableFromInline let bytes: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    private let emit: (ByteView) -> Void

    /// A writer that hands each piece to `emit`; the view is valid during the call.
    @_spi(Layers) public init(emit: @escaping (ByteView) -> Void) {
        self.emit = emit
        bytes = buffer.bytes
    }

    /// Hands the bytes on once a piece is full: call between items, so pieces end at their bounds.
    @_spi(Layers) public mutating func flushWhenFull() {
        if count >= Self.pieceBytes { flush() }
    }

    /// Hands on the bytes written since the last piece.
    @_spi(Layers) public mutating func flush() {
        emit(ByteView(UnsafeBufferPointer(start: bytes, count: count)))
        count = 0
    }

    /// Inlined into the report writers: every byte of a report goes through here.
    @inlinable @inline(__always)
    @_spi(Layers) public mutating func append(_ byte: UInt8) {
        if count == Self.capacity { flush() }
        bytes[count] = byte
        count += 1
    }

    @_spi(Layers) public mutating func append(_ view: ByteView) {
        guard let base = view.buffer.baseAddress else { return }
        var done = 0
        while done < view.count {
            if count == Self.capacity { flush() }
            let piece = Swift.min(view.count - done, Self.capacity - count)
            (bytes + count).update(from: base + done, count: piece)
            count += piece
            done += piece
        }
    }

    @_spi(Layers) public mutating func append(text: String) {
        text.withByteView { append($0) }
    }

    /// Appends `value` as `String(value)` spells it.
    @_spi(Layers) public mutating func append(integer value: Int) {
        if Self.capacity - count < Self.numberRoom { flush() }
        if value < 0 {
            bytes[count] = UInt8(ascii: "-")
            count += 1
        }
        let magnitude = UInt64(value.magnitude)
        let digits = DecimalDigits.count(of: magnitude)
        DecimalDigits.write(magnitude, width: digits, into: bytes + count)
        count += digits
    }

    /// Appends `value` as `value.description` spells it when it is one of the few-digit values
    /// `ShortestDecimal` writes; false, with nothing appended, when it is not.
    @_spi(Layers) public mutating func append(shortest value: Double) -> Bool {
        if Self.capacity - count < Self.numberRoom { flush() }
        let written = ShortestDecimal.write(value, into: bytes + count)
        count += written
        return written > 0
    }
}

extension ByteView {
    /// Writes the bytes to a file descriptor whole (an interrupted write goes on); false when the
    /// descriptor takes no more (a closed pipe: `losslens ... | head`).
    @_spi(Layers) public func write(to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
