/* The migration ledger (see ledger.h). */
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn.h"
#include "hash.h"
#include "ident.h"
#include "util.h"

int sc_ledger_init(sc_ledger *l, const char *spec, sc_buf *err)
{
    memset(l, 0, sizeof *l);
    if (spec == NULL || spec[0] == '\0')
        spec = "schemac.migrations";
    const char *dot = strchr(spec, '.');
    if (dot == NULL) {
        l->schema = sc_xstrdup("schemac");
        l->table = sc_xstrdup(spec);
    } else {
        l->schema = sc_xstrndup(spec, (size_t)(dot - spec));
        l->table = sc_xstrdup(dot + 1);
    }
    if (l->schema[0] == '\0' || l->table[0] == '\0' || strchr(l->table, '.') != NULL ||
        strlen(l->table) > 50) {
        sc_buf_printf(err, "--ledger %s: give SCHEMA.TABLE or TABLE (at most 50 bytes)", spec);
        sc_ledger_free(l);
        return -1;
    }
    return 0;
}

static void row_free(sc_ledger_row *r)
{
    free(r->name);
    free(r->up_sum);
    free(r->down_sum);
    free(r->before);
    free(r->after);
    free(r->applied_at);
    free(r->applied_by);
}

void sc_ledger_free(sc_ledger *l)
{
    for (size_t i = 0; i < l->n; i++)
        row_free(&l->rows[i]);
    free(l->rows);
    free(l->schema);
    free(l->table);
    memset(l, 0, sizeof *l);
}

void sc_ledger_name(sc_buf *out, const sc_ledger *l, const char *suffix)
{
    sc_ident_append(out, l->schema);
    sc_buf_putc(out, '.');
    sc_buf tmp = SC_BUF_INIT;
    sc_buf_printf(&tmp, "%s%s", l->table, suffix != NULL ? suffix : "");
    sc_ident_append(out, sc_buf_str(&tmp));
    sc_buf_free(&tmp);
}

/* Runs `sql` expecting no rows; 0, or -1 with the server's message. */
static int exec(PGconn *c, const char *sql, const char *what, sc_buf *err)
{
    PGresult *r = sc_conn_query(c, sql, PGRES_COMMAND_OK, what, err);
    if (r == NULL)
        return -1;
    PQclear(r);
    return 0;
}

int sc_ledger_ensure(PGconn *c, const sc_ledger *l, sc_buf *err)
{
    sc_buf q = SC_BUF_INIT;
    sc_buf_puts(&q, "SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS ");
    sc_ident_append(&q, l->schema);
    sc_buf_puts(&q, "; CREATE TABLE IF NOT EXISTS ");
    sc_ledger_name(&q, l, NULL);
    sc_buf_puts(&q, " (version integer PRIMARY KEY, name text NOT NULL, up_checksum text NOT NULL,"
                    " down_checksum text, schema_before text, schema_after text,"
                    " applied_at timestamptz NOT NULL DEFAULT now(),"
                    " duration_ms double precision NOT NULL,"
                    " applied_by text NOT NULL DEFAULT current_user); CREATE TABLE IF NOT EXISTS ");
    sc_ledger_name(&q, l, "_progress");
    sc_buf_puts(&q, " (version integer PRIMARY KEY, up_checksum text NOT NULL,"
                    " units_done integer NOT NULL); RESET client_min_messages");
    int rc = exec(c, sc_buf_str(&q), "creating the migration ledger", err);
    sc_buf_free(&q);
    return rc;
}

static char *dup_or_null(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : sc_xstrdup(PQgetvalue(r, row, col));
}

int sc_ledger_read(PGconn *c, sc_ledger *l, sc_buf *err)
{
    for (size_t i = 0; i < l->n; i++)
        row_free(&l->rows[i]);
    free(l->rows);
    l->rows = NULL;
    l->n = 0;
    sc_buf q = SC_BUF_INIT;
    sc_buf_puts(&q, "SELECT pg_catalog.to_regclass(");
    sc_buf tmp = SC_BUF_INIT;
    sc_ledger_name(&tmp, l, NULL);
    sc_sql_literal_append(&q, sc_buf_str(&tmp));
    sc_buf_puts(&q, ") IS NOT NULL");
    PGresult *r = sc_conn_query(c, sc_buf_str(&q), PGRES_TUPLES_OK, "reading the ledger", err);
    bool exists = r != NULL && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    int rc = r == NULL ? -1 : 0;
    if (exists) {
        sc_buf_reset(&q);
        sc_buf_puts(&q, "SELECT version, name, up_checksum, down_checksum, schema_before,"
                        " schema_after, applied_at, duration_ms, applied_by FROM ");
        sc_buf_puts(&q, sc_buf_str(&tmp));
        sc_buf_puts(&q, " ORDER BY version");
        r = sc_conn_query(c, sc_buf_str(&q), PGRES_TUPLES_OK, "reading the ledger", err);
        if (r == NULL) {
            rc = -1;
        } else {
            int n = PQntuples(r);
            l->rows = sc_xcalloc((size_t)n + 1, sizeof *l->rows);
            for (int i = 0; i < n; i++) {
                sc_ledger_row *w = &l->rows[l->n++];
                w->version = (unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10);
                w->name = dup_or_null(r, i, 1);
                w->up_sum = dup_or_null(r, i, 2);
                w->down_sum = dup_or_null(r, i, 3);
                w->before = dup_or_null(r, i, 4);
                w->after = dup_or_null(r, i, 5);
                w->applied_at = dup_or_null(r, i, 6);
                w->duration_ms = atof(PQgetvalue(r, i, 7));
                w->applied_by = dup_or_null(r, i, 8);
            }
            PQclear(r);
        }
    }
    sc_buf_free(&q);
    sc_buf_free(&tmp);
    return rc;
}

