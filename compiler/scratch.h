/*
 * The private development server: the PostgreSQL server `schemac compile`
 * and `schemac diff` use to normalise schema files and replay migrations
 * when the user names none (--dev-url).  schemac creates it from the local
 * PostgreSQL binaries on first use, leaves it running, and reuses it on
 * every later run: reusing costs one connection (milliseconds), starting
 * costs a second or two, creating it a few seconds more.  Callers create
 * (and drop) their own scratch databases on it; nothing else is created.
 *
 * Where it lives.  The cache directory is $SCHEMAC_CACHE_DIR, else
 * $XDG_CACHE_HOME/schemac, else $HOME/.cache/schemac.  The cluster is in
 * its subdirectory named after the binaries' major version:
 *
 *   <cache>/pg15/data        the data directory (initdb)
 *   <cache>/pg15/sock        the unix socket directory (port 5432); when
 *                            that path is too long for a socket address,
 *                            /tmp/schemac-<uid>-<hash> instead
 *   <cache>/pg15/server.log  the server's log
 *   <cache>/pg15/initdb.log  output of the last initdb
 *   <cache>/pg15/pg_ctl.log  output of the last pg_ctl start or stop
 *   <cache>/pg15.lock        held (flock) while starting or stopping it
 *
 * The server listens on no TCP address (listen_addresses = ''), only on
 * the socket; local connections are trusted; the cluster's superuser is
 * the role `schemac` (initdb -U), named in every conninfo returned.
 * Durability is off (fsync, synchronous_commit, full_page_writes): the
 * cluster is disposable.  The settings live in data/schemac.conf, which is
 * rewritten before every start.
 *
 * As root.  PostgreSQL refuses to run as root, so initdb and the server
 * run as the user `postgres` (else `nobody`), or as the owner of an
 * existing cluster directory when that is not root; the cluster
 * directory and socket directory belong to that user.  When the default
 * cache directory cannot be reached by that user (root's $HOME is usually
 * mode 700), /var/tmp/schemac-<uid>/pgNN (/var/tmp/schemac-0/pg15) is
 * used instead; an explicit $SCHEMAC_CACHE_DIR that the user cannot reach
 * is an error instead.  Root connects over the socket as role `schemac`.
 *
 * The server keeps running after schemac exits (until sc_scratch_stop() or
 * a reboot), idle, with 64MB of shared buffers and at most 20 connections.
 *
 * Binaries: $SCHEMAC_PG_BINDIR, else the newest /usr/lib/postgresql/N/bin
 * that holds initdb and pg_ctl, else initdb and pg_ctl along $PATH.
 *
 * Another major version.  A cluster whose data directory (or running
 * server) is of another major version than the binaries is stopped,
 * removed and created afresh: it holds nothing worth keeping.  (Clusters of
 * other versions normally live in their own pgNN directories and are left
 * alone.)
 *
 * Concurrency: two processes calling sc_scratch_server() at once both get
 * the one server; the lock file keeps a second from running initdb or
 * pg_ctl while the first does.
 */
#ifndef SC_SCRATCH_H
#define SC_SCRATCH_H

#include "buf.h"

/*
 * Returns a malloc'd libpq conninfo string for the private server's
 * `postgres` database, e.g. "host=/home/u/.cache/schemac/pg15/sock
 * port=5432 user=schemac dbname=postgres", starting (and on first use
 * creating) the server when it is not running.  NULL after one line in
 * `err` (which binaries were looked for, what failed, the server's log
 * file path and its last lines).  The caller frees the string.
 */
char *sc_scratch_server(sc_buf *err);

/*
 * Stops the private server if it runs (for tests and a future `schemac dev
 * stop`); the cluster stays for the next start.  0, or -1 after one line
 * in `err`.
 */
int sc_scratch_stop(sc_buf *err);

/*
 * The cluster directory (<cache>/pgNN, see above) that sc_scratch_server()
 * uses, malloc'd, for messages and tests; it need not exist yet.  NULL
 * after one line in `err` (the major version that names it comes from the
 * binaries, so they must be found).
 */
char *sc_scratch_dir(sc_buf *err);

#endif
