/* The migrations directory (see migrations.h). */
#include "migrations.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "source.h"
#include "util.h"

/* Parses "NNNN_name.up.sql" / "NNNN_name.down.sql": the number, the
 * name's length (up to the first dot) and which half; false for other
 * names. */
static bool parse_name(const char *f, unsigned *number, size_t *name_len, bool *up)
{
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)f[i]))
            return false;
    if (f[4] != '_')
        return false;
    const char *dot = strchr(f + 5, '.');
    if (dot == NULL || dot == f + 5)
        return false;
    for (const char *p = f + 5; p < dot; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            return false;
    if (strcmp(dot, ".up.sql") == 0)
        *up = true;
    else if (strcmp(dot, ".down.sql") == 0)
        *up = false;
    else
        return false;
    *number = (unsigned)atoi(f);
    *name_len = (size_t)(dot - f);
    return true;
}

void sc_migrations_add(sc_migrations *list, unsigned number, const char *name, const char *up,
                       const char *down)
{
    if (list->n == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 16;
        list->items = sc_xrealloc(list->items, list->cap * sizeof *list->items);
    }
    sc_migration *m = &list->items[list->n++];
    m->number = number;
    m->name = sc_xstrdup(name);
    m->up = up != NULL ? sc_xstrdup(up) : NULL;
    m->down = down != NULL ? sc_xstrdup(down) : NULL;
    m->up_len = up != NULL ? strlen(up) : 0;
    m->down_len = down != NULL ? strlen(down) : 0;
}

static int cmp_migration(const void *a, const void *b)
{
    const sc_migration *x = a, *y = b;
    return x->number < y->number ? -1 : x->number > y->number;
}

int sc_migrations_read(sc_migrations *list, const char *dir, sc_buf *err)
{
    memset(list, 0, sizeof *list);
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (errno == ENOENT)
            return 0;
        sc_buf_printf(err, "%s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
        unsigned number;
        size_t nl;
        bool up;
        if (!parse_name(e->d_name, &number, &nl, &up))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *text = sc_file_read(path, &len);
        if (text == NULL) {
            sc_buf_printf(err, "%s: %s", path, strerror(errno));
            rc = -1;
            break;
        }
        sc_migration *m = NULL;
        for (size_t i = 0; i < list->n; i++)
            if (list->items[i].number == number)
                m = &list->items[i];
        if (m != NULL && (strlen(m->name) != nl || strncmp(m->name, e->d_name, nl) != 0)) {
            sc_buf_printf(err, "%s: two migrations are numbered %04u (%s and %.*s); renumber one "
                          "of them (a merge of two branches?)",
                          dir, number, m->name, (int)nl, e->d_name);
            free(text);
            rc = -1;
            break;
        }
        if (m == NULL) {
            char *name = sc_xstrndup(e->d_name, nl);
            sc_migrations_add(list, number, name, NULL, NULL);
            free(name);
            m = &list->items[list->n - 1];
        }
        if (up) {
            m->up = text;
            m->up_len = len;
        } else {
            m->down = text;
            m->down_len = len;
        }
    }
    closedir(d);
    if (rc != 0)
        return rc;
    if (list->n > 1)
        qsort(list->items, list->n, sizeof *list->items, cmp_migration);
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].up == NULL || list->items[i].down == NULL) {
            sc_buf_printf(err, "%s: migration %s has no %s file", dir, list->items[i].name,
                          list->items[i].up == NULL ? ".up.sql" : ".down.sql");
            return -1;
        }
    char path[4096];
    snprintf(path, sizeof path, "%s/schemac.sum", dir);
    size_t len;
    list->sum = sc_file_read(path, &len);
    return 0;
}

/* One sum line: the file's own hash, the chain so far, the file's name. */
static void sum_line(sc_buf *lines, char chain[SC_HASH_HEX_LEN + 1], const char *text, size_t len,
                     const char *name, const char *suffix)
{
    char h[SC_HASH_HEX_LEN + 1];
    sc_hash_hex(h, text, len);
    char link[2 * SC_HASH_HEX_LEN + 1];
    memcpy(link, chain, SC_HASH_HEX_LEN);
    memcpy(link + SC_HASH_HEX_LEN, h, SC_HASH_HEX_LEN);
    sc_hash_hex(chain, link, 2 * SC_HASH_HEX_LEN);
    sc_buf_printf(lines, "%s %s %s%s\n", h, chain, name, suffix);
}

