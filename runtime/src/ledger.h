/*
 * The migration ledger: which migrations a database has applied.
 *
 * A table (default schemac.migrations; `--ledger SCHEMA.TABLE` names
 * another) with one row per applied migration: version, name, the
 * XXH3-128 of its up and down files, the schema hashes before and after
 * (sc_model_hash_loose, as the files' headers record them), when, how long
 * and by whom.  A second table, <table>_progress, records how far a
 * migration that cannot run in one transaction got, so that a run that was
 * interrupted continues where it stopped.  Both are created on first use.
 *
 * A run holds a session-level advisory lock derived from the ledger's name,
 * so that two deployers never apply the same migration: the second waits
 * (a bounded time) and then finds the work done.
 *
 * The ledger's own objects are not part of the schema: sc_ledger_strip()
 * removes them from a model read from the database.
 */
#ifndef SC_LEDGER_H
#define SC_LEDGER_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "model.h"

typedef struct sc_ledger_row {
    unsigned version;
    char *name;
    char *up_sum, *down_sum;
    char *before, *after; /* schema hashes, or NULL (files without headers) */
    char *applied_at;     /* as PostgreSQL prints timestamptz */
    double duration_ms;
    char *applied_by;
} sc_ledger_row;

typedef struct sc_ledger {
    char *schema, *table; /* where the ledger lives */
    sc_ledger_row *rows;  /* by version (sc_ledger_read) */
    size_t n;
} sc_ledger;

/* Sets the ledger's place from "schema.table" or "table" (schema schemac);
 * NULL means schemac.migrations.  0, or -1 with `err`. */
int sc_ledger_init(sc_ledger *l, const char *spec, sc_buf *err);

void sc_ledger_free(sc_ledger *l);

/* Creates the ledger's schema and tables when missing.  0 or -1. */
int sc_ledger_ensure(PGconn *c, const sc_ledger *l, sc_buf *err);

/* Reads the applied migrations (none when the table does not exist yet).
 * 0 or -1. */
int sc_ledger_read(PGconn *c, sc_ledger *l, sc_buf *err);

/* The row of `version`, or NULL. */
const sc_ledger_row *sc_ledger_find(const sc_ledger *l, unsigned version);

/*
 * Takes the run's advisory lock, waiting up to `wait_seconds` (printing a
 * line to `notice` once when it has to wait, if not NULL).  0, or -1 with
 * `err` when the wait ran out.
 */
int sc_ledger_lock(PGconn *c, const sc_ledger *l, int wait_seconds, FILE *notice, sc_buf *err);

/* Appends the ledger's qualified, quoted name (`suffix` appended to the
 * table's name first, e.g. "_progress"). */
void sc_ledger_name(sc_buf *out, const sc_ledger *l, const char *suffix);

/* Removes the ledger's tables (and its schema, when nothing else is in it)
 * from a model read from the database. */
void sc_ledger_strip(sc_model *m, const sc_ledger *l);

/* sc_ledger_strip() for the ledger named by $SCHEMAC_LEDGER, else
 * schemac.migrations: what `pull`, `compile --db` and `diff --db` leave
 * out of the database they read. */
void sc_ledger_strip_default(sc_model *m);

#endif
