import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Turns the paths a user gives into inputs: files as they are, directories walked recursively,
/// and the event files of a TensorBoard log directory (with its `train/` and `validation/`
/// sub-folders) gathered into one input.
public struct InputCollector {
    /// Extensions read when walking a directory; a file named on the command line is always read.
    @_spi(Layers) public static let logExtensions: Set<String> = ["log", "txt", "out", "err", "json", "csv", "tsv", "ipynb", "stdout", ""]
    static let splitFolders: Set<String> = ["train", "training", "validation", "val", "valid", "eval", "test"]

    public enum Item {
        case file(String)
        case tensorBoard(root: String, files: [String])
    }

    public init() {}

    /// The items to read for the given paths, in a deterministic order, and the paths that failed.
    public func collect(_ paths: [String]) -> (items: [Item], errors: [(String, any Error)]) {
        var items: [Item] = []
        var errors: [(String, any Error)] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append((path, Self.missingError(path)))
                continue
            }
            if !isDirectory.boolValue {
                // A FIFO or device is read as a stream, whatever its name.
                let isEventFile = Self.isEventFile(path) && !ByteStream.isStream(path)
                items.append(isEventFile ? .tensorBoard(root: path, files: [path]) : .file(path))
                continue
            }
            let (files, walkErrors) = walk(path)
            errors += walkErrors
            if files.isEmpty && walkErrors.isEmpty { errors.append((path, LossLensError.noLogFiles(directory: path))) }
            items += group(files, under: path)
        }
        return (items, errors)
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

    static func isEventFile(_ path: String) -> Bool {
        (path as NSString).lastPathComponent.hasPrefix("events.out.tfevents")
    }

    /// Regular files below `root`, sorted; symbolic links to directories are not followed (no loops).
    private func walk(_ root: String) -> ([String], [(String, any Error)]) {
        let manager = FileManager.default
        var files: [String] = []
        var errors: [(String, any Error)] = []
        var pending = [root]
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
                guard let attributes = try? manager.attributesOfItem(atPath: path),
                    let type = attributes[.type] as? FileAttributeType
                else { continue }
                if type == .typeDirectory {
                    pending.append(path)
                } else if type == .typeRegular {
                    let ext = (name as NSString).pathExtension.lowercased()
                    if Self.isEventFile(path) || Self.logExtensions.contains(ext) { files.append(path) }
                }
            }
        }
        return (files.sorted(), errors)
    }

    private func group(_ files: [String], under root: String) -> [Item] {
        var items: [Item] = []
        var boards: [String: [String]] = [:]
        for file in files {
            if Self.isEventFile(file) {
                boards[Self.boardRoot(of: file), default: []].append(file)
            } else {
                items.append(.file(file))
            }
        }
        items += boards.keys.sorted().map { .tensorBoard(root: $0, files: boards[$0]!.sorted()) }
        return items.sorted { Self.sortKey($0) < Self.sortKey($1) }
    }

    /// The run folder of an event file: its folder, or the folder above when that is a split folder.
    static func boardRoot(of file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        let name = (folder as NSString).lastPathComponent.lowercased()
        return splitFolders.contains(name) ? (folder as NSString).deletingLastPathComponent : folder
    }

    private static func sortKey(_ item: Item) -> String {
        switch item {
        case let .file(path): return path
        case let .tensorBoard(root, _): return root
        }
    }
}