void sc_migrations_sum(sc_buf *out, const sc_migrations *list)
{
    sc_buf lines = SC_BUF_INIT;
    char chain[SC_HASH_HEX_LEN + 1];
    memset(chain, '0', SC_HASH_HEX_LEN);
    chain[SC_HASH_HEX_LEN] = '\0';
    for (size_t i = 0; i < list->n; i++) {
        const sc_migration *m = &list->items[i];
        /* Name order: "down" sorts before "up". */
        sum_line(&lines, chain, m->down, m->down_len, m->name, ".down.sql");
        sum_line(&lines, chain, m->up, m->up_len, m->name, ".up.sql");
    }
    sc_buf_puts(out, "# schemac.sum: for every migration file, its XXH3-128 and the hash\n"
                     "# chained over it and every earlier file; the last line is the chain's\n"
                     "# end. Written by schemac compile (or schemac sum); schemac check\n"
                     "# verifies it. Two branches that each add a migration conflict here.\n");
    sc_buf_append(out, sc_buf_str(&lines), lines.len);
    sc_buf_printf(out, "%s total\n", chain);
    sc_buf_free(&lines);
}

int sc_migrations_verify(const sc_migrations *list, sc_buf *err)
{
    if (list->sum == NULL) {
        if (list->n == 0)
            return 0;
        sc_buf_puts(err, "schemac.sum is missing; it records the checksum of every migration "
                         "(restore it from version control, or write one with schemac sum)");
        return -1;
    }
    sc_buf want = SC_BUF_INIT;
    sc_migrations_sum(&want, list);
    int rc = 0;
    if (strcmp(sc_buf_str(&want), list->sum) != 0) {
        /* Name the file of the first line that differs (its own hash
         * changed, or it is new or gone). */
        const char *a = sc_buf_str(&want), *b = list->sum;
        while (*a != '\0' && *b != '\0') {
            size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
            if (la != lb || memcmp(a, b, la) != 0)
                break;
            a += la + (a[la] != '\0');
            b += lb + (b[lb] != '\0');
        }
        /* A file line is "<hash> <chain> <name>". */
        const char *line = *a != '\0' ? a : b;
        size_t llen = strcspn(line, "\n");
        const char *name = NULL;
        size_t nlen = 0;
        if (llen > 2 * SC_HASH_HEX_LEN + 2 && line[SC_HASH_HEX_LEN] == ' ' &&
            line[2 * SC_HASH_HEX_LEN + 1] == ' ') {
            name = line + 2 * SC_HASH_HEX_LEN + 2;
            nlen = llen - 2 * SC_HASH_HEX_LEN - 2;
        }
        if (name != NULL)
            sc_buf_printf(err, "migration file %.*s does not match schemac.sum (edited, added or "
                          "removed after it was compiled?); restore it, or remove the migration "
                          "and compile again",
                          (int)nlen, name);
        else
            sc_buf_puts(err, "the migrations do not match schemac.sum (a file added, removed or "
                             "edited by hand, or the sum file itself); restore them from version "
                             "control");
        rc = -1;
    }
    sc_buf_free(&want);
    return rc;
}

unsigned sc_migrations_next(const sc_migrations *list)
{
    return list->n > 0 ? list->items[list->n - 1].number + 1 : 1;
}

void sc_migrations_free(sc_migrations *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].name);
        free(list->items[i].up);
        free(list->items[i].down);
    }
    free(list->items);
    free(list->sum);
    memset(list, 0, sizeof *list);
}

void sc_slug(sc_buf *out, const char *text, size_t max)
{
    size_t start = out->len, n = 0;
    bool sep = false;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0' && n < max; p++) {
        if (isalnum(*p) && *p < 128) {
            if (sep && n > 0 && n + 1 < max) {
                sc_buf_putc(out, '_');
                n++;
            }
            sc_buf_putc(out, (char)tolower(*p));
            n++;
            sep = false;
        } else {
            sep = true;
        }
    }
    if (out->len == start)
        sc_buf_puts(out, "migration");
}
