import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// The dialects losslens knows: the bundled pattern files, plus the user's (`--patterns DIR`).
/// A user file with the same name as a bundled one replaces it.
public struct PatternLibrary: Sendable {
    public let dialects: [PatternDialect]

    public init(dialects: [PatternDialect]) {
        self.dialects = dialects
    }

    /// The pattern files compiled into losslens (generated from `patterns/` by `scripts/embed-patterns`).
    public static func bundled() throws -> PatternLibrary {
        PatternLibrary(dialects: try BundledPatterns.files.map { file in
            try PatternDialect(name: dialectName(of: file.name), file: "patterns/\(file.name)", contents: file.contents)
        })
    }

    /// The bundled dialects plus every `*.pcre` file in `directory`.
    public static func bundled(adding directory: String?) throws -> PatternLibrary {
        let base = try bundled()
        guard let directory else { return base }
        let user = try load(directory: directory)
        let replaced = Set(user.map(\.name))
        return PatternLibrary(dialects: user + base.dialects.filter { !replaced.contains($0.name) })
    }

    @_spi(Layers) public static func load(directory: String) throws -> [PatternDialect] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw PatternFileError.unreadable(path: directory, reason: "no such file or directory")
        }
        let files: [String]
        if isDirectory.boolValue {
            do {
                files = try manager.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pcre") }.sorted()
                    .map { (directory as NSString).appendingPathComponent($0) }
            } catch {
                throw PatternFileError.unreadable(path: directory, reason: error.localizedDescription)
            }
        } else {
            files = [directory]
        }
        return try files.map { path in
            guard let data = manager.contents(atPath: path) else {
                throw PatternFileError.unreadable(path: path, reason: "permission denied or not a regular file")
            }
            return try PatternDialect(
                name: dialectName(of: path), file: path, contents: String(decoding: data, as: UTF8.self))
        }
    }

    static func dialectName(of path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
