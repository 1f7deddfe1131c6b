/*
 * The SQL emitter: a plan written as the up and down files of a migration.
 *
 * Each file starts with a header (a comment block) that reviewers and the
 * runtime read: the migration's name, the schema hashes before and after,
 * whether it runs as one transaction, its steps with their hazards and
 * risk, and for the down file what it cannot restore.  Then the session
 * settings (lock_timeout, statement_timeout), the pre-flight checks of
 * every step (each fails with a clear message before anything changes),
 * and the steps, each under a `-- step N: ...` comment.  Runs of
 * transactional steps are wrapped in BEGIN/COMMIT; a step that cannot run
 * in a transaction block (CREATE INDEX CONCURRENTLY) stands alone between
 * them; a `separate` step (VALIDATE CONSTRAINT) gets a COMMIT and a new
 * BEGIN before it unless the step before it is separate too.  A step
 * whose SQL in the file's direction is only comments changes no
 * transaction.  The runtime and the replay split the file into statements with
 * sqlsplit.h and run them one by one, as psql does.
 */
#ifndef SC_EMIT_SQL_H
#define SC_EMIT_SQL_H

#include "buf.h"
#include "plan.h"

/* Session settings at the top of every script. */
#define SC_LOCK_TIMEOUT "5s"
#define SC_STATEMENT_TIMEOUT "30min"

typedef struct sc_emit_info {
    const char *name;      /* "0002_portfolio_hardening" */
    const char *from_hash; /* schema hash before the up script */
    const char *to_hash;   /* schema hash after it */
} sc_emit_info;

/* Appends the up file of `plan`. */
void sc_emit_up(sc_buf *out, const sc_plan *plan, const sc_emit_info *info);

/* Appends the down file: the inverses in reverse order.  A plan with a
 * step that has no inverse gets a down file that refuses to run (its
 * first statement raises an error naming the step). */
void sc_emit_down(sc_buf *out, const sc_plan *plan, const sc_emit_info *info);

/* Whether every step of `plan` has an inverse. */
bool sc_plan_reversible(const sc_plan *plan);

/* Whether every step of `plan` is transactional and none is `separate`
 * (the whole file is then one transaction). */
bool sc_plan_transactional(const sc_plan *plan);

/* Whether `sql` holds nothing but blank lines and "--" comment lines (the
 * SQL of a step direction that has nothing to do).  NULL counts as
 * empty. */
bool sc_sql_only_comments(const char *sql);

#endif
