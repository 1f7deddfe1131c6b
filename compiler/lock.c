/* schema.lock (see lock.h). */
#include "lock.h"
#include "normalize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "source.h"
#include "util.h"

static const char intro[] =
    "-- schemac schema.lock: the schema as last compiled by `schemac compile`, in\n"
    "-- canonical text, with the hashes of the schema files it came from and the\n"
    "-- normalisation cache that lets the next compile skip unchanged work.\n"
    "-- Written by schemac; do not edit (commit it with the migrations).\n";

/* Appends `s` escaped for one lock line. */
static void escape(sc_buf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\\')
            sc_buf_puts(out, "\\\\");
        else if (*s == '\n')
            sc_buf_puts(out, "\\n");
        else if (*s == '\r')
            sc_buf_puts(out, "\\r");
        else
            sc_buf_putc(out, *s);
    }
}

/* The unescaped copy of `len` bytes of `s`. */
static char *unescape(const char *s, size_t len)
{
    char *out = sc_xmalloc(len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            char c = s[++i];
            *o++ = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

void sc_lock_add_file(sc_lock *lock, const char *path, const char *hash)
{
    if (lock->nfiles == lock->capfiles) {
        lock->capfiles = lock->capfiles ? lock->capfiles * 2 : 8;
        lock->files = sc_xrealloc(lock->files, lock->capfiles * sizeof *lock->files);
    }
    sc_lock_file *f = &lock->files[lock->nfiles++];
    f->path = sc_xstrdup(path);
    snprintf(f->hash, sizeof f->hash, "%s", hash);
}

void sc_lock_add_norm(sc_lock *lock, const char *key, const char *value)
{
    if (lock->nnorms == lock->capnorms) {
        lock->capnorms = lock->capnorms ? lock->capnorms * 2 : 64;
        lock->norms = sc_xrealloc(lock->norms, lock->capnorms * sizeof *lock->norms);
    }
    sc_lock_norm *n = &lock->norms[lock->nnorms++];
    snprintf(n->key, sizeof n->key, "%s", key);
    n->value = sc_xstrdup(value);
    n->raw = NULL;
    n->raw_len = 0;
}

/* Adds a norm entry read from the lock, keeping its escaped text. */
static void add_raw_norm(sc_lock *lock, const char *key, const char *raw, size_t len)
{
    if (lock->nnorms == lock->capnorms) {
        lock->capnorms = lock->capnorms ? lock->capnorms * 2 : 64;
        lock->norms = sc_xrealloc(lock->norms, lock->capnorms * sizeof *lock->norms);
    }
    sc_lock_norm *n = &lock->norms[lock->nnorms++];
    memcpy(n->key, key, SC_HASH_HEX_LEN);
    n->key[SC_HASH_HEX_LEN] = '\0';
    n->value = NULL;
    n->raw = raw;
    n->raw_len = len;
}

char *sc_lock_norm_value(const sc_lock_norm *n)
{
    return n->value != NULL ? sc_xstrdup(n->value) : unescape(n->raw, n->raw_len);
}

void sc_lock_add_table(sc_lock *lock, const char *hash, size_t offset, size_t len)
{
    if (lock->ntables == lock->captables) {
        lock->captables = lock->captables ? lock->captables * 2 : 64;
        lock->tables = sc_xrealloc(lock->tables, lock->captables * sizeof *lock->tables);
    }
    sc_lock_table *t = &lock->tables[lock->ntables++];
    snprintf(t->hash, sizeof t->hash, "%s", hash);
    t->offset = offset;
    t->len = len;
}

/* Whether `s` (of `len` bytes) is 32 lower-case hex digits. */
static bool is_hash(const char *s, size_t len)
{
    if (len != SC_HASH_HEX_LEN)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Parses one header line (after "-- "); false when it is malformed. */
static bool header_line(sc_lock *lock, const char *l, size_t n)
{
    const char *sp = memchr(l, ' ', n);
    size_t kw = sp != NULL ? (size_t)(sp - l) : n;
    const char *arg = sp != NULL ? sp + 1 : l + n;
    size_t alen = (size_t)(l + n - arg);
    if (kw == 6 && memcmp(l, "format", 6) == 0)
        return alen == 1 && arg[0] == '1';
    if (kw == 11 && memcmp(l, "schema-hash", 11) == 0) {
        if (!is_hash(arg, alen))
            return false;
        memcpy(lock->schema_hash, arg, alen);
        lock->schema_hash[alen] = '\0';
        return true;
    }
    if (kw == 9 && memcmp(l, "migration", 9) == 0) {
        free(lock->migration);
        lock->migration = alen == 4 && memcmp(arg, "none", 4) == 0 ? NULL : unescape(arg, alen);
        return true;
    }
    if (kw == 12 && memcmp(l, "server-major", 12) == 0) {
        lock->server_major = atoi(arg);
        return true;
    }
    if (kw == 5 && memcmp(l, "table", 5) == 0) {
        if (alen < SC_HASH_HEX_LEN + 4 || !is_hash(arg, SC_HASH_HEX_LEN) ||
            arg[SC_HASH_HEX_LEN] != ' ')
            return false;
        char hash[SC_HASH_HEX_LEN + 1];
        memcpy(hash, arg, SC_HASH_HEX_LEN);
        hash[SC_HASH_HEX_LEN] = '\0';
        /* strtoull, not sscanf: sscanf measures the whole rest of the file. */
        const char *p = arg + SC_HASH_HEX_LEN + 1, *end = l + n;
        char *q;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        unsigned long long off = strtoull(p, &q, 10);
        if (q >= end || *q != ' ' || q[1] < '0' || q[1] > '9')
            return false;
        unsigned long long len = strtoull(q + 1, &q, 10);
        if (q != end)
            return false;
        sc_lock_add_table(lock, hash, (size_t)off, (size_t)len);
        return true;
    }
    if ((kw == 4 && memcmp(l, "file", 4) == 0) || (kw == 4 && memcmp(l, "norm", 4) == 0)) {
        if (alen < SC_HASH_HEX_LEN + 1 || !is_hash(arg, SC_HASH_HEX_LEN) ||
            arg[SC_HASH_HEX_LEN] != ' ')
            return false;
        if (l[0] == 'n') {
            add_raw_norm(lock, arg, arg + SC_HASH_HEX_LEN + 1, alen - SC_HASH_HEX_LEN - 1);
            return true;
        }
        char hash[SC_HASH_HEX_LEN + 1];
        memcpy(hash, arg, SC_HASH_HEX_LEN);
        hash[SC_HASH_HEX_LEN] = '\0';
        char *rest = unescape(arg + SC_HASH_HEX_LEN + 1, alen - SC_HASH_HEX_LEN - 1);
        sc_lock_add_file(lock, rest, hash);
        free(rest);
        return true;
    }
    return false;
}

sc_normcache *sc_lock_normcache(const sc_lock *lock)
{
    sc_normcache *cache = sc_normcache_new();
    sc_normcache_set_major(cache, lock->server_major);
    for (size_t i = 0; i < lock->nnorms; i++) {
        char *v = sc_lock_norm_value(&lock->norms[i]);
        sc_normcache_put(cache, lock->norms[i].key, v);
        free(v);
    }
    return cache;
}

int sc_lock_read(sc_lock *lock, const char *path, sc_buf *err)
{
    memset(lock, 0, sizeof *lock);
    size_t len;
    lock->text = sc_file_read(path, &len);
    if (lock->text == NULL) {
        if (errno == ENOENT)
            return 0;
        sc_buf_printf(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    const char *p = lock->text;
    bool ended = false, format = false;
    unsigned line = 0;
    while (*p != '\0' && !ended) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        line++;
        if (len >= 3 && memcmp(p, "-- ", 3) == 0) {
            const char *l = p + 3;
            size_t ll = len - 3;
            if (ll == 3 && memcmp(l, "end", 3) == 0) {
                ended = true;
            } else if (!format && ll >= 7 && memcmp(l, "format ", 7) == 0) {
                if (!header_line(lock, l, ll)) {
                    sc_buf_printf(err, "%s:%u: unknown lock format (written by a newer schemac?)",
                                  path, line);
                    return -1;
                }
                format = true;
            } else if (format && !header_line(lock, l, ll)) {
                /* Lines before the format line are free text. */
                sc_buf_printf(err, "%s:%u: malformed line in the lock's header", path, line);
                return -1;
            }
        } else {
            break;
        }
        p += len + (nl != NULL);
    }
    if (!ended || !format || lock->schema_hash[0] == '\0') {
        sc_buf_printf(err, "%s: not a schema.lock written by schemac (its header is incomplete); "
                      "delete it to compile from the empty schema, or compile with --db",
                      path);
        return -1;
    }
    lock->body = p;
    lock->body_len = strlen(p);
    char h[SC_HASH_HEX_LEN + 1];
    sc_hash_hex(h, lock->body, lock->body_len);
    if (strcmp(h, lock->schema_hash) != 0) {
        sc_buf_printf(err, "%s: the snapshot was edited or damaged (it hashes to %s, its header "
                      "says %s); restore it from version control, or compile with --db",
                      path, h, lock->schema_hash);
        return -1;
    }
    for (size_t i = 0; i < lock->ntables; i++)
        if (lock->tables[i].offset > lock->body_len ||
            lock->tables[i].len > lock->body_len - lock->tables[i].offset) {
            sc_buf_printf(err, "%s: a table line points outside the snapshot", path);
            return -1;
        }
    return 1;
}

void sc_lock_format(sc_buf *out, const sc_lock *lock, const char *body, size_t body_len)
{
    sc_buf_puts(out, intro);
    sc_buf_puts(out, "-- format 1\n");
    sc_buf_printf(out, "-- schema-hash %s\n", lock->schema_hash);
    sc_buf_puts(out, "-- migration ");
    if (lock->migration != NULL)
        escape(out, lock->migration);
    else
        sc_buf_puts(out, "none");
    sc_buf_printf(out, "\n-- server-major %d\n", lock->server_major);
    for (size_t i = 0; i < lock->nfiles; i++) {
        sc_buf_printf(out, "-- file %s ", lock->files[i].hash);
        escape(out, lock->files[i].path);
        sc_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < lock->nnorms; i++) {
        sc_buf_printf(out, "-- norm %s ", lock->norms[i].key);
        escape(out, lock->norms[i].value);
        sc_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < lock->ntables; i++)
        sc_buf_printf(out, "-- table %s %zu %zu\n", lock->tables[i].hash, lock->tables[i].offset,
                      lock->tables[i].len);
    sc_buf_puts(out, "-- end\n");
    sc_buf_append(out, body, body_len);
}

void sc_lock_free(sc_lock *lock)
{
    for (size_t i = 0; i < lock->nfiles; i++)
        free(lock->files[i].path);
    for (size_t i = 0; i < lock->nnorms; i++)
        free(lock->norms[i].value);
    free(lock->files);
    free(lock->norms);
    free(lock->tables);
    free(lock->migration);
    free(lock->text);
    memset(lock, 0, sizeof *lock);
}

struct sc_compiler *sc_lock_compile(const char *text, size_t len, const char *path, bool partial,
                                    bool *ok)
{
    sc_compiler *c = sc_compiler_new();
    c->partial = partial;
    sc_sources_add_text(&c->sources, path, text, len);
    *ok = sc_compiler_run(c) == 0;
    return c;
}
