#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

typedef int (*losslens_fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver (command-line options, corpus, mutation loop) on `callback`.
int losslens_fuzz_main(int argc, char **argv, losslens_fuzz_callback callback);

#endif
