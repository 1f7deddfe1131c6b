/*
 * Connections: one way for every command that touches a database to find
 * it and to report that it cannot.
 *
 * The target is the URL or conninfo string given with `--db`, else
 * $DATABASE_URL, else whatever libpq's own PG* environment variables and
 * service files name (sslmode and every other libpq setting pass through).
 * A failure is one line naming the database, host, port and user, and
 * never the password.
 */
#ifndef SC_CONN_H
#define SC_CONN_H

#include <libpq-fe.h>

#include "buf.h"

/* Exit code of a command that cannot reach its database. */
#define SC_EXIT_CONNECT 3

/*
 * Opens a connection to `target` (NULL or "" means $DATABASE_URL, then
 * libpq's defaults).  Returns NULL after writing one line (no newline)
 * into `err` when the server cannot be reached, refuses the credentials,
 * or has no such database.
 */
PGconn *sc_conn_open(const char *target, sc_buf *err);

/*
 * A second connection with the settings of `conn` (host, port, user,
 * password, ssl...), to database `dbname`, or to the same database when
 * `dbname` is NULL.  NULL when it cannot be made.
 */
PGconn *sc_conn_like(PGconn *conn, const char *dbname);

/*
 * Runs `sql` and expects `status` (PGRES_COMMAND_OK or PGRES_TUPLES_OK).
 * Returns the result, or NULL after writing the server's message (first
 * line, with `what` in front) into `err`.  The caller PQclear()s.
 */
PGresult *sc_conn_query(PGconn *conn, const char *sql, ExecStatusType status, const char *what,
                        sc_buf *err);

/* The first line of libpq's current error message for `conn`, with the
 * "connection to server ... failed:" and "FATAL:" prefixes dropped. */
void sc_conn_error_line(sc_buf *out, const char *message);

#endif
