import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Turns the paths a user gives into inputs: files as they are, directories walked recursively,
/// and the event files of a TensorBoard log directory (with its `train/` and `validation/`
/// sub-folders) gathered into one input.
public struct InputCollector {
    /// Extensions read when walking a directory; a file named on the command line is always read.
    @_spi(Layers) public static let logExtensions: Set<String> = ["log", "txt", "out", "err", "json", "jsonl", "csv", "tsv", "ipynb", "stdout", ""]
    static let splitFolders: Set<String> = ["train", "training", "validation", "val", "valid", "eval", "test"]

    public enum Item {
        case file(String)
        case tensorBoard(root: String, files: [String])
        /// An MLflow run folder and its metric files (see `MLflowLayout`).
        case mlflowRun(root: String, files: [String])

        /// The path it is reported under.
        public var name: String {
            switch self {
            case let .file(path): return path
            case let .tensorBoard(root, _), let .mlflowRun(root, _): return root
            }
        }
    }

    /// What a walk of the user's paths found, decided before anything is parsed.
    public struct Layout {
        public var items: [Item]
        public var errors: [(String, any Error)]
        /// For each file named on the command line: the artifacts beside it (in its run folder)
        /// that may hold a fuller record of its run (see `CompanionSearch`).
        public var companions: [String: [Item]]
    }

    public init() {}

    /// The items to read for the given paths, in a deterministic order, and the paths that failed.
    /// With `companions`, each named file's run folder is looked through once, here.
    public func collect(_ paths: [String], companions: Bool = false) -> Layout {
        var items: [Item] = []
        var errors: [(String, any Error)] = []
        var besides: [String: [Item]] = [:]
        var folders: [String: [Item]] = [:]
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append((path, Self.missingError(path)))
                continue
            }
            if !isDirectory.boolValue {
                // A FIFO or device is read as a stream, whatever its name.
                if ByteStream.isStream(path) {
                    items.append(.file(path))
                    continue
                }
                if Self.isEventFile(path) {
                    items.append(.tensorBoard(root: path, files: [path]))
                    continue
                }
                var knownRuns: [String: Bool] = [:]
                if let (root, role) = MLflowLayout.place(of: path, knownRuns: &knownRuns), role == .metric {
                    // One metric file named alone: read as its run, with that metric only.
                    items.append(.mlflowRun(root: root, files: [path]))
                    continue
                }
                items.append(.file(path))
                if companions {
                    let folder = CompanionSearch.runFolder(ofFile: path)
                    if folders[folder] == nil { folders[folder] = CompanionSearch.candidates(in: folder) }
                    besides[path] = folders[folder]
                }
                continue
            }
            let (files, walkErrors) = walk(path)
            errors += walkErrors
            if files.isEmpty && walkErrors.isEmpty { errors.append((path, LossLensError.noLogFiles(directory: path))) }
            items += group(files, under: path)
        }
        return Layout(items: items, errors: errors, companions: besides)
    }

    /// Why a path the user named cannot be found: a symbolic link that points nowhere or at itself
    /// exists as a link, which "no such file" would deny.
    static func missingError(_ path: String) -> any Error {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return LossLensError.noSuchFile(path) }
        var status = stat()
        let loops = stat(path, &status) != 0 && errno == ELOOP
        return ReadError.unreadable(
            path: path, reason: loops ? "symbolic link loop" : "broken symbolic link: \(target) does not exist")
    }

    /// What a folder entry is, as `lstat` tells: a symbolic link is neither a file nor a folder.
    enum EntryKind {
        case file, folder, other
    }

    /// The kind of the entry at `path` (`other` when it is gone): what
    /// `FileManager.attributesOfItem(atPath:)[.type]` tells, without the dictionary of every
    /// attribute (the owner's name among them) that it builds for each entry of a folder.
    static func entryKind(of path: String) -> EntryKind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .other }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    static func isEventFile(_ path: String) -> Bool {
        (path as NSString).lastPathComponent.hasPrefix("events.out.tfevents")
    }

    /// Regular files below `root`, sorted; symbolic links to directories are not followed (no loops).
    private func walk(_ root: String) -> ([String], [(String, any Error)]) {
        let manager = FileManager.default
        var files: [String] = []
        var errors: [(String, any Error)] = []
        var pending = [root]
        var knownRuns: [String: Bool] = [:]
        while let directory = pending.popLast() {
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: directory)
            } catch {
                errors.append((directory, ReadError.unreadable(path: directory, reason: "directory cannot be listed")))
                continue
            }
            for name in names where !name.hasPrefix(".") {
                let path = (directory as NSString).appendingPathComponent(name)
                let kind = Self.entryKind(of: path)
                if kind == .folder {
                    pending.append(path)
                } else if kind == .file {
                    let ext = (name as NSString).pathExtension.lowercased()
                    if Self.isEventFile(path) || Self.logExtensions.contains(ext) {
                        files.append(path)
                    } else if path.contains("/metrics/"), MLflowLayout.place(of: path, knownRuns: &knownRuns)?.role == .metric {
                        // An MLflow metric named with a dot (`metrics/val.acc`).
                        files.append(path)
                    }
                }
            }
        }
        return (files.sorted(), errors)
    }

    private func group(_ files: [String], under root: String) -> [Item] {
        var items: [Item] = []
        var boards: [String: [String]] = [:]
        var mlflowRuns: [String: [String]] = [:]
        var knownRuns: [String: Bool] = [:]
        for file in files {
            if Self.isEventFile(file) {
                boards[Self.boardRoot(of: file), default: []].append(file)
            } else if let (run, role) = MLflowLayout.place(of: file, knownRuns: &knownRuns) {
                // A run's params and tags are settings, not logs.
                if role == .metric { mlflowRuns[run, default: []].append(file) }
            } else {
                items.append(.file(file))
            }
        }
        items += boards.keys.sorted().map { .tensorBoard(root: $0, files: boards[$0]!.sorted()) }
        items += mlflowRuns.keys.sorted().map { .mlflowRun(root: $0, files: mlflowRuns[$0]!.sorted()) }
        return items.sorted { Self.sortKey($0) < Self.sortKey($1) }
    }

    /// The run folder of an event file: its folder, or the folder above when that is a split folder.
    static func boardRoot(of file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        let name = (folder as NSString).lastPathComponent.lowercased()
        return splitFolders.contains(name) ? (folder as NSString).deletingLastPathComponent : folder
    }

    private static func sortKey(_ item: Item) -> String { item.name }
}
