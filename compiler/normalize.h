/*
 * Normalisation: a model read from schema files, brought to the spellings
 * the catalog prints (format_type, pg_get_expr, pg_get_indexdef), so that
 * it compares with a model read from a database.
 *
 * Two ways in.  sc_normalize() creates the whole schema in a scratch
 * database on a development server (`--dev-url`) through the DDL printer,
 * reads it back through the catalog reader and carries the file model's
 * rename hints over; the scratch database is dropped afterwards.
 *
 * sc_normalize_model() normalises in place, table by table, through an
 * expression cache (sc_normcache) that schema.lock keeps between runs: a
 * table whose types and expressions are all in the cache needs no server;
 * the others are created on the server in one transaction that is rolled
 * back.  See normalize.c for how it works.
 */
#ifndef SC_NORMALIZE_H
#define SC_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "model.h"

/*
 * Returns the normalised model, or NULL after one line in `err`; sets
 * `*connect_failed` when the development server could not be reached (the
 * caller's exit code 3) as opposed to a schema the server refused.
 */
sc_model *sc_normalize(const sc_model *files, const char *dev_url, int *connect_failed,
                       sc_buf *err);

/* ------------------------------------------------- expression cache */

/*
 * The normalisation cache: file spellings of types and expressions mapped
 * to the catalog's, under keys of 32 hex digits (see normalize.c for what
 * a key hashes).  Entries are valid for one PostgreSQL major version, the
 * cache's (sc_normcache_set_major).
 */
typedef struct sc_normcache sc_normcache;

/* Returns an empty cache, of no major version yet (0). */
sc_normcache *sc_normcache_new(void);

/* Frees the cache and its entries; accepts NULL. */
void sc_normcache_free(sc_normcache *c);

/*
 * Adds an entry read back from schema.lock: `key` is 32 hex digits,
 * `value` the catalog spelling (any bytes but NUL).  Both are copied.  A
 * key already present takes the new value.  An entry put is not "used"
 * until a normalisation looks it up.
 */
void sc_normcache_put(sc_normcache *c, const char *key, const char *value);

/*
 * Sets the PostgreSQL major version (e.g. 15) the cache's entries were
 * made on; schema.lock stores it next to them, as sc_normcache_major()
 * returns it after a run.  When sc_normalize_model() needs a server of
 * another major version, or the cache holds entries of an unknown one (0),
 * every entry is dropped and every table is normalised on the server; the
 * cache then takes the server's major.  With every table in the cache no
 * server is contacted and the version is trusted as set.
 */
void sc_normcache_set_major(sc_normcache *c, int major);

/* The major version of the cache's entries; 0 when unknown. */
int sc_normcache_major(const sc_normcache *c);

/*
 * Calls `fn` for every entry looked up or added since the cache was made,
 * in key order (this is what schema.lock keeps, so unused entries fall
 * away).  The strings passed are owned by the cache.
 */
void sc_normcache_each_used(const sc_normcache *c,
                            void (*fn)(void *ctx, const char *key, const char *value),
                            void *ctx);

/* What one sc_normalize_model() run did. */
typedef struct sc_norm_stats {
    size_t tables;          /* tables in the model */
    size_t tables_cached;   /* substituted from the cache, no server */
    size_t tables_server;   /* created on the server (fallbacks included) */
    size_t tables_fallback; /* of those, replaced by the server's table */
    double server_seconds;  /* wall time from connecting to the rollback */
    bool server_used;
    int server_major; /* the server's major version, 0 when none was used */
} sc_norm_stats;

/*
 * Normalises the checked file model `m` in place.  Tables whose every
 * type and expression is in the cache are substituted without any server.
 * The others are created on the server in ONE transaction that is rolled
 * back (no CREATE DATABASE): the non-table objects (schemas, extensions,
 * collations, enums, sequences without OWNED BY) plus the missing tables
 * without their foreign keys, then the catalog is read inside that same
 * transaction, then ROLLBACK.  Each such table takes the server's
 * spellings, which are added to the cache; when its canonical text still
 * differs from the server's (a normalisation beyond types and
 * expressions), it is replaced by a copy of the server's table that keeps
 * the file's foreign keys, rename hints, comments and source locations,
 * and is not cached (a fallback).  Non-table objects keep the file's form
 * (extensions the file leaves open keep a NULL schema and version).
 *
 * `get_url` is called only when a server is needed (it may start a
 * private server): it returns a malloc'd libpq conninfo, which this
 * function frees, or NULL after one line in its `err` (then
 * `*connect_failed` is set).  The database it names must be one where
 * schemac may create objects inside a rolled-back transaction (the
 * caller passes a scratch database's).  `stats` may be NULL.
 *
 * Returns 0, or -1 after one line in `err`: the server cannot be reached
 * (`*connect_failed` set to 1), or refuses the schema (the server's
 * message).  On -1 the model may be partly normalised.
 */
int sc_normalize_model(sc_model *m, sc_normcache *cache,
                       char *(*get_url)(void *ctx, sc_buf *err), void *ctx,
                       sc_norm_stats *stats, int *connect_failed, sc_buf *err);

#endif
