import Foundation

/// Generated log lines that tests of more than one layer read.
public enum SampleLines {
    /// A Keras-like progress bar line of `count` redraws, with the variations that change or hide
    /// shapes: number widths, NaN, blank and escape-only states, invalid UTF-8, a missing `\r`.
    public static func progressBar(count: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        var line: [UInt8] = []
        for step in 1...count {
            let bar = String(repeating: "━", count: 20 * step / count) + String(repeating: " ", count: 20 - 20 * step / count)
            let loss = [String(format: "%.4f", 2.0 / Double(step)), "0.1", "nan", "1e-05"].randomElement(using: &generator)!
            let width = Bool.random(using: &generator) ? "4" : "2"
            var state = "\u{1b}[1m\(String(format: "%\(width)d", step))/\(count)\u{1b}[0m \u{1b}[32m\(bar)\u{1b}[0m 1ms/step - loss: \(loss)"
            switch Int.random(in: 0..<40, using: &generator) {
            case 0: state = "   "
            case 1: state = "\u{1b}[2K"
            case 2: state += " - val_loss: 0.5"
            default: break
            }
            line += Array(state.utf8)
            if Int.random(in: 0..<60, using: &generator) == 0 { line += [0xE2, 0x82] }
            line += Array(repeating: 0x08, count: Int.random(in: 0...2, using: &generator) * 4)
            if step < count || Bool.random(using: &generator) { line.append(0x0D) }
        }
        return line
    }
}
