@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Finds the exception a Python log ends with: the last `Traceback (most recent call last):` block
/// and its final, unindented `Type: message` line (plus the message lines that follow it).
@_spi(Layers) public enum TracebackScanner {
    @_spi(Layers) public static func crash(in lines: [LogLine]) -> Crash? {
        guard let start = lines.lastIndex(where: { $0.text.hasPrefix("Traceback (most recent call last)") }) else {
            return nil
        }
        var index = start + 1
        while index < lines.count {
            let text = lines[index].text
            if lines[index].indent == 0, let colon = text.firstIndex(of: ":") ?? endOfName(text) {
                let type = String(text[..<colon])
                if isExceptionName(type) {
                    var message = String(text[colon...].dropFirst()).trimmingCharacters(in: .whitespaces)
                    // Some messages continue on the next lines (TensorFlow's "Detected at node ..." blocks).
                    var extra = index + 1
                    while extra < lines.count, extra <= index + 12, !lines[extra].text.hasPrefix("Traceback") {
                        let continuation = lines[extra].text.trimmingCharacters(in: .whitespaces)
                        if !continuation.isEmpty { message += (message.isEmpty ? "" : "\n") + continuation }
                        extra += 1
                    }
                    return Crash(exceptionType: type, message: message, line: lines[index].number)
                }
            }
            index += 1
        }
        return nil
    }

    private static func endOfName(_ text: String) -> String.Index? {
        isExceptionName(text) ? text.endIndex : nil
    }

    /// `RuntimeError`, `torch.OutOfMemoryError`, `KeyboardInterrupt`, `errors_impl.InvalidArgumentError`.
    static func isExceptionName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter, !name.contains(" ") else { return false }
        let last = name.split(separator: ".").last.map(String.init) ?? name
        return last.hasSuffix("Error") || last.hasSuffix("Exception") || last == "KeyboardInterrupt"
            || last == "SystemExit" || last.hasSuffix("Warning") || last == "StopIteration"
    }
}

import Foundation
