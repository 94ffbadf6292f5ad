/// GitHub's job summary (`$GITHUB_STEP_SUMMARY`): at most 1 MiB per step, or GitHub drops the
/// whole summary with an error. A report that does not fit is cut at a line, outside a code block,
/// and ends with a note that says so and where the full report is.
public enum StepSummary {
    /// GitHub's cap on what one step may write to its summary file.
    public static let limit = 1 << 20

    /// `markdown` as it fits into `budget` bytes. `pointer` says where the full report is.
    public static func fitted(_ markdown: String, budget: Int, pointer: String) -> String {
        let size = markdown.utf8.count
        guard size > budget else { return markdown }
        let note = "\n\n> [!WARNING]\n> The losslens report is \(size) bytes; GitHub's step summary holds "
            + "\(limit) bytes, so it was cut here. \(pointer)\n"
        let room = budget - note.utf8.count - 16
        guard room > 0 else { return "" }
        var kept: [Substring] = []
        var used = 0
        var inFence = false
        var lastOutsideFence = 0
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let cost = line.utf8.count + 1
            if used + cost > room { break }
            kept.append(line)
            used += cost
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence { lastOutsideFence = kept.count }
        }
        // A cut inside a code block or a table would swallow the note: end at the last line outside.
        var body = kept.prefix(lastOutsideFence)
        while let last = body.last, last.hasPrefix("|") { body = body.dropLast() }
        return body.joined(separator: "\n") + note
    }
}
