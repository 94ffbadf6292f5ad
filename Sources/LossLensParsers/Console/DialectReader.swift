import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Applies one dialect's patterns to screen states, on bytes. Holds the matchers, so it is made
/// once per parse; matching a line that yields nothing allocates nothing.
@_spi(Layers) public struct DialectReader {
    @_spi(Layers) public let dialect: PatternDialect
    private let matchers: [(matcher: Matcher, groups: PatternGroups)]
    private let prefixMatchers: [Matcher]
    private let scanner = KeyValueScanner()
    /// Made on first use: readers that only score a dialect never need their matchers.
    private lazy var events = CallbackEvents()
    private let eventsDependOnShapeOnly = CallbackEvents.dependOnDigitShapeOnly
    /// The dialect's `@require` prefilter: a line is matched only when it holds one of the texts.
    private let prefilter: [ByteNeedle]
    /// Whether the prefilter's texts hold no digit: then lines of one digit shape all pass it or all fail.
    private let prefilterIsDigitBlind: Bool
    private let digitBlindPatterns: [Bool]
    private let forcesStepGranularity: Bool
    /// The split set by a line such as `evaluate: dev`, for the lines after it up to the next epoch line.
    private var contextSplit: Split?
    private var recycledValues: [(name: MetricName, value: Double)] = []

    /// Whether a split stated on a line of its own still applies to the lines that follow.
    var carriesContextSplit: Bool { contextSplit != nil }

    @_spi(Layers) public init(dialect: PatternDialect) {
        self.dialect = dialect
        matchers = dialect.patterns.map { ($0.makeMatcher(), PatternGroups($0)) }
        // Copies of their own: workers on other cores then never touch the dialect's reference counts.
        prefilter = dialect.requiredTexts.map { ByteNeedle($0.map { $0 }) }
        prefilterIsDigitBlind = !dialect.requiredTexts.joined().contains { $0 &- 0x30 < 10 }
        digitBlindPatterns = dialect.digitBlindPatterns.map { $0 }
        forcesStepGranularity = dialect.forcesStepGranularity
        prefixMatchers = dialect.prefixPatterns.map { $0.makeMatcher() }
        usesShapes = dialect.digitBlindPrefixes && dialect.digitBlindPatterns.contains(true)
    }

    /// What a screen state yielded.
    @_spi(Layers) public enum Yield {
        case nothing, event, record
    }

    /// Reads a screen state into `batch`: a line printed by a training callback, or a record.
    @_spi(Layers) public mutating func read(_ whole: ByteView, line: Int, into batch: inout RecordBatch) throws -> Yield {
        let passesPrefilter = passesPrefilter(whole)
        let known = passesPrefilter ? shape(of: whole) : nil
        // A line of a shape already seen without a callback line holds none either.
        if known?.holdsNoEvent != true {
            if let event = events.event(in: whole, line: line) {
                batch.append(event)
                repeatable = nil
                return .event
            }
            if eventsDependOnShapeOnly { known?.holdsNoEvent = true }
        }
        guard passesPrefilter else {
            repeatable = nil
            return .nothing
        }
        switch try reading(whole, known, line: line) {
        case nil:
            repeatable = nil
            return .nothing
        case let .templated(position, template):
            batch.append(position, line: line, names: template.names, values: templateValues)
            // Only the shape's first template is sound to repeat: a pattern before it that tells
            // digits apart may match the next line of this shape.
            if prefilterIsDigitBlind, let known, known.holdsNoEvent, known.firstTemplate?.ready === template {
                if repeatable?.template !== template { repeatable = Repeatable(prefixLength: known.prefixLength!, template: template) }
            } else {
                repeatable = nil
            }
        case let .record(record):
            repeatable = nil
            batch.append(record)
        }
        return .record
    }

    /// How the states of one digit shape are read once the shape is known: they pass the
    /// prefilter, hold no callback line, have the same prefix and are read through the same template.
    @_spi(Layers) public struct Repeatable {
        let prefixLength: Int
        @_spi(Layers) public let template: RecordTemplate
    }

