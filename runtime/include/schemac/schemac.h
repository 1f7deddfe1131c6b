/*
 * schemac runtime — public API.
 *
 * What an application links to check, at start-up, that its database has
 * the schema it was compiled against, and what `schemac` itself uses to
 * apply migrations.  Functions are named schemac_<module>_<verb>, take
 * out-parameters first, and return 0 or a negative SCHEMAC_E* code.
 */
#ifndef SCHEMAC_SCHEMAC_H
#define SCHEMAC_SCHEMAC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes returned by runtime functions. */
typedef enum schemac_error {
    SCHEMAC_OK = 0,
    SCHEMAC_ERROR = -1,     /* generic failure; see the handle's message */
    SCHEMAC_ENOTFOUND = -2, /* an object or file does not exist */
    SCHEMAC_EINVALID = -3,  /* malformed input */
    SCHEMAC_ECONNECT = -4,  /* the database cannot be reached */
    SCHEMAC_ELOCKED = -5,   /* another process holds the migration lock */
    SCHEMAC_EDRIFT = -6,    /* the database differs from the schema */
} schemac_error;

/* Length of a schema hash in hex digits (XXH3-128). */
#define SCHEMAC_HASH_HEX_LEN 32

/* The runtime's version, e.g. "0.1.0". */
const char *schemac_version(void);

/*
 * Writes the XXH3-128 hash of `len` bytes at `data` as 32 lower-case hex
 * digits and a NUL into `out`.  Returns SCHEMAC_OK, or SCHEMAC_EINVALID
 * when `out` is NULL or `data` is NULL with a non-zero length.
 */
int schemac_hash_hex(char out[SCHEMAC_HASH_HEX_LEN + 1], const void *data, size_t len);

/* ------------------------------------------------------------------ */
/* The start-up check                                                 */
/* ------------------------------------------------------------------ */

/*
 * libpq's connection (`PGconn` in <libpq-fe.h> is `struct pg_conn`).  Only
 * the tag is declared here, so that this header stands alone; pass the
 * PGconn * you have.
 */
struct pg_conn;

/* What schemac_verify() found; opaque.  Free with schemac_report_free(). */
typedef struct schemac_report schemac_report;

/*
 * Checks that the database behind `conn` has the schema the program was
 * built for.
 *
 * It reads the database's catalog the way `schemac pull` does (system
 * schemas, extension members and the migration ledger left out: the
 * ledger is schemac.migrations, or the SCHEMA.TABLE or TABLE named by
 * $SCHEMAC_LEDGER), hashes it, and compares the hash with `expected_hash`.
 *
 * The hash is the *loose* schema hash: XXH3-128 of the schema's canonical
 * text with every extension's schema and version left out, as 32
 * lower-case hex digits.  It is the hash migration headers record as
 * "-- to schema H" and the ledger as schema_after; the generated header's
 * SCHEMAC_SCHEMA_HASH carries the same (for a schema whose extensions
 * state no schema or version it equals the hash schema.lock records).
 * Upper-case hex digits in `expected_hash` are accepted.
 *
 * Returns 1 when the database has that schema, 0 when it does not, -1 when
 * the check could not be made: `conn` is NULL or not connected, a catalog
 * query failed (connection lost, permission, statement timeout), or
 * `expected_hash` is not 32 hex digits.  When `report` is not NULL,
 * *report is set to a new report (also on -1), which the caller frees
 * with schemac_report_free(); its text is empty on 1.
 *
 * The check sends a fixed number of queries (about a dozen, whatever the
 * number of tables) in one REPEATABLE READ READ ONLY transaction and
 * leaves the connection outside any transaction; its settings
 * (search_path, statement_timeout...) are transaction-local, so no session
 * setting changes.  Called inside an open transaction, it reads inside it
 * and leaves it open, with those settings until the transaction ends.
 */
int schemac_verify(struct pg_conn *conn, const char *expected_hash, schemac_report **report);

/*
 * The report's text: one line per finding, each ending in a newline; ""
 * when the database has the expected schema.  On a mismatch: the two
 * hashes ("the database has schema H1, the program was built for schema
 * H2"), then, when the database has a migration ledger, its latest
 * migration and the schema that migration left ("the database is at
 * migration 0002 (add_vintage), which left schema H3"), and what that
 * suggests (the database was changed outside migrations, or the program
 * was built for another migration).  The runtime cannot word the
 * differences object by object (that needs the schema files' front end):
 * `schemac check --db URL` does, and the text says so.  On -1, why the
 * catalog could not be read.  The string belongs to `r`.  NULL gives "".
 */
const char *schemac_report_text(const schemac_report *r);

/* The hash of the database's schema as schemac_verify() computed it (32
 * hex digits), or "" when the catalog could not be read or `r` is NULL.
 * The string belongs to `r`. */
const char *schemac_report_hash(const schemac_report *r);

/* Frees `r`; accepts NULL. */
void schemac_report_free(schemac_report *r);

#ifdef __cplusplus
}
#endif

#endif
