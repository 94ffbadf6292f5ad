import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// Where the fuller artifacts of a run can sit beside a console log: the log's own folder (not
/// below it), Lightning's `lightning_logs/version_N/` and TensorBoard's `tb/`-like sub-folders.
/// The search is shallow on purpose: a log in a home folder must not start a walk of the home folder.
@_spi(Layers) public enum CompanionSearch {
    @_spi(Layers) public static let limit = 64
    @_spi(Layers) public static let boardFolders: Set<String> = ["tb", "tensorboard", "tb_logs", "logs", "runs"]
    @_spi(Layers) public static let lightningFolders: Set<String> = ["lightning_logs", "lightning"]

    /// The folder that holds the artifacts of the run a file belongs to: the file's folder (a
    /// TensorBoard run is a folder already); Lightning's `lightning_logs/version_N` and TensorBoard
    /// `tb/`/`logs/` folders belong to the folder above them.
    @_spi(Layers) public static func runFolder(ofFile path: String, isFolder: Bool = false) -> String {
        var folder = isFolder ? path : (path as NSString).deletingLastPathComponent
        var name = (folder as NSString).lastPathComponent.lowercased()
        if name.hasPrefix("version_") {
            folder = (folder as NSString).deletingLastPathComponent
            name = (folder as NSString).lastPathComponent.lowercased()
            if lightningFolders.contains(name) {
                folder = (folder as NSString).deletingLastPathComponent
            }
        } else if boardFolders.contains(name) {
            folder = (folder as NSString).deletingLastPathComponent
        }
        return folder
    }

    @_spi(Layers) public static func candidates(in folder: String) -> [InputCollector.Item] {
        let manager = FileManager.default
        var items: [InputCollector.Item] = files(in: folder).map { .file($0) }
        for name in ["lightning_logs", "lightning"] {
            let logs = (folder as NSString).appendingPathComponent(name)
            for version in subfolders(of: logs) where (version as NSString).lastPathComponent.hasPrefix("version_") {
                let metrics = (version as NSString).appendingPathComponent("metrics.csv")
                if manager.fileExists(atPath: metrics) { items.append(.file(metrics)) }
            }
        }
        for name in ["tb", "tensorboard", "tb_logs", "logs", "runs"] {
            let board = (folder as NSString).appendingPathComponent(name)
            guard !subfolders(of: board).isEmpty || !files(in: board).isEmpty else { continue }
            items += InputCollector().collect([board]).items.filter {
                if case .tensorBoard = $0 { return true }
                return false
            }
        }
        return Array(items.prefix(limit))
    }

    private static func entries(of folder: String) -> [(path: String, kind: InputCollector.EntryKind)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { name in
            let path = (folder as NSString).appendingPathComponent(name)
            return (path, InputCollector.entryKind(of: path))
        }
    }

    private static func files(in folder: String) -> [String] {
        entries(of: folder).filter {
            $0.kind == .file && InputCollector.logExtensions.contains((($0.path as NSString).pathExtension).lowercased())
        }.map(\.path)
    }

    private static func subfolders(of folder: String) -> [String] {
        entries(of: folder).filter { $0.kind == .folder }.map(\.path)
    }
}