    /// How states of the shape of the last state `read` can be read again (`readRepeat`), when they can.
    @_spi(Layers) public private(set) var repeatable: Repeatable?

    /// Reads a state of a shape known to read through a template (what `repeatable` gave for a
    /// state of its shape) into `batch`; false, with nothing appended, when it cannot (a split in
    /// play, a value that does not parse): then the state must be `read`.
    mutating func readRepeat(_ whole: ByteView, prefixLength: Int, template: RecordTemplate,
                             line: Int, into batch: inout RecordBatch) -> Bool {
        guard contextSplit == nil else { return false }
        let bytes = whole[prefixLength...]
        let perStep = forcesStepGranularity
        // Straight into the batch: no copy through `templateValues`.
        return batch.append(line: line, names: template.names) { values in
            Self.readTemplate(template, bytes, perStep: perStep, appendingTo: &values)
        }
    }

    /// Whether the record a screen state yields holds values; nil when it yields none. What
    /// choosing a dialect asks of thousands of lines, so a templated line makes no record.
    mutating func recordHoldsValues(in whole: ByteView, line: Int) throws -> Bool? {
        guard passesPrefilter(whole) else { return nil }
        switch try reading(whole, shape(of: whole), line: line) {
        case nil: return nil
        case let .templated(_, template): return !template.names.names.isEmpty
        case let .record(record): return !record.values.isEmpty
        }
    }

    /// The record a screen state yields, or nil when no pattern matches or it holds nothing.
    @_spi(Layers) public mutating func record(in whole: ByteView, line: Int) throws -> MetricRecord? {
        guard passesPrefilter(whole) else { return nil }
        switch try reading(whole, shape(of: whole), line: line) {
        case nil: return nil
        case let .templated(position, template):
            return MetricRecord(position, values: Array(zip(template.names.names, templateValues)), line: line)
        case let .record(record): return record
        }
    }

    /// Whether the line holds one of the texts of the dialect's `@require` prefilter (or it has none).
    private func passesPrefilter(_ whole: ByteView) -> Bool {
        prefilter.isEmpty || prefilter.contains { $0.occurs(in: whole) }
    }

    /// What the patterns found in lines of the shape of `whole` (nil when lines are not matched by shape).
    private mutating func shape(of whole: ByteView) -> ShapeMatches? {
        guard usesShapes else { return nil }
        let patternCount = matchers.count
        return shapes.value(for: whole) { ShapeMatches(patternCount: patternCount) }
    }

    /// What a screen state yields: a record read through its shape's template (the values are in
    /// `templateValues`), or one read in full.
    private enum Reading {
        case templated(RecordPosition, RecordTemplate)
        case record(MetricRecord)
    }

    /// What a line that passed the prefilter yields.
    private mutating func reading(_ whole: ByteView, _ known: ShapeMatches?, line: Int) throws -> Reading? {
        if let known { return try rememberedReading(whole, known, line: line) }
        let bytes = whole[try Self.prefixLength(whole, prefixMatchers)...]
        for (matcher, groups) in matchers {
            let found = try matcher.withFirstMatch(in: bytes) { match in makeRecord(match, groups, bytes, line: line) }
            if let found, let record = found { return .record(record) }
        }
        return nil
    }

    /// Whether lines are matched through `shapes`: the `@strip` patterns and at least one line
    /// pattern treat all digits alike.
    private let usesShapes: Bool
    /// Per digit shape of a line: its prefix length and what each digit-blind pattern found, so the
    /// lines of a per-step log are searched once per shape (see `DigitShapeMemo`).
    private var shapes = DigitShapeMemo<ShapeMatches>()
    /// The values of the last record read through a template.
    private var templateValues: [Double] = []
    /// The name lists of templates, each kept once, so that records of lines of different shapes
    /// that name the same metrics share one list (bounded: past the limit, lists are not shared).
    private var sharedNameLists: [[MetricName]: SharedNames] = [:]
    private static let sharedNameListLimit = 1024

