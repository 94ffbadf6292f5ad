#ifndef BYTE_KERNELS_H
#define BYTE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The first index `i` in `start..<end` where `bytes[i]` and `bytes[i - shift]` differ in digit
/// shape (they differ, and they are not both ASCII digits); `end` when none does.
/// Only where `losslens_has_avx2()` says so; needs `shift <= start`.
size_t losslens_first_shape_difference_avx2(const uint8_t *bytes, size_t start, size_t end, size_t shift);

/// Whether `losslens_first_shape_difference_avx2` runs on this CPU.
int losslens_has_avx2(void);

#endif
