import Foundation

/// Memory for the read buffers that take megabytes: a log's chunk, a worker's block.
///
/// Read into fresh memory, every 4 KB page faults once, and in a virtual machine with memory
/// accounting a fault costs microseconds: choosing a dialect on the first 1.5 MB of a log spent
/// two thirds of its time in faults. A buffer of 2 MB or more is aligned to 2 MB and asks the
/// kernel for transparent huge pages (where the system allows them only on request), so a
/// megabyte faults once. The memory is freed with `release`.
@_spi(Layers) public enum LargeBuffer {
    private static let hugePage = 2 << 20
    @_spi(Layers) public static let page = 4096

    /// Page-aligned memory for `byteCount` bytes (2 MB-aligned from 2 MB on). Huge pages only
    /// when the caller will fill the memory: the kernel zeroes a huge page whole at its first
    /// touch, so a buffer for a small file would cost 2 MB of zeroing for a few bytes read.
    @_spi(Layers) public static func allocate(byteCount: Int, willBeFilled: Bool) -> UnsafeMutableRawPointer {
        let huge = willBeFilled && byteCount >= hugePage
        let alignment = huge ? hugePage : page
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, alignment, max(1, byteCount)) == 0, let memory else {
            fatalError("out of memory allocating \(byteCount) bytes")
        }
        #if os(Linux)
        // Advice only: without huge pages the memory works the same. Only whole huge pages get
        // one; the tail is not rounded up, since the kernel zeroes every page it hands out.
        if huge { _ = madvise(memory, byteCount / hugePage * hugePage, MADV_HUGEPAGE) }
        #endif
        return memory
    }

    static func release(_ memory: UnsafeMutableRawPointer) {
        free(memory)
    }
}
