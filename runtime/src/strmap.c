/* String-keyed hash map with linear probing (see strmap.h). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void sc_strmap_free(sc_strmap *m)
{
    free(m->keys);
    free(m->values);
    m->keys = NULL;
    m->values = NULL;
    m->n = m->cap = 0;
}

static size_t slot_for(const char *const *keys, size_t cap, const char *key)
{
    size_t i = (size_t)sc_hash_bytes(key, strlen(key)) & (cap - 1);
    while (keys[i] != NULL && strcmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

void *sc_strmap_get(const sc_strmap *m, const char *key)
{
    if (m->cap == 0)
        return NULL;
    size_t i = slot_for(m->keys, m->cap, key);
    return m->keys[i] != NULL ? m->values[i] : NULL;
}

static void grow(sc_strmap *m)
{
    size_t cap = m->cap == 0 ? 16 : m->cap * 2;
    const char **keys = sc_xcalloc(cap, sizeof *keys);
    void **values = sc_xcalloc(cap, sizeof *values);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == NULL)
            continue;
        size_t j = slot_for(keys, cap, m->keys[i]);
        keys[j] = m->keys[i];
        values[j] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
}

void *sc_strmap_put(sc_strmap *m, const char *key, void *value)
{
    if ((m->n + 1) * 4 > m->cap * 3)
        grow(m);
    size_t i = slot_for(m->keys, m->cap, key);
    if (m->keys[i] != NULL)
        return m->values[i];
    m->keys[i] = key;
    m->values[i] = value;
    m->n++;
    return NULL;
}