    /// `reading` through the line's shape; patterns that tell digits apart still search every line.
    private mutating func rememberedReading(_ whole: ByteView, _ known: ShapeMatches, line: Int) throws -> Reading? {
        if known.prefixLength == nil { known.prefixLength = try Self.prefixLength(whole, prefixMatchers) }
        let bytes = whole[known.prefixLength!...]
        if contextSplit == nil, let template = known.firstTemplate?.ready, let position = readTemplate(template, bytes) {
            return .templated(position, template)
        }
        // Whether every pattern so far is known to miss lines of this shape.
        var earlierPatternsMiss = true
        for (index, (matcher, groups)) in matchers.enumerated() {
            let found: Reading??
            if digitBlindPatterns[index] {
                found = try known.match(of: index) {
                    try matcher.withFirstMatch(in: bytes) { match in (0..<match.count).map { match[$0] } }
                }.map { found in
                    // The first pattern that matches lines of this shape reads them all: its template
                    // is tried before any pattern.
                    if earlierPatternsMiss { known.firstTemplate = found.template }
                    if contextSplit == nil, let template = found.template.ready, let position = readTemplate(template, bytes) {
                        return .templated(position, template)
                    }
                    return makeRecord(StoredGroupRanges(ranges: found.ranges), groups, bytes, line: line,
                                      remembered: found.pairs, template: found.template).map(Reading.record)
                }
            } else {
                found = try matcher.withFirstMatch(in: bytes) { match in makeRecord(match, groups, bytes, line: line).map(Reading.record) }
            }
            if let found, let reading = found { return reading }
            earlierPatternsMiss = earlierPatternsMiss && found == nil && digitBlindPatterns[index]
        }
        return nil
    }

    /// The length of the `@strip` prefix the line starts with (0 when none matches).
    private static func prefixLength(_ bytes: ByteView, _ prefixMatchers: [Matcher]) throws -> Int {
        for matcher in prefixMatchers {
            if let range = try matcher.withFirstMatch(in: bytes, { $0[0] }), let range, range.lowerBound == 0 {
                return range.upperBound
            }
        }
        return 0
    }

    /// The epoch, planned epochs and step read at `positions`.
    @inline(__always)
    private static func position(
        _ positions: PositionRanges, _ bytes: ByteView, perStep: Bool, epochLayout: DecimalLayout? = nil
    ) -> RecordPosition {
        func slice(_ range: Range<Int>?) -> ByteView? { range.map { bytes[$0] } }
        var position = RecordPosition(perStep: perStep)
        if let epoch = positions.epoch {
            position.epoch = epochLayout?.value(in: bytes, at: epoch.lowerBound) ?? DecimalBytes.double(bytes[epoch])
        }
        position.plannedEpochs = slice(positions.epochs).flatMap(DecimalBytes.integer)
        if let global = slice(positions.globalStep).flatMap(DecimalBytes.integer) {
            position.step = global
            position.stepIsGlobal = true
        } else {
            position.step = slice(positions.step).flatMap(DecimalBytes.integer)
        }
        return position
    }

    /// Reads a line of a known shape at the places the shape's template names, into
    /// `templateValues`; nil when a value there does not parse (then the line is read in full).
    private mutating func readTemplate(_ template: RecordTemplate, _ bytes: ByteView) -> RecordPosition? {
        templateValues.removeAll(keepingCapacity: true)
        return Self.readTemplate(template, bytes, perStep: forcesStepGranularity, appendingTo: &templateValues)
    }

    /// `readTemplate`, appending the values to `values` (some of them when it gives nil).
    @inline(__always)
    private static func readTemplate(
        _ template: RecordTemplate, _ bytes: ByteView, perStep: Bool, appendingTo values: inout [Double]
    ) -> RecordPosition? {
        for slot in template.slots {
            guard let value = slot.value(in: bytes) else { return nil }
            values.append(value)
        }
        return position(template.positions, bytes, perStep: perStep, epochLayout: template.epochLayout)
    }

    /// One shared list per distinct list of names, up to `sharedNameListLimit` lists.
    private mutating func sharedNames(_ names: [MetricName]) -> SharedNames {
        if let shared = sharedNameLists[names] { return shared }
        let shared = SharedNames(names)
        if sharedNameLists.count < Self.sharedNameListLimit { sharedNameLists[names] = shared }
        return shared
    }

