/*
 * The schema hash: XXH3-128 of the model's canonical text, written as 32
 * lower-case hex digits.  Two models of the same schema have the same
 * hash whichever producer made them.
 */
#ifndef SC_HASH_H
#define SC_HASH_H

#include <stddef.h>

#include "model.h"

#define SC_HASH_HEX_LEN 32

/* Writes the XXH3-128 of `len` bytes as hex into `out` (33 bytes). */
void sc_hash_hex(char out[SC_HASH_HEX_LEN + 1], const void *data, size_t len);

/* Writes the schema hash of `m` into `out` (33 bytes). */
void sc_model_hash(char out[SC_HASH_HEX_LEN + 1], const sc_model *m);

/*
 * The hash migration headers record and the runtime checks a live database
 * against: the schema hash with every extension's schema and version left
 * out (a schema file may leave them open, and the database then has
 * whatever it has; `schemac check` compares them in detail).
 */
void sc_model_hash_loose(char out[SC_HASH_HEX_LEN + 1], const sc_model *m);

#endif
