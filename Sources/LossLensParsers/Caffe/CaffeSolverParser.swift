import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Caffe solver logs (glog lines, the prefix optional):
///
///     I0515 11:05:31.873651 37636 solver.cpp:239] Iteration 20 (1.03 iter/s, 19.4s/20 iters), loss = 6.90501
///     I0515 11:05:31.873690 37636 solver.cpp:258]     Train net output #0: loss = 6.90776 (* 1 = 6.90776 loss)
///     I0515 11:05:31.873700 37636 sgd_solver.cpp:112] Iteration 20, lr = 0.01
///     I0515 11:09:02.120000 37636 solver.cpp:347] Iteration 500, Testing net (#0)
///     I0515 11:09:10.520000 37636 solver.cpp:414]     Test net output #0: accuracy = 0.9812
///
/// Iterations are steps. As Caffe's own `tools/extra/parse_log.py` does, the training values are the
/// train net's outputs at each displayed iteration (the `loss =` of the iteration line is their mean
/// over `average_loss` iterations, used only when a log prints no outputs); the test net's outputs,
/// printed after "Testing net", are an evaluation at that iteration (test split), which closes a
/// period the report calls an epoch (`StepPeriods`). Older Caffe prints `Iteration 100, loss = 0.52`.
public struct CaffeSolverParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.caffeConsole] }

    public func confidence(for input: LogInput) -> Double {
        // Every input is asked: most say no at once. The solver announces itself first; the net's
        // definitions it prints next can push the first iteration past the sniffed bytes.
        if input.prefix(LogInput.sniffBytes, holds: "] Initializing solver from parameters") { return 0.6 }
        guard input.prefix(LogInput.sniffBytes, holds: "Iteration ") else { return 0 }
        var outputs = 0, iterations = 0, lines = 0
        try? LineStream.screenLines(of: .memory(input.prefixData(LogInput.sniffBytes))) { line in
            lines += 1
            if let state = line.lastSegment {
                switch Self.line(String(decoding: line.bytes[state], as: UTF8.self)) {
                case .output: outputs += 1
                case .iteration: iterations += 1
                default: break
                }
            }
            return outputs + iterations < 4 && lines < 3000
        }
        // Above the console dialects, which read `loss = ` on an iteration line as a bare loss per epoch.
        return iterations >= 1 && outputs + iterations >= 2 ? 0.6 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        var reading = Reading(assembler: RunAssembler(source: input.source, format: .caffeConsole, limits: input.runLimits))
        var traceback = TracebackCollector()
        try LineStream.screenLines(of: input.content) { line in
            traceback.observe(line)
            guard let state = line.lastSegment else { return true }
            reading.take(Self.line(String(decoding: line.bytes[state], as: UTF8.self)), line: line.number)
            return true
        }
        reading.flush()
        var runs = reading.periods.finish(&reading.assembler)
        traceback.attachCrash(to: &runs, after: reading.lastRecordLine)
        return runs
    }

    /// What one line of a solver log says.
    enum Line: Equatable {
        /// `Iteration N (…), loss = X` (or `Iteration N, loss = X`): a displayed training iteration.
        case iteration(Int, smoothedLoss: Double)
        /// `Iteration N, Testing net (#k)`: the test net's outputs follow.
        case testing(Int)
        /// `Iteration N, lr = X`.
        case learningRate(Int, Double)
        /// `Train net output #k: name = X (…)` or `Test net output #k: …`.
        case output(isTest: Bool, name: String, value: Double)
        case other
    }

    /// Collects the outputs that follow an iteration line into that iteration's record.
    private struct Reading {
        var assembler: RunAssembler
        var periods = StepPeriods()
        var lastRecordLine = 0
        private var pending: MetricRecord?
        private var smoothedLoss: Double?
        private var isTesting = false

        init(assembler: RunAssembler) {
            self.assembler = assembler
        }

        mutating func take(_ line: Line, line number: Int) {
            switch line {
            case .iteration(let step, let loss):
                flush()
                pending = MetricRecord(step: step, stepIsGlobal: true, line: number)
                smoothedLoss = loss
                isTesting = false
            case .testing(let step):
                flush()
                pending = MetricRecord(step: step, stepIsGlobal: true, line: number)
                isTesting = true
            case .learningRate(let step, let rate):
                if pending?.step != step || isTesting {
                    flush()
                    pending = MetricRecord(step: step, stepIsGlobal: true, line: number)
                    isTesting = false
                }
                pending?.values.append((MetricName(raw: "lr"), rate))
            case .output(let isTest, let name, let value):
                guard pending != nil, isTest == isTesting else { return }
                var metric = MetricName(raw: name)
                if isTest, MetricName.statedSplit(in: name) == nil { metric.split = .test }
                pending?.values.append((metric, value))
            case .other:
                break
            }
        }

        mutating func flush() {
            guard var record = pending else { return }
            pending = nil
            if !isTesting, let smoothedLoss, !record.values.contains(where: { $0.name.kind == .loss }) {
                record.values.insert((MetricName(raw: "loss"), smoothedLoss), at: 0)
            }
            smoothedLoss = nil
            guard !record.values.isEmpty else { return }
            periods.place(&record)
            assembler.add(record)
            lastRecordLine = record.line
        }
    }

    /// Reads one line: its message after a glog prefix (`I0515 11:05:31.873651 37636 solver.cpp:239] `).
    static func line(_ text: String) -> Line {
        var message = Substring(text)
        if let close = message.range(of: "] "), message.first.map({ "IWEF".contains($0) }) == true,
           message[..<close.lowerBound].contains(".cpp:") {
            message = message[close.upperBound...]
        }
        message = message.drop { $0 == " " || $0 == "\t" }
        for (prefix, isTest) in [("Train net output #", false), ("Test net output #", true)] where message.hasPrefix(prefix) {
            // `Train net output #0: loss = 6.90776 (* 1 = 6.90776 loss)`
            guard let colon = message.firstIndex(of: ":") else { return .other }
            let pair = message[message.index(after: colon)...].split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let value = number(pair[1]) else { return .other }
            let name = pair[0].trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name.contains(" ") ? .other : .output(isTest: isTest, name: name, value: value)
        }
        guard message.hasPrefix("Iteration ") else { return .other }
        let rest = message.dropFirst("Iteration ".count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let step = Int(digits) else { return .other }
        let tail = rest.dropFirst(digits.count)
        if tail.hasPrefix(", Testing net") { return .testing(step) }
        if tail.hasPrefix(", lr = "), let rate = number(tail.dropFirst(", lr = ".count)) { return .learningRate(step, rate) }
        // `, loss = X` right away, or after the speed: ` (1.02848 iter/s, 19.4461s/20 iters), loss = X`.
        guard let marker = tail.range(of: ", loss = "), tail.hasPrefix(", loss = ") || tail.hasPrefix(" ("),
              let loss = number(tail[marker.upperBound...]) else { return .other }
        return .iteration(step, smoothedLoss: loss)
    }

    /// The number a value text starts with (`6.90776 (* 1 = 6.90776 loss)`, `-nan`).
    private static func number(_ text: Substring) -> Double? {
        let token = text.drop { $0 == " " }.prefix { $0 != " " && $0 != "\t" }
        return NumberParsing.value(token)
    }
}
