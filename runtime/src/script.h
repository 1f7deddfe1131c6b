/*
 * Running a migration script: its statements one at a time, as psql
 * does, so that BEGIN/COMMIT in the file delimit its transactions and a
 * statement that cannot run in a transaction block (CREATE INDEX
 * CONCURRENTLY) runs on its own.
 */
#ifndef SC_SCRIPT_H
#define SC_SCRIPT_H

#include <libpq-fe.h>
#include <stddef.h>

#include "buf.h"

/*
 * Runs the `len` bytes of `text`.  Returns 0, or -1 after stopping at the
 * first failing statement: an open transaction is rolled back, and `err`
 * gets one line naming the statement's line, the step it belongs to (the
 * `-- step N: ...` comment above it) and the server's message.  Notices
 * are not printed.
 */
int sc_script_exec(PGconn *conn, const char *text, size_t len, sc_buf *err);

#endif
