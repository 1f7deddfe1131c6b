/*
 * schemac runtime — public API.
 *
 * What an application links to check, at start-up, that its database has
 * the schema it was compiled against, and what `schemac` itself uses to
 * apply migrations.  Functions are named schemac_<module>_<verb>, take
 * out-parameters first, and return 0 or a negative SCHEMAC_E* code.
 */
#ifndef SCHEMAC_SCHEMAC_H
#define SCHEMAC_SCHEMAC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes returned by runtime functions. */
typedef enum schemac_error {
    SCHEMAC_OK = 0,
    SCHEMAC_ERROR = -1,     /* generic failure; see the handle's message */
    SCHEMAC_ENOTFOUND = -2, /* an object or file does not exist */
    SCHEMAC_EINVALID = -3,  /* malformed input */
    SCHEMAC_ECONNECT = -4,  /* the database cannot be reached */
    SCHEMAC_ELOCKED = -5,   /* another process holds the migration lock */
    SCHEMAC_EDRIFT = -6,    /* the database differs from the schema */
} schemac_error;

/* Length of a schema hash in hex digits (XXH3-128). */
#define SCHEMAC_HASH_HEX_LEN 32

/* The runtime's version, e.g. "0.1.0". */
const char *schemac_version(void);

/*
 * Writes the XXH3-128 hash of `len` bytes at `data` as 32 lower-case hex
 * digits and a NUL into `out`.  Returns SCHEMAC_OK, or SCHEMAC_EINVALID
 * when `out` is NULL or `data` is NULL with a non-zero length.
 */
int schemac_hash_hex(char out[SCHEMAC_HASH_HEX_LEN + 1], const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
