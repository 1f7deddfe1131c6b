/*
 * schema.lock: the snapshot `schemac compile` leaves beside its migrations.
 *
 * It holds the schema as last compiled, in canonical text (readable,
 * diffable, and a valid schema file: the header is comments), and what the
 * next compile needs to skip unchanged work: the XXH3-128 of every schema
 * file compiled (all equal: nothing to do, no parsing at all), the
 * PostgreSQL major version normalisation ran on, and the normalisation
 * cache (file spelling -> catalog spelling, by the hash of the text and its
 * context).  Layout:
 *
 *   -- schemac schema.lock ... (a few lines of explanation)
 *   -- format 1
 *   -- schema-hash <hash of the body>
 *   -- migration <name of the last migration, or "none">
 *   -- server-major <major version, or 0>
 *   -- file <hash> <path relative to the schema directory>
 *   -- table <hash> <offset> <length>
 *   -- norm <key> <catalog spelling>
 *   -- end
 *   <canonical text of the schema>
 *
 * A `table` line locates one table's declaration in the canonical text
 * (byte offset and length; the hash is that of the declaration printed
 * alone), so that the next compile takes unchanged tables from the schema
 * files' model and parses only the declarations that changed.  Either
 * every table of the text has its line or none does; the text before the
 * first table holds the other objects (the canonical order puts tables
 * last).
 *
 * Paths and spellings are escaped (backslash, newline and carriage return
 * as \\, \n, \r) so that each entry stays on its line.
 */
#ifndef SC_LOCK_H
#define SC_LOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "hash.h"

typedef struct sc_lock_file {
    char *path; /* relative to the schema directory */
    char hash[SC_HASH_HEX_LEN + 1];
} sc_lock_file;

typedef struct sc_lock_norm {
    char key[SC_HASH_HEX_LEN + 1];
    char *value;     /* when added with sc_lock_add_norm(), else NULL */
    const char *raw; /* when read: the escaped text, inside the lock's text */
    size_t raw_len;
} sc_lock_norm;

typedef struct sc_lock_table {
    char hash[SC_HASH_HEX_LEN + 1];
    size_t offset, len; /* in the body */
} sc_lock_table;

typedef struct sc_lock {
    char schema_hash[SC_HASH_HEX_LEN + 1];
    char *migration; /* or NULL */
    int server_major;
    sc_lock_file *files;
    size_t nfiles, capfiles;
    sc_lock_norm *norms;
    size_t nnorms, capnorms;
    sc_lock_table *tables;
    size_t ntables, captables;
    char *text;        /* the whole file as read (owned) */
    const char *body;  /* the canonical text, inside `text` */
    size_t body_len;
} sc_lock;

/*
 * Reads `path`.  Returns 1 when it was read, 0 when it does not exist
 * (the lock is then empty), -1 after one line in `err` when it cannot be
 * read or is damaged (its body does not hash to its schema-hash line).
 * Free with sc_lock_free() in every case.
 */
int sc_lock_read(sc_lock *lock, const char *path, sc_buf *err);

/* Adds a file entry / a normalisation entry (copies its arguments). */
void sc_lock_add_file(sc_lock *lock, const char *path, const char *hash);
void sc_lock_add_norm(sc_lock *lock, const char *key, const char *value);
void sc_lock_add_table(sc_lock *lock, const char *hash, size_t offset, size_t len);

/* The value of norm entry `n`, unescaped (malloc'd: free() it).  Read
 * entries are unescaped only when asked for, since a compile with nothing
 * to do never needs them. */
char *sc_lock_norm_value(const sc_lock_norm *n);

/* A normalisation cache holding the lock's entries, of the lock's server
 * major version (free with sc_normcache_free). */
struct sc_normcache *sc_lock_normcache(const sc_lock *lock);

/* Appends the lock's text, with `body` (the canonical text whose hash is
 * lock->schema_hash) after the header. */
void sc_lock_format(sc_buf *out, const sc_lock *lock, const char *body, size_t body_len);

void sc_lock_free(sc_lock *lock);

struct sc_compiler;

/*
 * Compiles snapshot text (a lock's body, or a part of it with `partial`:
 * see sc_compiler.partial) into a model.  Returns the compiler, whose
 * diagnostics tell whether it compiled (`*ok`); free it in both cases.
 */
struct sc_compiler *sc_lock_compile(const char *text, size_t len, const char *path, bool partial,
                                    bool *ok);

#endif
