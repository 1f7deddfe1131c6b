/*
 * sc_strmap: an open-addressing hash map from NUL-terminated strings to
 * pointers, for name lookups in large schemas (a table of 100,000 columns
 * must not cost a quadratic scan).  Keys are borrowed, not copied: they
 * must outlive the map.
 */
#ifndef SC_STRMAP_H
#define SC_STRMAP_H

#include <stddef.h>

typedef struct sc_strmap {
    const char **keys;
    void **values;
    size_t n, cap;
} sc_strmap;

#define SC_STRMAP_INIT {NULL, NULL, 0, 0}

void sc_strmap_free(sc_strmap *m);

/* Returns the value stored under `key`, or NULL. */
void *sc_strmap_get(const sc_strmap *m, const char *key);

/*
 * Stores `value` under `key` unless the key is present.  Returns the value
 * already stored (the map is then unchanged) or NULL when it was added.
 */
void *sc_strmap_put(sc_strmap *m, const char *key, void *value);

#endif
