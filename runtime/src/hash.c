/* Schema hashes (see hash.h). */
#include "hash.h"

#include <stdio.h>
#include <xxhash.h>

#include "buf.h"
#include "print.h"

void sc_hash_hex(char out[SC_HASH_HEX_LEN + 1], const void *data, size_t len)
{
    XXH128_hash_t h = XXH3_128bits(data, len);
    snprintf(out, SC_HASH_HEX_LEN + 1, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}

void sc_model_hash(char out[SC_HASH_HEX_LEN + 1], const sc_model *m)
{
    sc_buf b = SC_BUF_INIT;
    sc_print_canonical(&b, m);
    sc_hash_hex(out, sc_buf_str(&b), b.len);
    sc_buf_free(&b);
}
