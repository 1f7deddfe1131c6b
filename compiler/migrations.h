/*
 * The migrations directory: numbered pairs `NNNN_name.up.sql` and
 * `NNNN_name.down.sql`, and `schemac.sum`, the XXH3-128 of every file and
 * of the whole set, which catches a migration edited after it was
 * compiled (or a merge that left two files with one number).
 *
 * schemac.sum:
 *
 *   # schemac.sum: ...
 *   <hash> <chain> 0001_initial.down.sql
 *   <hash> <chain> 0001_initial.up.sql
 *   <chain> total
 *
 * one line per file in name order: the file's XXH3-128, and the chain
 * (the XXH3-128 of the previous chain and this file's hash, starting from
 * zeros), so that two branches that each add a migration conflict in git
 * instead of interleaving; the last line is the chain's end.
 */
#ifndef SC_MIGRATIONS_H
#define SC_MIGRATIONS_H

#include <stddef.h>

#include "buf.h"

typedef struct sc_migration {
    unsigned number;
    char *name;     /* "0002_portfolio_hardening" */
    char *up, *down; /* file contents */
    size_t up_len, down_len;
} sc_migration;

typedef struct sc_migrations {
    sc_migration *items; /* by number */
    size_t n, cap;
    char *sum;           /* schemac.sum as read, or NULL */
} sc_migrations;

/*
 * Reads every migration of `dir` (a missing directory is an empty list).
 * Returns 0, or -1 after one line in `err`: a pair with a missing half, two
 * migrations with one number, an unreadable file.
 */
int sc_migrations_read(sc_migrations *list, const char *dir, sc_buf *err);

/* Appends the schemac.sum text for `list`. */
void sc_migrations_sum(sc_buf *out, const sc_migrations *list);

/*
 * Checks the files against the schemac.sum read with them: 0 when they
 * match (or there are neither migrations nor a sum), else -1 after one
 * line in `err` naming the first file that differs.
 */
int sc_migrations_verify(const sc_migrations *list, sc_buf *err);

/* The next free number (1 for an empty list). */
unsigned sc_migrations_next(const sc_migrations *list);

/* Adds a migration (copies its arguments). */
void sc_migrations_add(sc_migrations *list, unsigned number, const char *name, const char *up,
                       const char *down);

void sc_migrations_free(sc_migrations *list);

/* Appends a file-name slug of `text`: lower-case letters, digits and
 * underscores, at most `max` bytes, "migration" when nothing is left. */
void sc_slug(sc_buf *out, const char *text, size_t max);

#endif
