/*
 * Small helpers shared by the runtime and the compiler: allocation that
 * aborts on exhaustion (schemac cannot do anything useful without memory),
 * string hashing for lookup tables, and UTF-8 helpers.
 */
#ifndef SC_UTIL_H
#define SC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *sc_xmalloc(size_t size);
void *sc_xcalloc(size_t n, size_t size);
void *sc_xrealloc(void *p, size_t size);
char *sc_xstrdup(const char *s);
char *sc_xstrndup(const char *s, size_t len);

/* FNV-1a over `len` bytes. */
uint64_t sc_hash_bytes(const void *p, size_t len);

/* Days from 1970-01-01 of y-m-d in the proleptic Gregorian calendar with
 * astronomical years (1 BC is year 0), and back (H. Hinnant's
 * days_from_civil and civil_from_days).  |y| below 10^9: no overflow. */
int64_t sc_days_from_civil(int64_t y, int m, int d);
void sc_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* Number of code points in the first `len` bytes of UTF-8 text. */
size_t sc_utf8_width(const char *s, size_t len);

/*
 * Checks that `len` bytes are valid UTF-8 without NUL bytes.  On failure
 * stores the offset of the first bad byte in `*bad` and returns false.
 */
bool sc_utf8_valid(const char *s, size_t len, size_t *bad);

/* Longest prefix of `s` of at most `max` bytes ending on a character boundary. */
size_t sc_utf8_clip(const char *s, size_t len, size_t max);

#define SC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
