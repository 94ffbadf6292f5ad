import Foundation
@_spi(Layers) import LossLensBytes

/// A tab-separated table of text (a manifest, a notes file, a spreadsheet export): its header names
/// columns, its rows hold the same number of cells, and a column holds sentences. Its cells may
/// mention a loss and a number (`loss 2.00->1.74`), but it is not a training log: the console
/// readers leave it alone.
@_spi(Layers) public enum ProseTable {
    /// Rows of the head that are looked at.
    static let sampleRows = 50

    @_spi(Layers) public static func holds(_ input: LogInput) -> Bool {
        // Every input is asked: a first line without a tab says no at once.
        let firstLineHoldsTab = input.prefixData(4096).withByteView { start in
            start.firstIndex(of: 0x09).map { tab in start.firstIndex(of: 0x0A).map { $0 > tab } ?? true } ?? false
        }
        guard firstLineHoldsTab else { return false }
        let head = input.prefixData(64 << 10)
        guard let firstEnd = head.firstIndex(of: 0x0A) else { return false }
        let header = head[head.startIndex..<firstEnd].split(separator: 0x09, omittingEmptySubsequences: false)
        // A header of names: three columns or more, none of them a number.
        guard header.count >= 3, header.allSatisfy({ cell in
            let text = String(decoding: cell, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return !text.isEmpty && Double(text) == nil
        }) else { return false }
        let rows = head[(firstEnd + 1)...].split(separator: 0x0A).prefix(sampleRows).map {
            $0.split(separator: 0x09, omittingEmptySubsequences: false)
        }
        guard rows.count >= 2 else { return false }
        let shaped = rows.filter { $0.count == header.count }
        guard shaped.count * 4 >= rows.count * 3 else { return false }
        // Some column holds sentences (four words or more) in most rows.
        return (0..<header.count).contains { column in
            let sentences = shaped.filter { row in
                row[column].split(separator: 0x20).filter { $0.contains { $0 &- 0x41 < 26 || $0 &- 0x61 < 26 || $0 >= 0x80 } }.count >= 4
            }.count
            return sentences * 2 > shaped.count
        }
    }
}
