#if canImport(Glibc)
import Glibc
#endif

/// How a process that analyzes again and again (`watch`) keeps its heap at the size of one analysis.
///
/// glibc serves an allocation of a few megabytes from a mapping of its own, freed back to the
/// system at once, but raises that size to the largest such block freed so far. Left to that,
/// the line blocks and spool buffers of later analyses come from the heap, whose freed room is
/// scattered among live objects and mostly kept, so each analysis would leave the heap a little
/// more fragmented than the one before.
@_spi(Layers) public enum Heap {
    /// Blocks this large or larger are always mapped apart. Smaller ones (a series' values) are
    /// allocated often enough that mapping each would cost time.
    @_spi(Layers) public static let separateBlockSize = 4 << 20

    /// Fixes the size past which blocks are mapped apart (`separateBlockSize`).
    @_spi(Layers) public static func mapLargeBlocksApart() {
        #if canImport(Glibc)
        _ = mallopt?(mmapThreshold, Int32(separateBlockSize))
        #endif
    }

    /// Hands freed heap room back to the system, after an analysis.
    @_spi(Layers) public static func releaseFreedMemory() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
    // glibc's own calls, which Swift's Glibc module does not declare: looked up once.
    private static let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
    private static let mallopt = lookUp("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self)
    private static let mallocTrim = lookUp("malloc_trim", as: (@convention(c) (Int) -> Int32).self)

    private static func lookUp<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
    #endif
}
