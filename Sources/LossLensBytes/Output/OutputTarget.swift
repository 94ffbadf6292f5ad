import Foundation

/// Why a path cannot take a report, with the system's reason.
@_spi(Layers) public struct OutputFileError: LocalizedError, Equatable {
    @_spi(Layers) public let path: String
    @_spi(Layers) public let reason: String

    @_spi(Layers) public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    @_spi(Layers) public init(path: String, errno code: Int32) {
        self.init(path: path, reason: String(cString: strerror(code)))
    }

    public var errorDescription: String? { "\(path): \(reason)" }
}

/// What an output path is, which decides how it is written (see `OutputFile`).
@_spi(Layers) public enum OutputTarget: Equatable {
    /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`: the descriptor the process already has, so a
    /// `>> file` redirection keeps appending and a pipe stays the same pipe.
    case descriptor(Int32)
    /// No file yet: made whole beside its final name, then renamed to it.
    case create(path: String)
    /// A regular file with one name: its replacement is made whole beside it, then renamed over it.
    case replace(path: String, status: stat)
    /// A regular file with other names (hard links): rewritten in place, so every name sees it.
    case rewrite(path: String)
    /// A FIFO, a device, a socket: written through, as a shell's `>` would.
    case stream(path: String)

    /// The target a path names, following symbolic links, so a link's target is written and the
    /// link stays. Fails for a directory and for a folder that does not exist.
    @_spi(Layers) public static func resolve(_ path: String) throws -> OutputTarget {
        var current = path
        for _ in 0..<40 {
            if let descriptor = standardDescriptor(current) { return .descriptor(descriptor) }
            var status = stat()
            guard lstat(current, &status) == 0 else {
                guard errno == ENOENT else { throw OutputFileError(path: path, errno: errno) }
                try checkFolder(of: current, for: path)
                try refuseKernelFiles(folder(of: current), for: path)
                return .create(path: current)
            }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                current = try linkTarget(of: current, for: path)
            case S_IFDIR:
                throw OutputFileError(path: path, errno: EISDIR)
            case S_IFREG:
                try refuseKernelFiles(current, for: path)
                return status.st_nlink > 1 ? .rewrite(path: current) : .replace(path: current, status: status)
            default:
                return .stream(path: current)
            }
        }
        throw OutputFileError(path: path, errno: ELOOP)
    }

    /// The files of `/proc` and `/sys` look regular but are the kernel's settings and counters:
    /// written to, they fail with reasons such as "Illegal seek", or change the system.
    private static func refuseKernelFiles(_ path: String, for output: String) throws {
        #if os(Linux)
        guard let resolved = realpath(path, nil) else { return }
        defer { free(resolved) }
        let real = String(cString: resolved)
        for root in ["/proc", "/sys"] where real == root || real.hasPrefix(root + "/") {
            throw OutputFileError(path: output, reason: "a file of the kernel's \(root) file system, not a place for a report")
        }
        #endif
    }

    /// Whether the process may write there, as far as can be told before writing: the report is
    /// made after a possibly long analysis, and a `watch` runs for hours before it writes.
    @_spi(Layers) public func checkWritable(as path: String) throws {
        switch self {
        case .descriptor: return
        case let .create(file):
            try Self.require(Self.folder(of: file), W_OK | X_OK, for: path)
        case let .replace(file, _):
            if access(Self.folder(of: file), W_OK | X_OK) != 0 { try Self.require(file, W_OK, for: path) }
        case let .rewrite(file), let .stream(file):
            try Self.require(file, W_OK, for: path)
        }
    }

    /// The device and inode of the regular file that would be overwritten, to tell it from the
    /// inputs; nil for a new file, a FIFO, a device (a terminal can be input and output at once).
    @_spi(Layers) public var identity: FileIdentity? {
        switch self {
        case let .descriptor(descriptor):
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
            return FileIdentity(status)
        case .create, .stream: return nil
        case let .replace(file, _), let .rewrite(file): return FileIdentity(path: file)
        }
    }

    private static func standardDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                if let number = Int32(path.dropFirst(prefix.count)), number >= 0, fcntl(number, F_GETFD) != -1 { return number }
            }
            return nil
        }
    }

    private static func linkTarget(of link: String, for path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(link, &buffer, buffer.count - 1)
        guard length >= 0 else { throw OutputFileError(path: path, errno: errno) }
        let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.hasPrefix("/") ? target : (folder(of: link) as NSString).appendingPathComponent(target)
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    private static func checkFolder(of file: String, for path: String) throws {
        var status = stat()
        guard stat(folder(of: file), &status) == 0 else { throw OutputFileError(path: path, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw OutputFileError(path: path, errno: ENOTDIR) }
    }

    private static func require(_ file: String, _ mode: Int32, for path: String) throws {
        guard access(file, mode) == 0 else { throw OutputFileError(path: path, errno: errno) }
    }

    public static func == (lhs: OutputTarget, rhs: OutputTarget) -> Bool {
        switch (lhs, rhs) {
        case let (.descriptor(a), .descriptor(b)): return a == b
        case let (.create(a), .create(b)), let (.rewrite(a), .rewrite(b)), let (.stream(a), .stream(b)): return a == b
        case let (.replace(a, _), .replace(b, _)): return a == b
        default: return false
        }
    }
}

/// A file's device and inode: two paths (a link, `./x`) name the same file when these agree.
@_spi(Layers) public struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    /// The file a path leads to, following links; nil when it does not exist.
    @_spi(Layers) public init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.init(status)
    }

    @_spi(Layers) public init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        self.init(status)
    }

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
