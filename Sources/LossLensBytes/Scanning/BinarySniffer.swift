import Foundation

/// Tells binary data (an image, an archive, a model checkpoint passed by mistake) from text, so the
/// error says so instead of listing every dialect that found no metrics.
@_spi(Layers) public enum BinarySniffer {
    /// Text logs, whatever their encoding (UTF-8, GBK, Latin-1), hold no NUL bytes and few other
    /// control bytes; binary formats have plenty of both in their first kilobytes.
    @_spi(Layers) public static func looksBinary(_ data: Data) -> Bool {
        data.prefix(8192).withByteView { head in
            var controls = 0
            for byte in head where byte < 0x20 {
                if byte == 0 { return true }
                // Tab, line feed, form feed, carriage return, escape and backspace are text.
                if byte != 0x09, byte != 0x0A, byte != 0x0C, byte != 0x0D, byte != 0x1B, byte != 0x08 { controls += 1 }
            }
            return controls * 10 > head.count
        }
    }

    /// Whether the first bytes of a stream are binary data that no reader takes, so the stream is
    /// refused before more of it is read: TensorBoard event files are binary and are read, and
    /// UTF-16 text (a NUL byte in every other place) is text.
    @_spi(Layers) public static func refusesStream(startingWith head: Data) -> Bool {
        looksBinary(head) && !TFRecordReader.startsWithRecordHeader(head) && UTF16Text.byteOrder(of: head) == nil
    }
}
