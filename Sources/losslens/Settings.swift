import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensModel
import TOMLKit

/// Settings from a file, as ruff and eslint users keep them: `.losslens.toml` (or `losslens.toml`)
/// in the working directory or the nearest parent that has one, or the `[tool.losslens]` table of
/// the nearest `pyproject.toml` that has one (in one folder, `.losslens.toml` comes first). Keys
/// mirror the command-line options; options given on the command line win.
///
/// ```toml
/// fail-on = "warning"            # error | warning | info | never
/// min-severity = "info"          # info | warning | error
/// ignore = ["too-short"]         # added to --ignore
/// classes = 10
/// format = "text"                # markdown | json | text | junit | github | jsonl
/// patterns = "ci/patterns"       # relative to the file's folder
///
/// [replay]                       # the EarlyStopping replay
/// patience = [3, 5, 10]
///
/// [rules.spike]                  # per-rule settings
/// severity = "error"
///
/// [per-path-ignores]             # rules not run for some logs (paths from the file's folder)
/// "runs/smoke/*" = ["too-short", "not-converged"]
/// ```
struct Settings {
    /// The file the settings came from (nil: none was found, or `--no-config`).
    var file: String?
    var ignore: [String] = []
    var failOn: FailOn?
    var minSeverity: Severity?
    var classes: Int?
    var format: ReportFormat?
    var patterns: String?
    var replayPatiences: [Int]?
    var severityOverrides: [String: Severity] = [:]
    var pathIgnores: [PathIgnore] = []

    static let fileNames = [".losslens.toml", "losslens.toml"]

    /// The settings that apply in `directory`: `explicit` when given, else the nearest file.
    static func load(explicit: String?, disabled: Bool, from directory: String = FileManager.default.currentDirectoryPath) throws -> Settings {
        if disabled { return Settings() }
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw ValidationError("The settings file \(explicit) does not exist.")
            }
            let isPyproject = (explicit as NSString).lastPathComponent == "pyproject.toml"
            return try parse(file: explicit, pyproject: isPyproject) ?? Settings(file: explicit)
        }
        var folder = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            for name in fileNames {
                let candidate = folder.appendingPathComponent(name).path
                if FileManager.default.isReadableFile(atPath: candidate) {
                    return try parse(file: candidate, pyproject: false) ?? Settings(file: candidate)
                }
            }
            let pyproject = folder.appendingPathComponent("pyproject.toml").path
            if FileManager.default.isReadableFile(atPath: pyproject), let settings = try parse(file: pyproject, pyproject: true) {
                return settings
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return Settings() }
            folder = parent
        }
    }

    /// The settings in `file`; nil for a `pyproject.toml` without a `[tool.losslens]` table.
    static func parse(file: String, pyproject: Bool) throws -> Settings? {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw SettingsError(file: file, line: nil, key: nil, problem: "cannot be read: \(error.localizedDescription)")
        }
        // A pyproject.toml of another tool's is not read unless it mentions losslens at all.
        if pyproject && !text.contains("losslens") { return nil }
        let document: TOMLTable
        do {
            document = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SettingsError(file: file, line: error.source.begin.line, key: nil, problem: "is not valid TOML: \(error.description)")
        }
        let base = pyproject ? ["tool", "losslens"] : []
        var table = document
        for name in base {
            guard let next = table[name]?.table else { return nil }
            table = next
        }
        var reader = SettingsReader(file: file, text: text, base: base)
        return try reader.read(table)
    }
}

/// A bad settings file: the file, the line and the key, as a compiler would say it.
struct SettingsError: Error, LocalizedError, CustomStringConvertible {
    var file: String
    var line: Int?
    var key: String?
    var problem: String

    var description: String {
        let place = file + (line.map { ":\($0)" } ?? "")
        return "\(place): " + (key.map { "'\($0)' " } ?? "") + problem
    }

    var errorDescription: String? { description }
}

/// Reads the settings table, checking each key and value.
private struct SettingsReader {
    let file: String
    let text: String
    /// The table the settings are in (`tool.losslens` in pyproject.toml).
    let base: [String]
    let knownRules = Set(DetectorRegistry.all.map { $0.description.id })

