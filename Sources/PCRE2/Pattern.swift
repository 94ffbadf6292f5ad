import CPCRE2

/// A compiled PCRE2 pattern. It owns the compiled code and frees it in `deinit`.
///
/// Patterns are compiled for UTF-8 with `PCRE2_MATCH_INVALID_UTF`, so log bytes that are not valid
/// UTF-8 (a GBK comment, a stray binary byte) never make matching fail: they simply do not match.
public final class Pattern: @unchecked Sendable {
    public struct Limits: Sendable, Hashable {
        /// Upper bound on internal match() calls per attempt; stops catastrophic backtracking.
        public var matchLimit: UInt32
        /// Upper bound on backtracking depth (interpreter only; JIT uses its own stack).
        public var depthLimit: UInt32

        public init(matchLimit: UInt32 = 1_000_000, depthLimit: UInt32 = 10_000) {
            self.matchLimit = matchLimit
            self.depthLimit = depthLimit
        }

        public static let `default` = Limits()
    }

    public let source: String
    public let origin: PatternOrigin?
    public let limits: Limits
    /// Whether PCRE2 produced JIT code; when JIT is unavailable the interpreter is used.
    public let isJITCompiled: Bool
    /// Whether the linked PCRE2 was built with JIT support (it may still be refused at run time,
    /// where executable memory is not allowed).
    public static var libraryHasJIT: Bool {
        var supported: UInt32 = 0
        return pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &supported) >= 0 && supported == 1
    }
    /// Capture group names and their group numbers.
    public let groupNumbers: [String: Int]
    public let captureCount: Int

    let code: OpaquePointer

    public init(
        _ source: String, caseInsensitive: Bool = false, origin: PatternOrigin? = nil, limits: Limits = .default
    ) throws {
        self.source = source
        self.origin = origin
        self.limits = limits
        var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_MATCH_INVALID_UTF)
        if caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled = source.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: source.utf8.count) { bytes in
                pcre2_compile_8(bytes, source.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw PCRE2Error.compile(
                message: PCRE2Error.message(for: errorCode), offset: errorOffset, pattern: source, origin: origin)
        }
        code = compiled
        isJITCompiled = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        (groupNumbers, captureCount) = Pattern.readGroupNames(compiled)
    }

    deinit {
        pcre2_code_free_8(code)
    }

    /// A matcher owns the match data and match context, so it is created once and reused per line.
    public func makeMatcher() -> Matcher {
        Matcher(pattern: self)
    }

    private static func readGroupNames(_ code: OpaquePointer) -> ([String: Int], Int) {
        var captures: UInt32 = 0
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        var names: [String: Int] = [:]
        guard let table, count > 0 else { return (names, Int(captures)) }
        // Each entry: two bytes of group number (big-endian), then the NUL-terminated name.
        for index in 0..<Int(count) {
            let entry = table + index * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            let name = String(cString: entry + 2)
            names[name] = number
        }
        return (names, Int(captures))
    }
}
