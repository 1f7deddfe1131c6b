/* Schema hashes (see hash.h). */
#include "hash.h"

#include <stdio.h>
#include <xxhash.h>

#include "buf.h"
#include "print.h"
#include "util.h"

#include <stdlib.h>

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

void sc_model_hash_loose(char out[SC_HASH_HEX_LEN + 1], const sc_model *m)
{
    /* Extensions are printed from their fields; blank them for the print
     * and put them back (the model is not shared between threads). */
    size_t n = m->nextensions;
    char **saved = sc_xcalloc(2 * n + 1, sizeof *saved);
    for (size_t i = 0; i < n; i++) {
        saved[2 * i] = m->extensions[i]->schema;
        saved[2 * i + 1] = m->extensions[i]->version;
        m->extensions[i]->schema = NULL;
        m->extensions[i]->version = NULL;
    }
    sc_model_hash(out, m);
    for (size_t i = 0; i < n; i++) {
        m->extensions[i]->schema = saved[2 * i];
        m->extensions[i]->version = saved[2 * i + 1];
    }
    free(saved);
}