    /// `template`, when given and not yet decided, learns where this shape's values are: lines of one
    /// digit shape put the same names at the same places (unless a name holds a digit).
    private mutating func makeRecord<Ranges: GroupRanges>(
        _ match: Ranges, _ groups: PatternGroups, _ bytes: ByteView, line: Int,
        remembered: KeyValueScanner.RememberedPairs? = nil, template: TemplateSlot? = nil
    ) -> MetricRecord? {
        func group(_ number: Int?) -> ByteView? {
            number.flatMap { match[$0] }.map { bytes[$0] }
        }
        let positions = PositionRanges(
            epoch: groups.epoch.flatMap { match[$0] }, epochs: groups.epochs.flatMap { match[$0] },
            step: groups.step.flatMap { match[$0] }, globalStep: groups.globalStep.flatMap { match[$0] })
        var record = MetricRecord(Self.position(positions, bytes, perStep: forcesStepGranularity), values: [], line: line)
        let statedSplit = group(groups.split).map { MetricName(raw: String(decoding: $0) + " x").split }
        if record.epoch != nil { contextSplit = nil }
        let lineSplit = statedSplit ?? contextSplit
        // The buffer of the previous record, free again once the assembler is done with it: filling
        // it in place spares a heap array per line.
        var values: [(name: MetricName, value: Double)] = []
        swap(&values, &recycledValues)
        values.removeAll(keepingCapacity: true)
        defer { recycledValues = values }
        // Where each value is, while a template is being learned (only without any split in play).
        var places: [(name: MetricName, range: Range<Int>)]? = template?.isUndecided == true && lineSplit == nil ? [] : nil
        var placesHoldDigits = false
        if let chunk = group(groups.metrics), let chunkStart = groups.metrics.flatMap({ match[$0] })?.lowerBound {
            appendMetrics(in: chunk, split: lineSplit, remembered: remembered, to: &values) { key, name, range in
                if key.name.utf8.contains(where: { $0 &- 0x30 < 10 }) { placesHoldDigits = true }
                places?.append((name, chunkStart + range.lowerBound..<chunkStart + range.upperBound))
            }
        }
        for named in groups.metricGroups {
            guard let range = match[named.number], let value = NumberParsing.value(bytes[range])
            else { continue }
            values.append((named.name, value))
            places?.append((named.name, range))
        }
        record.values = values
        if let places, let template {
            template.decide(placesHoldDigits || values.isEmpty ? nil : RecordTemplate(
                positions: positions, names: sharedNames(places.map(\.name)), ranges: places.map(\.range), in: bytes))
        }
        if values.isEmpty, record.epoch == nil, let statedSplit {
            contextSplit = statedSplit
            return nil
        }
        guard !values.isEmpty || record.epoch != nil else { return nil }
        return record
    }

    /// Appends the pairs of a metrics chunk with their splits. An unprefixed name takes the split of the line;
    /// after a spoken split (`Validation Phase Loss: 0.06  Accuracy: 0.69`) the following unprefixed
    /// names of the line take that one, as a reader would. Identifier-style names (`val_loss`) carry
    /// their split each, so they do not pass it on.
    private func appendMetrics(
        in chunk: ByteView, split lineSplit: Split?, remembered: KeyValueScanner.RememberedPairs?,
        to values: inout [(name: MetricName, value: Double)], placed: (MetricKey, MetricName, Range<Int>) -> Void
    ) {
        var inherited = lineSplit
        scanner.forEachPair(in: chunk, remembered: remembered) { key, value, range in
            var name = key.metricName
            if let stated = key.statedSplit {
                if key.isSpoken { inherited = stated == .train ? lineSplit : stated }
            } else if let inherited {
                name.split = inherited
            }
            values.append((name, value))
            placed(key, name, range)
        }
    }
}

private extension MetricRecord {
    init(_ position: RecordPosition, values: [(name: MetricName, value: Double)], line: Int) {
        self.init(epoch: position.epoch, plannedEpochs: position.plannedEpochs, step: position.step,
                  stepIsGlobal: position.stepIsGlobal, values: values, line: line)
        perStep = position.perStep
    }
}
