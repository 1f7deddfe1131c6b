/*
 * pgfix — a throwaway PostgreSQL server for integration tests and benchmarks.
 *
 * pgfix_start() runs initdb into a fresh temporary directory and starts a
 * private postgres that listens only on a unix socket in its own short
 * socket directory, on a random port, with durability switched off for
 * speed.  The cluster superuser is always "postgres" with trust
 * authentication, so connection strings are predictable.  pgfix_stop()
 * stops the server and removes every file it made; should the process die
 * without calling it, a small watchdog process does the same.
 *
 * When run as root (as in CI), initdb and pg_ctl run as the `postgres`
 * system user (or `nobody`), since PostgreSQL refuses to run as root.
 *
 * Binaries come from $SCHEMAC_PG_BINDIR, else `pg_config --bindir`, else
 * the highest /usr/lib/postgresql/<version>/bin.  Nothing here calls exit():
 * failures return NULL or -1 after printing why on stderr.
 *
 * Strings returned by the fixture are owned by it and stay valid until
 * pgfix_stop().  A fixture is not thread-safe.
 */
#ifndef SCHEMAC_TESTS_PGFIX_H
#define SCHEMAC_TESTS_PGFIX_H

/* A running private cluster (opaque). */
typedef struct pgfix pgfix;

/* Creates and starts a private cluster; NULL (after a message on stderr)
 * on failure.  Takes about a second or two. */
pgfix *pgfix_start(void);

/* Stops the server and removes its temporary directories.  Accepts NULL. */
void pgfix_stop(pgfix *f);

/* libpq conninfo for database `dbname`, e.g.
 * "host=/tmp/pgfix.AbC123/s port=54321 user=postgres dbname=foo". */
const char *pgfix_conninfo(pgfix *f, const char *dbname);

/* URL form of the same, e.g.
 * "postgresql:///foo?host=/tmp/pgfix.AbC123/s&port=54321&user=postgres". */
const char *pgfix_url(pgfix *f, const char *dbname);

/* Creates database `dbname` (from template0) and returns its conninfo;
 * NULL (after a message on stderr) on failure. */
const char *pgfix_createdb(pgfix *f, const char *dbname);

/* Runs `sql` (one or more statements) on `dbname`; 0, or -1 after printing
 * the server's error on stderr. */
int pgfix_exec(pgfix *f, const char *dbname, const char *sql);

/* Directory holding psql, pg_dump, pg_ctl, ... of the running server. */
const char *pgfix_bindir(pgfix *f);

/* Unix socket directory (libpq "host"), port and superuser name. */
const char *pgfix_host(pgfix *f);
int pgfix_port(pgfix *f);
const char *pgfix_user(pgfix *f);

/* The cluster's data directory (removed by pgfix_stop). */
const char *pgfix_datadir(pgfix *f);

/* Process id of the postmaster. */
int pgfix_server_pid(pgfix *f);

/*
 * Sharing one server with child processes that do not inherit memory
 * (Criterion runs each test in a re-executed worker): pgfix_share()
 * records the server in the environment, and pgfix_attach() in a child
 * returns a handle to it (NULL when none was shared).  pgfix_stop() on an
 * attached handle frees it and leaves the server running.
 */
int pgfix_share(pgfix *f);
pgfix *pgfix_attach(void);

/* Whether process `pid` no longer runs (gone, or a zombie nobody reaped yet). */
int pgfix_process_gone(long pid);

#endif
