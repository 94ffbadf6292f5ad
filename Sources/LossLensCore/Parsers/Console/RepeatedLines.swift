/// What reading a line found out that every line of its digit shape shares, so that the next lines
/// of that shape skip finding it out again.
///
/// Once a line has been read through its shape's template (see `DialectReader.Repeatable`), a line
/// of the same digit shape is plain too (no escape, backspace or carriage return: none is a digit),
/// has its screen state at the same place, does not open a traceback, and its state passes the
/// prefilter, holds no callback line and reads through the same template. Only its numbers are
/// left to read.
struct RepeatedLines {
    /// How the lines of one shape are read, once one of them has been read through a template.
    final class Shape {
        fileprivate(set) var state: Range<Int> = 0..<0
        fileprivate(set) var repeatable: DialectReader.Repeatable?
    }

    private var shapes = DigitShapeMemo<Shape>()
    /// The line looked up last, and its shape: most lines have the shape of the line before them,
    /// which one comparison finds without hashing.
    private var previous: (line: UnsafeBufferPointer<UInt8>, shape: Shape)?

    /// Forgets the line looked up last, before the lines of another block (it points into the last one).
    mutating func startBlock() {
        previous = nil
    }

    mutating func shape(of line: UnsafeBufferPointer<UInt8>) -> Shape {
        if let previous, DigitShape.equal(line, previous.line) {
            self.previous = (line, previous.shape)
            return previous.shape
        }
        let shape = shapes.value(for: line) { Shape() }
        previous = (line, shape)
        return shape
    }

    /// Records that lines of `shape` have their screen state at `state`, read through `repeatable`.
    func learn(_ shape: Shape, state: Range<Int>, repeatable: DialectReader.Repeatable) {
        shape.state = state
        shape.repeatable = repeatable
    }
}
