@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// What the generic reader found in one line: its counters and its metric values.
struct GenericReading {
    var epoch: Double?
    var plannedEpochs: Int?
    var step: Int?
    /// The step counts from the start of training (no epoch on the line, or `global step`).
    var stepIsGlobal = true
    /// A counter in brackets (`[12]`, `(0 )`): a position whose kind the line does not say.
    var bracketCounter: Int?
    var values: [(name: MetricName, value: Double)] = []

    var hasCounter: Bool { epoch != nil || step != nil || bracketCounter != nil }
}

/// Reads a console line that no pattern dialect reads: a counter and name/value pairs.
///
/// - Counters: a counter word (`epoch`, `iter`, `iteration`, `step`, `round`, `batch`, or one of
///   the languages of `GenericVocabulary`) followed by a whole number, optionally `/M` or `of M`
///   (`Epoch 3/20`, `iter 425:`, `global step 2000:`, `第3轮`), or an ordinal before one (`0th epoch`);
///   before any pair, a whole number in
///   brackets or parentheses (`[12]`, `(0 )`, `[3/20]`).
/// - Pairs: up to four words of a name right before a value, joined to it by nothing, `:`, `=` or
///   `is` (`train loss 3.3296`, `Loss: 19.48`, `'acc': 0.9`, `| val_loss 0.3 |`, `valid_Acc:0.97`,
///   `total loss is 47.09`);
///   values may be `nan`/`inf` or carry `%`.
/// - Rejected: names of time, throughput, memory, counts and settings (`GenericVocabulary.isNoise`),
///   values with other units (`1440.31ms`, `10.65M`), numbers that run into letters (`0x10`,
///   `1_000`); no name is read across a word of prose (`the loss was 0.5`). A line needs at least
///   one metric-like name (`loss`, `acc`, …) to give a record, so settings (`lr: 0.001`) and debug
///   counters (`n: 6, num_cycles: 0`) give none; a line of mostly prose gives none either.
struct GenericLineReader {
    /// Names already read, by their printed label: a per-step log repeats the same few.
    private var names: [String: MetricName?] = [:]
    private let words = WordRoles()
    private static let nameCacheLimit = 4096

    /// The reading of a line, nil when it holds neither a counter nor values.
    mutating func read(_ line: ArraySlice<UInt8>) -> GenericReading? {
        guard !line.isEmpty else { return nil }
        let tokens = GenericTokens(line)
        if tokens.tokens.isEmpty || isConfigDump(tokens) { return nil }
        var scan = Scan(tokens: tokens, words: words)
        scan.run()
        var reading = scan.reading
        var seen = Set<String>()
        reading.values = []
        for (label, value) in scan.pairs {
            guard let name = metricName(label), seen.insert(name.canonical).inserted else { continue }
            reading.values.append((name, value))
        }
        if !reading.values.contains(where: { GenericVocabulary.isMetricLike($0.name) }) { reading.values = [] }
        // Prose with a number or two in it (`In epoch 3 the model reached a loss of 0.5 on …`).
        if scan.proseWords > 4, scan.proseWords > 2 * reading.values.count + 2 { return nil }
        guard reading.hasCounter || !reading.values.isEmpty else { return nil }
        return reading
    }

    /// A printed config (`Namespace(lr=0.01, epochs=10, …)`) is settings, whatever numbers it holds.
    private func isConfigDump(_ tokens: GenericTokens) -> Bool {
        guard let first = tokens.tokens.first, first.kind == .word else { return false }
        let word = tokens.text(first)
        return ["Namespace", "Config", "config", "args", "Args", "hparams", "Arguments"].contains(word)
            && tokens.tokens.dropFirst().first.map { $0.kind == .symbol(UInt8(ascii: "(")) || $0.kind == .symbol(UInt8(ascii: ":")) } == true
    }

    /// The metric name of a printed label, nil when it is noise.
    private mutating func metricName(_ label: String) -> MetricName? {
        if let known = names[label] { return known }
        let english = GenericVocabulary.englishName(label)
        let name: MetricName? = GenericVocabulary.isNoise(english) ? nil : MetricName(raw: english)
        if names.count < Self.nameCacheLimit { names[label] = name }
        return name
    }
}

/// What each word a log prints is to the reader (a counter word, a stop word), worked out once
/// per word: a per-step log prints the same few words on every line.
private final class WordRoles {
    private var known: [String: (counter: GenericVocabulary.Counter?, stop: Bool)] = [:]