    mutating func read(_ table: TOMLTable) throws -> Settings {
        var settings = Settings(file: file)
        let directory = (URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().path as NSString).standardizingPath
        for key in table.keys {
            let value = table[key]!
            switch key {
            case "ignore":
                settings.ignore = try rules(value, key: key, table: [])
            case "fail-on":
                settings.failOn = try choice(value, key: key, table: [], FailOn.self)
            case "min-severity":
                settings.minSeverity = try choice(value, key: key, table: [], Severity.self)
            case "format":
                settings.format = try choice(value, key: key, table: [], ReportFormat.self)
            case "classes":
                guard let classes = value.int, value.type == .int, classes >= 2 else {
                    throw error(key: key, table: [], "must be a whole number of 2 or more (a classifier has at least two classes)")
                }
                settings.classes = classes
            case "patterns":
                guard let path = value.string else { throw error(key: key, table: [], "must be a folder name (a string)") }
                settings.patterns = path.hasPrefix("/") ? path : directory + "/" + path
            case "replay":
                guard let replay = value.table else { throw error(key: key, table: [], "must be a table ([replay])") }
                for inner in replay.keys {
                    guard inner == "patience" else { throw error(key: inner, table: [key], "is not a replay setting (known: patience)") }
                    guard let list = replay[inner]?.array, !list.isEmpty,
                        case let values = list.compactMap({ $0.type == .int ? $0.int : nil }), values.count == list.count,
                        values.allSatisfy({ $0 >= 1 })
                    else { throw error(key: inner, table: [key], "must be a list of whole numbers of 1 or more, e.g. [3, 5, 10]") }
                    settings.replayPatiences = values
                }
            case "rules":
                guard let rules = value.table else { throw error(key: key, table: [], "must be a table of rules ([rules.RULE])") }
                for rule in rules.keys {
                    guard knownRules.contains(rule) else {
                        throw error(key: rule, table: [key], "is not a rule. Run 'losslens rules' to list them.")
                    }
                    guard let options = rules[rule]?.table else { throw error(key: rule, table: [key], "must be a table ([rules.\(rule)])") }
                    for option in options.keys {
                        guard option == "severity" else {
                            throw error(key: option, table: [key, rule], "is not a rule setting (known: severity)")
                        }
                        settings.severityOverrides[rule] = try choice(options[option]!, key: option, table: [key, rule], Severity.self)
                    }
                }
            case "per-path-ignores":
                guard let paths = value.table else {
                    throw error(key: key, table: [], "must be a table of path patterns and rule lists")
                }
                for pattern in paths.keys {
                    let rules = try self.rules(paths[pattern]!, key: pattern, table: [key])
                    let anchored = pattern.contains("/") && !pattern.hasPrefix("/") ? directory + "/" + pattern : pattern
                    settings.pathIgnores.append(PathIgnore(pattern: anchored, rules: Set(rules)))
                }
            default:
                let known = ["ignore", "fail-on", "min-severity", "classes", "format", "patterns", "replay", "rules", "per-path-ignores"]
                throw error(key: key, table: [], "is not a losslens setting (known: \(known.joined(separator: ", ")))")
            }
        }
        return settings
    }

    func rules(_ value: TOMLValueConvertible, key: String, table: [String]) throws -> [String] {
        guard let list = value.array, case let names = list.compactMap(\.string), names.count == list.count else {
            throw error(key: key, table: table, "must be a list of rule ids, e.g. [\"too-short\"]")
        }
        for name in names where !knownRules.contains(name) {
            throw error(key: key, table: table, "names '\(name)', which is not a rule. Run 'losslens rules' to list them.")
        }
        return names
    }

    func choice<T: RawValueArgument>(_ value: TOMLValueConvertible, key: String, table: [String], _ type: T.Type) throws -> T {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard let raw = value.string, let choice = T(rawValue: raw) else {
            let got = value.string.map { "\"\($0)\"" } ?? value.debugDescription
            throw error(key: key, table: table, "must be one of \(allowed); got \(got)")
        }
        return choice
    }

    func error(key: String, table: [String], _ problem: String) -> SettingsError {
        let path = (base + table).map { $0 }
        let name = (table + [key]).joined(separator: ".")
        return SettingsError(file: file, line: TOMLLines.line(of: key, inTable: path, text: text), key: name, problem: problem)
    }
}

/// Where a key is written in a TOML text, for error messages (TOMLKit keeps no positions of values).
enum TOMLLines {
    static func line(of key: String, inTable table: [String], text: String) -> Int? {
        var current: [String] = []
        var tableLine: Int?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let header = line.split(separator: "#").first.map(String.init) ?? line
                current = splitKey(header.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t")))
                if current == table { tableLine = index + 1 }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let written = splitKey(String(line[..<equals]))
            // `key = …` inside the table, or a dotted key (`rules.spike.severity = …`) above it.
            if current + written == table + [key] || (current.count + written.count > table.count
                && Array((current + written).prefix(table.count)) == table && (current + written).dropFirst(table.count).first == key) {
                return index + 1
            }
        }
        return tableLine
    }

    /// `a."b.c".d` as `["a", "b.c", "d"]`: dots inside quotes belong to the key.
    static func splitKey(_ key: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in key {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}
