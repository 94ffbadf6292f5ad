@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// What reading a line found out that every line of its digit shape shares, so that the next lines
/// of that shape skip finding it out again.
///
/// Once a line has been read through its shape's template (see `DialectReader.Repeatable`), a line
/// of the same digit shape is plain too (no escape, backspace or carriage return: none is a digit),
/// has its screen state at the same place, does not open a traceback, and its state passes the
/// prefilter, holds no callback line and reads through the same template. Only its numbers are
/// left to read.
///
/// Looked up for every line of a large log, so the lookup touches no reference count: shapes are
/// numbers into an array of plain values, and templates are lent out unretained (`KeptObjects`).
@_spi(Layers) public struct RepeatedLines {
    /// How the lines of one shape are read, once one of them has been read through a template.
    @_spi(Layers) public struct Repeat {
        @_spi(Layers) public let state: Range<Int>
        let prefixLength: Int
        /// The number of the template in `templates`.
        let template: Int
    }

    private var shapeNumbers = DigitShapeMemo<Int>()
    private var repeats: [Repeat?] = []
    /// The templates `repeats` refer to.
    private var templates = KeptObjects<RecordTemplate>()
    /// The line looked up last, and its shape: most lines have the shape of the line before them,
    /// which one comparison finds without hashing.
    private var previous: (line: ByteView, shape: Int)?

    /// Forgets the line looked up last, before the lines of another block (it points into the last one).
    mutating func startBlock() {
        previous = nil
    }

    /// The number of the line's shape; nil when no more shapes are remembered.
    @_spi(Layers) public mutating func shape(of line: ByteView) -> Int? {
        if let previous, DigitShape.equal(line, previous.line) {
            self.previous = (line, previous.shape)
            return previous.shape
        }
        let shape = shapeNumbers.value(for: line) {
            guard repeats.count < DigitShapeMemo<Int>.capacity else { return -1 }
            repeats.append(nil)
            return repeats.count - 1
        }
        guard shape >= 0 else { return nil }
        previous = (line, shape)
        return shape
    }

    /// Reads `line`, of `shape`, with `reader` the way an earlier line of its shape was read; false,
    /// with nothing read, when no line of its shape was read so, or when this one cannot be.
    func readRepeat(_ line: ByteView, of shape: Int, with reader: inout ConsoleLineReader, line number: Int,
                    into batch: inout RecordBatch) -> Bool {
        guard let known = repeats[shape] else { return false }
        return templates.withObject(known.template) { template in
            reader.readRepeat(line[known.state], prefixLength: known.prefixLength, template: template, line: number, into: &batch)
        }
    }

    /// Records that lines of `shape` have their screen state at `state`, read through `repeatable`.
    mutating func learn(_ shape: Int, state: Range<Int>, repeatable: DialectReader.Repeatable) {
        if let known = repeats[shape], known.state == state, templates[known.template] === repeatable.template { return }
        let template = templates.keep(repeatable.template)
        repeats[shape] = Repeat(state: state, prefixLength: repeatable.prefixLength, template: template)
    }
}