    func role(_ word: String) -> (counter: GenericVocabulary.Counter?, stop: Bool) {
        if let role = known[word] { return role }
        let role = (GenericVocabulary.counter(word), GenericVocabulary.stopWords.contains(word.lowercased()))
        if known.count < 4096 { known[word] = role }
        return role
    }
}

/// One pass over a line's tokens.
private struct Scan {
    let tokens: GenericTokens
    let words: WordRoles
    var reading = GenericReading()
    var pairs: [(label: String, value: Double)] = []
    /// Words not read as a name or counter, and the words that may still name the next value.
    var proseWords = 0
    private var pending: [Int] = []
    private var index = 0

    init(tokens: GenericTokens, words: WordRoles) {
        self.tokens = tokens
        self.words = words
    }

    private var list: [GenericTokens.Token] { tokens.tokens }

    mutating func run() {
        while index < list.count {
            let token = list[index]
            switch token.kind {
            case .word:
                let word = tokens.text(token)
                let role = words.role(word)
                if role.counter != nil || word == "第", readCounter() { continue }
                if isCopula(word), !pending.isEmpty, index + 1 < list.count, list[index + 1].kind == .number {
                    // `total loss is 47.09`: the verb joins the name to its value.
                    index += 1
                    continue
                }
                if role.stop {
                    dropPending(counting: 1)
                } else {
                    pending.append(index)
                }
                index += 1
            case .number:
                if readOrdinalCounter(token) { continue }
                readValue(token)
                index += 1
            case let .symbol(symbol):
                if pairs.isEmpty, symbol == UInt8(ascii: "[") || symbol == UInt8(ascii: "("), readBracketCounter() { continue }
                // `:`, `=` and quotes join a name to its value; anything else ends the name.
                if !(symbol == UInt8(ascii: ":") || symbol == UInt8(ascii: "=") || symbol == UInt8(ascii: "'") || symbol == UInt8(ascii: "\"")) {
                    dropPending()
                } else if symbol == UInt8(ascii: ":") || symbol == UInt8(ascii: "="), joinerFollowsValue() == false {
                    dropPending()
                }
                index += 1
            }
        }
        dropPending()
    }

    /// Whether a value comes right after this `:`/`=` (blanks, a quote or an opening bracket between).
    private func joinerFollowsValue() -> Bool {
        var next = index + 1
        while next < list.count, list[next].kind == .symbol(UInt8(ascii: "'")) || list[next].kind == .symbol(UInt8(ascii: "\""))
            || list[next].kind == .symbol(UInt8(ascii: "[")) {
            next += 1
        }
        return next < list.count && list[next].kind == .number
    }

    private mutating func dropPending(counting extra: Int = 0) {
        proseWords += pending.count + extra
        pending.removeAll(keepingCapacity: true)
    }

    /// A value: named by the pending words (the last four), or no pair.
    private mutating func readValue(_ token: GenericTokens.Token) {
        defer { pending.removeAll(keepingCapacity: true) }
        guard !pending.isEmpty else { return }
        // The name must touch the value: only blanks, quotes, `:` or `=` between them.
        let last = pending[pending.count - 1]
        let between = list[(last + 1)..<index]
        guard between.allSatisfy({ [.symbol(UInt8(ascii: ":")), .symbol(UInt8(ascii: "=")), .symbol(UInt8(ascii: "'")),
                                    .symbol(UInt8(ascii: "\"")), .symbol(UInt8(ascii: "["))].contains($0.kind)
                                    || ($0.kind == .word && isCopula(tokens.text($0))) }) else {
            proseWords += pending.count
            return
        }
        let words = pending.suffix(4)
        proseWords += pending.count - words.count
        // Several words must be one name: blanks (or a quote) only between them.
        let label = words.map { tokens.text(list[$0]) }.joined(separator: " ")
        guard token.unit.isEmpty || token.unit == [UInt8(ascii: "%")] else { return }
        let value = token.unit.isEmpty ? token.value : token.value / 100
        pairs.append((label, value))
    }

    /// `is`/`are`, which join a name to its value when a number follows (`Loss is 1.26`).
    private func isCopula(_ word: String) -> Bool {
        word.count <= 3 && ["is", "are"].contains(word.lowercased())
    }

