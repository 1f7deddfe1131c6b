/* Proof by replay (see replay.h). */
#include "replay.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "conn.h"
#include "ddl.h"
#include "hash.h"
#include "ident.h"
#include "print.h"
#include "script.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sc_hash_like(char out[33], sc_model *read, const sc_model *ref)
{
    for (size_t i = 0; i < read->nextensions; i++) {
        sc_extension *x = read->extensions[i];
        for (size_t j = 0; j < ref->nextensions; j++) {
            const sc_extension *e = ref->extensions[j];
            if (strcmp(e->name, x->name) != 0)
                continue;
            if (e->schema == NULL)
                x->schema = NULL;
            if (e->version == NULL)
                x->version = NULL;
        }
    }
    sc_model_hash(out, read);
}

/* Appends the first line where the canonical texts of `want` and `got`
 * differ. */
static void first_difference(sc_buf *err, const sc_model *want, const sc_model *got)
{
    sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
    sc_print_canonical(&a, want);
    sc_print_canonical(&b, got);
    const char *p = sc_buf_str(&a), *q = sc_buf_str(&b);
    unsigned line = 1;
    while (*p != '\0' || *q != '\0') {
        size_t lp = strcspn(p, "\n"), lq = strcspn(q, "\n");
        if (lp != lq || memcmp(p, q, lp) != 0) {
            sc_buf_printf(err, "; first difference at line %u of the canonical text: expected "
                          "\"%.*s\", the database has \"%.*s\"",
                          line, (int)(lp > 120 ? 120 : lp), p, (int)(lq > 120 ? 120 : lq), q);
            break;
        }
        p += lp + (p[lp] != '\0');
        q += lq + (q[lq] != '\0');
        line++;
    }
    sc_buf_free(&a);
    sc_buf_free(&b);
}

/* Reads the scratch database and compares it with `want`. */
static int check_state(PGconn *db, const sc_model *want, const char *after, sc_buf *err)
{
    sc_buf e = SC_BUF_INIT;
    sc_model *got = sc_catalog_read(db, NULL, &e);
    if (got == NULL) {
        sc_buf_printf(err, "reading the scratch database after %s: %s", after, sc_buf_str(&e));
        sc_buf_free(&e);
        return -1;
    }
    char hw[SC_HASH_HEX_LEN + 1], hg[SC_HASH_HEX_LEN + 1];
    sc_model_hash(hw, want);
    sc_hash_like(hg, got, want);
    int rc = 0;
    if (strcmp(hw, hg) != 0) {
        sc_buf_printf(err, "after %s the scratch database's schema hashes to %s, not %s", after, hg,
                      hw);
        first_difference(err, want, got);
        rc = -1;
    }
    sc_model_free(got);
    sc_buf_free(&e);
    return rc;
}

/* Runs one file on the scratch database. */
static int run(PGconn *db, const char *what, const char *text, sc_buf *err)
{
    sc_buf e = SC_BUF_INIT;
    int rc = sc_script_exec(db, text, strlen(text), &e);
    if (rc != 0)
        sc_buf_printf(err, "%s fails on the scratch database: %s", what, sc_buf_str(&e));
    sc_buf_free(&e);
    return rc;
}

int sc_replay_prove(const sc_replay *r, sc_replay_stats *stats, int *connect_failed, sc_buf *err)
{
    double t0 = now();
    *connect_failed = 0;
    sc_buf e = SC_BUF_INIT;
    PGconn *admin = sc_conn_open(r->server, &e);
    if (admin == NULL) {
        sc_buf_printf(err, "replay server: %s", sc_buf_str(&e));
        sc_buf_free(&e);
        *connect_failed = 1;
        return -1;
    }
    static unsigned counter;
    char name[64];
    snprintf(name, sizeof name, "schemac_replay_%ld_%u", (long)getpid(), counter++);
    sc_buf sql = SC_BUF_INIT;
    sc_buf_puts(&sql, "CREATE DATABASE ");
    sc_ident_append(&sql, name);
    sc_buf_puts(&sql, " TEMPLATE template0");
    PGresult *res = sc_conn_query(admin, sc_buf_str(&sql), PGRES_COMMAND_OK,
                                  "creating the replay database", err);
    int rc = -1;
    if (res == NULL)
        goto out;
    PQclear(res);
    PGconn *db = sc_conn_like(admin, name);
    if (db == NULL) {
        sc_buf_printf(err, "cannot connect to the replay database %s", name);
        goto drop;
    }
    if (r->start != NULL) {
        sc_buf ddl = SC_BUF_INIT;
        sc_ddl_create(&ddl, r->start);
        int k = run(db, "the current schema's DDL", sc_buf_str(&ddl), err);
        sc_buf_free(&ddl);
        if (k != 0)
            goto done;
    } else if (r->history != NULL) {
        for (size_t i = 0; i < r->history->n; i++) {
            const sc_migration *m = &r->history->items[i];
            sc_buf what = SC_BUF_INIT;
            sc_buf_printf(&what, "earlier migration %s.up.sql", m->name);
            int k = run(db, sc_buf_str(&what), m->up, err);
            sc_buf_free(&what);
            if (k != 0)
                goto done;
        }
    }
    if (check_state(db, r->from, r->start != NULL ? "creating the current schema"
                                                   : "replaying the earlier migrations",
                    err) != 0) {
        if (r->start == NULL)
            sc_buf_puts(err, " (the migrations and schema.lock disagree: was a migration or the "
                             "lock edited?)");
        goto done;
    }
    if (run(db, "the new up file", r->up, err) != 0 ||
        check_state(db, r->to, "the new up file", err) != 0)
        goto done;
    if (r->down != NULL) {
        if (run(db, "the new down file", r->down, err) != 0 ||
            check_state(db, r->from, "the new down file", err) != 0)
            goto done;
        if (run(db, "the new up file (after down)", r->up, err) != 0 ||
            check_state(db, r->to, "the new up file run again after the down file", err) != 0)
            goto done;
    }
    rc = 0;
done:
    PQfinish(db);
drop:
    sc_buf_reset(&sql);
    sc_buf_puts(&sql, "DROP DATABASE IF EXISTS ");
    sc_ident_append(&sql, name);
    sc_buf_puts(&sql, " WITH (FORCE)");
    PQclear(PQexec(admin, sc_buf_str(&sql)));
out:
    PQfinish(admin);
    sc_buf_free(&sql);
    sc_buf_free(&e);
    if (stats != NULL)
        stats->seconds = now() - t0;
    return rc;
}
