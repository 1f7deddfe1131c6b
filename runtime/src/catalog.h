/*
 * The catalog reader: a live PostgreSQL database (13 to 17) read into the
 * same model the parser produces.
 *
 * The reader sends a fixed number of queries, one per object kind over the
 * whole database (never one per table), inside one REPEATABLE READ READ
 * ONLY transaction so that the picture is consistent, with a statement
 * timeout.  Types come back as format_type() prints them, expressions as
 * pg_get_expr() / pg_get_constraintdef() / pg_get_indexdef() print them
 * (with search_path set to public, so public names print unqualified),
 * brought to the model's token form by sc_expr_canon().
 *
 * System schemas and objects that belong to extensions are left out.
 * Objects the language does not manage yet (views, functions, triggers,
 * policies, partitions, domains, ...) are listed in the model's
 * `unmanaged` array with their kind and name.
 */
#ifndef SC_CATALOG_H
#define SC_CATALOG_H

#include <libpq-fe.h>

#include "buf.h"
#include "model.h"

/* What a read cost. */
typedef struct sc_catalog_stats {
    unsigned queries;   /* statements sent, the transaction's included */
    int server_version; /* e.g. 150018 */
} sc_catalog_stats;

/* Statement timeout of catalog reads, in milliseconds. */
#define SC_CATALOG_TIMEOUT_MS 120000

/*
 * Reads the database behind `conn` into a new model.  Returns NULL after
 * writing one line into `err` when a query fails or the server is older
 * than PostgreSQL 13.  `stats` may be NULL.  The connection is left
 * outside any transaction.
 *
 * When `conn` is inside an open transaction already (PQtransactionStatus()
 * is PQTRANS_INTRANS), the reader reads inside it, so that it sees what
 * the transaction made: it sends no BEGIN, uses no second connection, sets
 * the same session settings transaction-locally (set_config(..., true)),
 * and leaves the transaction open at the end, for the caller to commit or
 * roll back (it is aborted when a query failed).
 */
sc_model *sc_catalog_read(PGconn *conn, sc_catalog_stats *stats, sc_buf *err);

/*
 * Calls `fn` for each element of a one-dimensional PostgreSQL array in
 * text form (`{a,"b c",NULL}`); a NULL element is passed as NULL.
 * Returns false when `text` is not such an array.
 */
bool sc_pg_array_each(const char *text, void (*fn)(void *ctx, const char *elem), void *ctx);

#endif
