/*
 * schemac_verify(): the start-up check an application makes against its
 * database (see schemac/schemac.h).
 *
 * The live catalog is read into a model by the catalog reader, the
 * migration ledger's tables are taken out of it, and its loose hash
 * (hash.h) — sc_live_hash(), the hash `schemac migrate` checks migration
 * headers against — is compared with the hash the program was built with.  On a
 * mismatch the ledger, when there is one, says which migration the
 * database is at and which schema that migration left, so that the report
 * can tell a database changed by hand from a program built for another
 * migration.  Worded differences object by object need the expected model,
 * which only the compiler's front end can make from schema text; the
 * report points to `schemac check` for them.
 */
#include "schemac/schemac.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "buf.h"
#include "conn.h"
#include "hash.h"
#include "ledger.h"
#include "util.h"

struct schemac_report {
    char *text;                     /* "" or lines ending in '\n' */
    char hash[SC_HASH_HEX_LEN + 1]; /* the database's loose hash, or "" */
};

/* Copies `hash` lower-cased into `out` when it is 32 hex digits; false
 * otherwise. */
static bool hash_normalise(char out[SC_HASH_HEX_LEN + 1], const char *hash)
{
    if (hash == NULL || strlen(hash) != SC_HASH_HEX_LEN)
        return false;
    for (size_t i = 0; i < SC_HASH_HEX_LEN; i++) {
        if (!isxdigit((unsigned char)hash[i]))
            return false;
        out[i] = (char)tolower((unsigned char)hash[i]);
    }
    out[SC_HASH_HEX_LEN] = '\0';
    return true;
}

/* The ledger schemac_verify() reads and leaves out: $SCHEMAC_LEDGER when
 * it names one, else schemac.migrations (as sc_ledger_strip_default()). */
static void ledger_default(sc_ledger *l)
{
    sc_buf err = SC_BUF_INIT;
    if (sc_ledger_init(l, getenv("SCHEMAC_LEDGER"), &err) != 0)
        sc_ledger_init(l, NULL, &err);
    sc_buf_free(&err);
}

/*
 * Appends what the ledger says about a mismatch between `live` and
 * `expected`: its latest migration and the schema that migration left,
 * and which side moved.  Without a readable ledger, only the pointer to
 * `schemac check`.
 */
static void explain_ledger(sc_buf *out, PGconn *conn, sc_ledger *l, const char *live,
                           const char *expected)
{
    sc_buf err = SC_BUF_INIT;
    sc_buf name = SC_BUF_INIT;
    sc_ledger_name(&name, l, NULL);
    if (sc_ledger_read(conn, l, &err) != 0) {
        sc_buf_printf(out, "the migration ledger %s cannot be read: %s\n", sc_buf_str(&name),
                      sc_buf_str(&err));
    } else if (l->n == 0) {
        sc_buf_printf(out, "no migration is recorded in the database (ledger %s)\n",
                      sc_buf_str(&name));
    } else {
        const sc_ledger_row *last = &l->rows[l->n - 1];
        char after[SC_HASH_HEX_LEN + 1];
        bool known = hash_normalise(after, last->after);
        sc_buf_printf(out, "the database is at migration %04u", last->version);
        if (last->name != NULL && last->name[0] != '\0')
            sc_buf_printf(out, " (%s)", last->name);
        if (known)
            sc_buf_printf(out, ", which left schema %s\n", after);
        else
            sc_buf_puts(out, ", whose file recorded no schema hash\n");
        if (known && strcmp(after, expected) == 0)
            sc_buf_puts(out, "the program was built for that migration: the database was changed "
                             "outside migrations since\n");
        else if (known && strcmp(after, live) == 0)
            sc_buf_puts(out, "the program was built for another migration: apply its migrations "
                             "(`schemac migrate`) or run the program built for this one\n");
        else if (known)
            sc_buf_puts(out, "neither the program's schema nor that migration's: the database was "
                             "changed outside migrations\n");
    }
    sc_buf_puts(out, "`schemac check --db URL` lists the differences object by object\n");
    sc_buf_free(&name);
    sc_buf_free(&err);
}

int schemac_verify(struct pg_conn *conn, const char *expected_hash, schemac_report **report)
{
    sc_buf text = SC_BUF_INIT;
    sc_buf err = SC_BUF_INIT;
    sc_ledger l = {0};
    char expected[SC_HASH_HEX_LEN + 1];
    char live[SC_HASH_HEX_LEN + 1] = "";
    int rc = -1;

    if (report != NULL)
        *report = NULL;
    if (!hash_normalise(expected, expected_hash)) {
        sc_buf_puts(&text, "the expected schema hash is not 32 hex digits\n");
        goto done;
    }
    if (conn == NULL) {
        sc_buf_puts(&text, "cannot check the schema: no database connection\n");
        goto done;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        sc_buf line = SC_BUF_INIT;
        sc_conn_error_line(&line, PQerrorMessage(conn));
        sc_buf_printf(&text, "cannot check the schema: the database connection is not open%s%s\n",
                      line.len > 0 ? ": " : "", sc_buf_str(&line));
        sc_buf_free(&line);
        goto done;
    }
    ledger_default(&l);
    if (sc_live_hash(conn, &l, live, NULL, &err) != 0) {
        live[0] = '\0';
        sc_buf_printf(&text, "cannot read the database's catalog: %s\n", sc_buf_str(&err));
        goto done;
    }
    if (strcmp(live, expected) == 0) {
        rc = 1;
        goto done;
    }
    rc = 0;
    sc_buf_printf(&text, "the database has schema %s, the program was built for schema %s\n", live,
                  expected);
    explain_ledger(&text, conn, &l, live, expected);

done:
    if (report != NULL) {
        schemac_report *r = sc_xcalloc(1, sizeof *r);
        r->text = text.len > 0 ? sc_buf_detach(&text) : sc_xstrdup("");
        memcpy(r->hash, live, sizeof r->hash);
        *report = r;
    }
    sc_ledger_free(&l);
    sc_buf_free(&text);
    sc_buf_free(&err);
    return rc;
}

const char *schemac_report_text(const schemac_report *r)
{
    return r != NULL ? r->text : "";
}

const char *schemac_report_hash(const schemac_report *r)
{
    return r != NULL ? r->hash : "";
}

void schemac_report_free(schemac_report *r)
{
    if (r == NULL)
        return;
    free(r->text);
    free(r);
}
