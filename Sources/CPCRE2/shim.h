#ifndef LOSSLENS_CPCRE2_SHIM_H
#define LOSSLENS_CPCRE2_SHIM_H
// PCRE2 needs the code unit width before its header; losslens matches UTF-8 bytes.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
