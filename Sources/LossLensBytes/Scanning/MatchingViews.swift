import PCRE2

/// PCRE2 searches on views: the matcher reads the bytes in place, and the ranges it gives are
/// offsets into the view.
extension Matcher {
    @_spi(Layers) public func withFirstMatch<Result>(
        in subject: ByteView, from offset: Int = 0, _ body: (MatchRanges) throws -> Result
    ) throws -> Result? {
        try withFirstMatch(in: subject.buffer, from: offset, body)
    }

    @_spi(Layers) public func forEachMatch(in subject: ByteView, _ body: (MatchRanges) throws -> Void) throws {
        try forEachMatch(in: subject.buffer, body)
    }
}
