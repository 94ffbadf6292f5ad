#include "CFuzzDriver.h"

// libFuzzer's documented entry point for programs that have their own main (SwiftPM executables
// always do); it is linked in by -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int losslens_fuzz_main(int argc, char **argv, losslens_fuzz_callback callback) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
