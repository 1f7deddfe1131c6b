/* PostgreSQL default object names (see naming.h). */
#include "naming.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "util.h"

char *sc_name_make(sc_arena *a, const char *name1, const char *name2, const char *label)
{
    size_t n1 = strlen(name1);
    size_t n2 = name2 != NULL ? strlen(name2) : 0;
    size_t overhead = (name2 != NULL ? 1 : 0) + (label != NULL ? strlen(label) + 1 : 0);
    size_t avail = SC_NAMEDATALEN - 1 - overhead;

    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = sc_utf8_clip(name1, strlen(name1), n1);
    if (name2 != NULL)
        n2 = sc_utf8_clip(name2, strlen(name2), n2);

    size_t nl = label != NULL ? strlen(label) : 0;
    char *out = sc_arena_alloc(a, n1 + n2 + nl + 3);
    size_t k = 0;
    memcpy(out, name1, n1);
    k = n1;
    if (name2 != NULL) {
        out[k++] = '_';
        memcpy(out + k, name2, n2);
        k += n2;
    }
    if (label != NULL) {
        out[k++] = '_';
        memcpy(out + k, label, nl);
        k += nl;
    }
    out[k] = '\0';
    return out;
}

char *sc_name_join(sc_arena *a, char *const *names, size_t n)
{
    char buf[SC_NAMEDATALEN * 2];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (len > 0)
            buf[len++] = '_';
        size_t k = strlen(names[i]);
        if (k > SC_NAMEDATALEN - 1)
            k = SC_NAMEDATALEN - 1;
        memcpy(buf + len, names[i], k);
        len += k;
        buf[len] = '\0';
        if (len >= SC_NAMEDATALEN)
            break;
    }
    return sc_arena_strndup(a, buf, len);
}

const char *sc_con_label(sc_con_kind kind)
{
    switch (kind) {
    case SC_CON_PRIMARY: return "pkey";
    case SC_CON_UNIQUE: return "key";
    case SC_CON_FOREIGN: return "fkey";
    case SC_CON_CHECK: return "check";
    }
    return "con";
}

char *sc_constraint_name_addition(sc_arena *a, const sc_table *t, const sc_constraint *c)
{
    (void)t;
    switch (c->kind) {
    case SC_CON_PRIMARY:
        return NULL;
    case SC_CON_UNIQUE: {
        /* Index column names: the key columns, then the INCLUDE columns. */
        size_t n = c->ncolumns + c->ninclude;
        char **all = sc_arena_alloc(a, (n == 0 ? 1 : n) * sizeof *all);
        for (size_t i = 0; i < c->ncolumns; i++)
            all[i] = c->columns[i];
        for (size_t i = 0; i < c->ninclude; i++)
            all[c->ncolumns + i] = c->include[i];
        return sc_name_join(a, all, n);
    }
    case SC_CON_FOREIGN:
        return sc_name_join(a, c->columns, c->ncolumns);
    case SC_CON_CHECK:
        return c->ncolumns == 1 ? c->columns[0] : NULL;
    }
    return NULL;
}

char *sc_constraint_default_name(sc_arena *a, const sc_table *t, const sc_constraint *c)
{
    return sc_name_make(a, t->name, sc_constraint_name_addition(a, t, c), sc_con_label(c->kind));
}

/*
 * ChooseIndexColumnNames(): each key's name (column, or the name PostgreSQL
 * derives from the expression), then the INCLUDE columns, made distinct by
 * appending 1, 2, ... to repeats.
 */
char *sc_index_name_addition(sc_arena *a, const sc_index *x)
{
    size_t n = x->nkeys + x->ninclude;
    char **names = sc_arena_alloc(a, (n == 0 ? 1 : n) * sizeof *names);
    for (size_t i = 0; i < n; i++) {
        const char *orig;
        if (i < x->nkeys)
            orig = x->keys[i].column != NULL ? x->keys[i].column
                   : x->keys[i].colname != NULL ? x->keys[i].colname
                                                : "expr";
        else
            orig = x->include[i - x->nkeys];
        const char *cur = orig;
        char tmp[SC_NAMEDATALEN + 16];
        for (int pass = 1;; pass++) {
            bool clash = false;
            for (size_t k = 0; k < i && !clash; k++)
                clash = strcmp(names[k], cur) == 0;
            if (!clash)
                break;
            char suffix[16];
            snprintf(suffix, sizeof suffix, "%d", pass);
            size_t keep = sc_utf8_clip(orig, strlen(orig), SC_NAMEDATALEN - 1 - strlen(suffix));
            snprintf(tmp, sizeof tmp, "%.*s%s", (int)keep, orig, suffix);
            cur = tmp;
        }
        names[i] = sc_arena_strdup(a, cur);
    }
    return sc_name_join(a, names, n);
}

char *sc_index_default_name(sc_arena *a, const sc_table *t, const sc_index *x)
{
    return sc_name_make(a, t->name, sc_index_name_addition(a, x), "idx");
}
