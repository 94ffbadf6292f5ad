import Foundation

/// The process's standard descriptors, made safe to use before anything else runs.
@_spi(Layers) public enum StandardStreams {
    /// Which of standard input, output and error were closed when losslens started (`2>&-`).
    @_spi(Layers) nonisolated(unsafe) public private(set) static var closedAtStart: Set<Int32> = []

    /// Call first thing. A descriptor 0, 1 or 2 that the caller closed is taken by a placeholder:
    /// otherwise the next file opened (a report, a spool) would get that number and the error
    /// messages or the log would land in it. The placeholder is `/dev/null` opened the wrong way
    /// round, so reading and writing it still fail (EBADF) as they would on the closed descriptor,
    /// and those failures are reported rather than silently swallowed.
    ///
    /// A write to a closed pipe fails with EPIPE instead of killing the process, and a write past
    /// a file size limit (`ulimit -f`) with EFBIG instead of SIGXFSZ: both become messages.
    @_spi(Layers) public static func prepare() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let placeholder = open("/dev/null", descriptor == STDIN_FILENO ? O_WRONLY : O_RDONLY)
            if placeholder >= 0, placeholder != descriptor {
                dup2(placeholder, descriptor)
                close(placeholder)
            }
            closedAtStart.insert(descriptor)
        }
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// Whether standard input was closed (`<&-`), so a read of it can say so.
    @_spi(Layers) public static var inputWasClosed: Bool { closedAtStart.contains(STDIN_FILENO) }
}