const sc_ledger_row *sc_ledger_find(const sc_ledger *l, unsigned version)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->rows[i].version == version)
            return &l->rows[i];
    return NULL;
}

int sc_ledger_lock(PGconn *c, const sc_ledger *l, int wait_seconds, FILE *notice, sc_buf *err)
{
    /* The key: the first 63 bits of the ledger name's hash. */
    sc_buf name = SC_BUF_INIT;
    sc_ledger_name(&name, l, NULL);
    char h[SC_HASH_HEX_LEN + 1];
    sc_hash_hex(h, sc_buf_str(&name), name.len);
    char hi[17];
    memcpy(hi, h, 16);
    hi[16] = '\0';
    long long key = (long long)(strtoull(hi, NULL, 16) >> 1);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT pg_catalog.pg_try_advisory_lock(%lld)", key);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool said = false;
    int rc = -1;
    for (;;) {
        PGresult *r = sc_conn_query(c, sql, PGRES_TUPLES_OK, "taking the migration lock", err);
        if (r == NULL)
            break;
        bool got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
        if (got) {
            rc = 0;
            break;
        }
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        double waited = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
        if (waited >= wait_seconds) {
            sc_buf_printf(err, "another schemac run holds the migration lock of %s; gave up "
                          "after %d s (is a deploy still running?)",
                          sc_buf_str(&name), wait_seconds);
            break;
        }
        if (!said && notice != NULL) {
            fprintf(notice, "waiting for another schemac run to release the migration lock of %s "
                            "(up to %d s)\n",
                    sc_buf_str(&name), wait_seconds);
            fflush(notice);
            said = true;
        }
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    sc_buf_free(&name);
    return rc;
}

void sc_ledger_strip(sc_model *m, const sc_ledger *l)
{
    size_t k = 0;
    size_t plen = strlen(l->table);
    for (size_t i = 0; i < m->ntables; i++) {
        sc_table *t = m->tables[i];
        bool ours = t->schema != NULL && strcmp(t->schema, l->schema) == 0 &&
                    (strcmp(t->name, l->table) == 0 ||
                     (strncmp(t->name, l->table, plen) == 0 && strcmp(t->name + plen, "_progress") == 0));
        if (!ours)
            m->tables[k++] = t;
    }
    m->ntables = k;
    /* The schema goes too when nothing else lives in it. */
    bool used = false;
    for (size_t i = 0; i < m->ntables && !used; i++)
        used = m->tables[i]->schema != NULL && strcmp(m->tables[i]->schema, l->schema) == 0;
    for (size_t i = 0; i < m->nenums && !used; i++)
        used = m->enums[i]->schema != NULL && strcmp(m->enums[i]->schema, l->schema) == 0;
    for (size_t i = 0; i < m->nsequences && !used; i++)
        used = m->sequences[i]->schema != NULL && strcmp(m->sequences[i]->schema, l->schema) == 0;
    for (size_t i = 0; i < m->ncollations && !used; i++)
        used = m->collations[i]->schema != NULL && strcmp(m->collations[i]->schema, l->schema) == 0;
    for (size_t i = 0; i < m->nextensions && !used; i++)
        used = m->extensions[i]->schema != NULL && strcmp(m->extensions[i]->schema, l->schema) == 0;
    if (!used && strcmp(l->schema, "public") != 0) {
        k = 0;
        for (size_t i = 0; i < m->nschemas; i++)
            if (strcmp(m->schemas[i]->name, l->schema) != 0)
                m->schemas[k++] = m->schemas[i];
        m->nschemas = k;
    }
}

void sc_ledger_strip_default(sc_model *m)
{
    sc_ledger l;
    sc_buf err = SC_BUF_INIT;
    if (sc_ledger_init(&l, getenv("SCHEMAC_LEDGER"), &err) == 0 ||
        sc_ledger_init(&l, NULL, &err) == 0) {
        sc_ledger_strip(m, &l);
        sc_ledger_free(&l);
    }
    sc_buf_free(&err);
}