    /// Reads `epoch 3`, `Epoch: [3/20]`, `step = 1200`, `iter 425:`, `global step 2000`, `第3轮`
    /// at `index`; false, reading nothing, when the word there starts no counter.
    private mutating func readCounter() -> Bool {
        let word = tokens.text(list[index])
        if word == "第", index + 2 < list.count, list[index + 1].isInteger, list[index + 2].kind == .word,
            let counter = words.role(tokens.text(list[index + 2])).counter {
            set(counter, list[index + 1].value, planned: nil)
            index += 3
            return true
        }
        guard let counter = words.role(word).counter else { return false }
        var next = index + 1
        while next < list.count, [.symbol(UInt8(ascii: ":")), .symbol(UInt8(ascii: "=")), .symbol(UInt8(ascii: "#")),
                                  .symbol(UInt8(ascii: "[")), .symbol(UInt8(ascii: "("))].contains(list[next].kind) {
            next += 1
        }
        guard next < list.count, list[next].kind == .number, list[next].unit.isEmpty, list[next].value.isFinite,
            list[next].value >= 0, counter == .epoch || list[next].isInteger
        else { return false }
        let value = list[next].value
        next += 1
        var planned: Int?
        if next + 1 < list.count, list[next].kind == .symbol(UInt8(ascii: "/")), list[next + 1].isInteger {
            planned = Int(exactly: list[next + 1].value)
            next += 2
        } else if next + 1 < list.count, list[next].kind == .word, tokens.text(list[next]).lowercased() == "of", list[next + 1].isInteger {
            planned = Int(exactly: list[next + 1].value)
            next += 2
        }
        // Filler words before the counter word (`Train Epoch`, `global step`) are part of it.
        let global = pending.contains { tokens.text(list[$0]).lowercased() == "global" } || word.lowercased().hasPrefix("global")
        let fillers = pending.filter { GenericVocabulary.counterFillers.contains(tokens.text(list[$0]).lowercased()) }
        pending.removeAll { fillers.contains($0) }
        dropPending()
        set(counter, value, planned: planned, global: global)
        index = next
        return true
    }

    /// Reads `0th epoch`, `3rd iteration` (`------>Training 0th epoch<------`) at `index`: an
    /// ordinal before a counter word; false, reading nothing, otherwise.
    private mutating func readOrdinalCounter(_ token: GenericTokens.Token) -> Bool {
        guard ["st", "nd", "rd", "th"].contains(String(decoding: token.unit, as: UTF8.self).lowercased()),
              token.value.isFinite, token.value >= 0, token.value == token.value.rounded(),
              index + 1 < list.count, list[index + 1].kind == .word,
              let counter = words.role(tokens.text(list[index + 1])).counter else { return false }
        dropPending()
        set(counter, token.value, planned: nil)
        index += 2
        return true
    }

    private mutating func set(_ counter: GenericVocabulary.Counter, _ value: Double, planned: Int?, global: Bool = false) {
        switch counter {
        case .epoch:
            guard reading.epoch == nil else { return }
            reading.epoch = value
            reading.plannedEpochs = planned
            if reading.step != nil, !global { reading.stepIsGlobal = false }
        case .step:
            guard reading.step == nil, let step = Int(exactly: value) else { return }
            reading.step = step
            reading.stepIsGlobal = global || reading.epoch == nil
        }
    }

    /// Reads `[12]`, `(0 )`, `[3/20]` at `index` (an opening bracket before any pair), or the one
    /// inside an outer bracket (`[ (0 ) …]`; no deeper: a line of ten thousand brackets is no counter).
    private mutating func readBracketCounter(nested: Bool = false) -> Bool {
        let open = list[index].kind
        let close: GenericTokens.Kind = open == .symbol(UInt8(ascii: "[")) ? .symbol(UInt8(ascii: "]")) : .symbol(UInt8(ascii: ")"))
        var next = index + 1
        if next < list.count, list[next].kind == .symbol(UInt8(ascii: "(")) || list[next].kind == .symbol(UInt8(ascii: "[")) {
            guard !nested else { return false }
            let outer = index
            index = next
            if readBracketCounter(nested: true) { return true }
            index = outer
            return false
        }
        guard next < list.count, list[next].isInteger, list[next].value >= 0, reading.bracketCounter == nil else { return false }
        let value = Int(exactly: list[next].value)
        next += 1
        if next + 1 < list.count, list[next].kind == .symbol(UInt8(ascii: "/")), list[next + 1].isInteger { next += 2 }
        guard next < list.count, list[next].kind == close else { return false }
        reading.bracketCounter = value
        dropPending()
        index = next + 1
        return true
    }
}
