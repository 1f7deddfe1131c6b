/*
 * Applying migrations: one file (up or down) at a time, under the ledger.
 *
 * A file is split into statements (sqlsplit.h) and grouped into units: a
 * BEGIN ... COMMIT block of the file, a run of statements outside any
 * block, or a statement that cannot run in a transaction block (CREATE
 * INDEX CONCURRENTLY and its kind), alone.  A file whose units are all
 * transactional and that has at most one block runs as ONE transaction,
 * together with its ledger row: it is applied entirely or not at all.
 * Other files run unit by unit, each transactional unit committed with
 * the count of units done in the ledger's progress table, so that a run
 * that was interrupted (killed, disconnected, a failing statement)
 * continues where it stopped; before a concurrent index build is run
 * again, an INVALID index left by an interrupted build is dropped, and a
 * valid one counts as built.  The ledger row is written when every unit
 * succeeded.
 *
 * Files written by `schemac compile` carry the schema hashes before and
 * after in their header (sc_model_hash_loose): the live catalog must hash
 * to the first before anything runs (not checked when an interrupted run is
 * resumed: part of the file already ran), and to the second before the
 * ledger row is written (otherwise a single-transaction file is rolled
 * back, and a multi-part one undone by running its down file).  A resumed run first repeats the session SET statements of
 * the parts already done, so the rest runs with the file's settings.
 * Hand-written files have no header; they skip those checks.
 *
 * A statement that fails on lock_timeout (SQLSTATE 55P03) is retried, its
 * unit (or the whole single-transaction file) from the start, with a
 * doubling backoff, a bounded number of times; each attempt is printed.
 */
#ifndef SC_APPLY_H
#define SC_APPLY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "hash.h"
#include "ledger.h"

/* One migration: its number, name ("0002_portfolio_hardening") and files. */
typedef struct sc_mfile {
    unsigned version;
    const char *name;
    const char *up, *down;
    size_t up_len, down_len;
} sc_mfile;

typedef struct sc_apply_opts {
    FILE *progress;      /* progress lines, or NULL */
    int lock_retries;    /* retries after a lock_timeout (e.g. 4) */
    int retry_ms;        /* the first wait; doubles each time */
    bool check_hashes;   /* compare the catalog with the header's hashes */
    int slow_seconds;    /* a statement running longer prints its elapsed time */
} sc_apply_opts;

#define SC_APPLY_OPTS_INIT {stderr, 4, 500, true, 5}

/* The header's "-- from schema H" / "-- to schema H" hashes ("" when the
 * file has no header). */
void sc_mfile_hashes(const char *text, size_t len, char from[SC_HASH_HEX_LEN + 1],
                     char to[SC_HASH_HEX_LEN + 1]);

/*
 * The live schema's hash as headers record it (the ledger's own objects
 * left out); also the model read when `model` is not NULL (the caller
 * frees it).  0 or -1.  Runs in the current transaction if one is open.
 */
int sc_live_hash(PGconn *c, const sc_ledger *l, char out[SC_HASH_HEX_LEN + 1], sc_model **model,
                 sc_buf *err);

/*
 * Runs the up file of `m` (down = false) and writes its ledger row, or its
 * down file and removes the row.  Returns 0; -2 when the database does not
 * have the schema the file starts from (drift: nothing ran); or -1 after
 * one line in `err` saying what failed and what state the database is in.
 */
int sc_apply(PGconn *c, const sc_ledger *l, const sc_mfile *m, bool down, const sc_apply_opts *o,
             sc_buf *err);

#endif
