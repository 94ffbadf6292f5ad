#include "ByteKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

/// AVX2 needs the CPU to have it and the operating system to save the wide registers (XCR0).
static int detect_avx2(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (osxsave | avx)) != (osxsave | avx)) return 0;
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 5)) != 0;
}

int losslens_has_avx2(void) {
    static int state = -1;
    // Threads that race here compute the same answer.
    int known = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (known < 0) {
        known = detect_avx2();
        __atomic_store_n(&state, known, __ATOMIC_RELAXED);
    }
    return known;
}

/// All 32 lanes alike in shape: equal, or both digits (`x - '0'` at most 9, unsigned).
__attribute__((target("avx2"))) static inline __m256i same_shape(const uint8_t *here, const uint8_t *before) {
    const __m256i zero = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8(9);
    __m256i a = _mm256_loadu_si256((const __m256i *)here);
    __m256i b = _mm256_loadu_si256((const __m256i *)before);
    __m256i da = _mm256_sub_epi8(a, zero), db = _mm256_sub_epi8(b, zero);
    // Both digits when the larger offset from '0' is at most 9.
    __m256i larger = _mm256_max_epu8(da, db);
    __m256i both_digits = _mm256_cmpeq_epi8(_mm256_min_epu8(larger, nine), larger);
    return _mm256_or_si256(_mm256_cmpeq_epi8(a, b), both_digits);
}

__attribute__((target("avx2"))) static size_t first_difference_avx2(const uint8_t *bytes, size_t start, size_t end, size_t shift) {
    size_t index = start;
    while (index + 64 <= end) {
        __m256i ok = _mm256_and_si256(same_shape(bytes + index, bytes + index - shift),
                                      same_shape(bytes + index + 32, bytes + index + 32 - shift));
        if (_mm256_movemask_epi8(ok) != -1) break;
        index += 64;
    }
    while (index + 32 <= end && _mm256_movemask_epi8(same_shape(bytes + index, bytes + index - shift)) == -1) index += 32;
    for (; index < end; index++) {
        uint8_t a = bytes[index], b = bytes[index - shift];
        if (a != b && !((uint8_t)(a - '0') < 10 && (uint8_t)(b - '0') < 10)) return index;
    }
    return end;
}

size_t losslens_first_shape_difference_avx2(const uint8_t *bytes, size_t start, size_t end, size_t shift) {
    return first_difference_avx2(bytes, start, end, shift);
}

#else

int losslens_has_avx2(void) { return 0; }

size_t losslens_first_shape_difference_avx2(const uint8_t *bytes, size_t start, size_t end, size_t shift) {
    // Never called: `losslens_has_avx2()` is 0 here.
    (void)bytes; (void)start; (void)shift;
    return end;
}

#endif
