/* Applying migrations (see apply.h). */
#include "apply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "catalog.h"
#include "conn.h"
#include "ident.h"
#include "sqlsplit.h"
#include "util.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ headers */

void sc_mfile_hashes(const char *text, size_t len, char from[SC_HASH_HEX_LEN + 1],
                     char to[SC_HASH_HEX_LEN + 1])
{
    from[0] = to[0] = '\0';
    const char *p = text, *end = text + len;
    while (p < end && p[0] == '-' && p + 1 < end && p[1] == '-') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
        char *dst = NULL;
        const char *rest = NULL;
        if (n > 15 && memcmp(p, "-- from schema ", 15) == 0) {
            dst = from;
            rest = p + 15;
        } else if (n > 13 && memcmp(p, "-- to schema ", 13) == 0) {
            dst = to;
            rest = p + 13;
        }
        if (dst != NULL) {
            while (rest < p + n && *rest == ' ')
                rest++;
            if (p + n - rest == SC_HASH_HEX_LEN) {
                memcpy(dst, rest, SC_HASH_HEX_LEN);
                dst[SC_HASH_HEX_LEN] = '\0';
            }
        }
        p += n + (nl != NULL);
    }
}

int sc_live_hash(PGconn *c, const sc_ledger *l, char out[SC_HASH_HEX_LEN + 1], sc_model **model,
                 sc_buf *err)
{
    sc_model *m = sc_catalog_read(c, NULL, err);
    if (m == NULL)
        return -1;
    sc_ledger_strip(m, l);
    sc_model_hash_loose(out, m);
    if (model != NULL)
        *model = m;
    else
        sc_model_free(m);
    return 0;
}

/* ------------------------------------------------------------- units */

typedef struct stmt {
    const char *text;
    size_t len;
    unsigned line;
    const char *step; /* the `-- step N: ...` comment above it */
    size_t step_len;
} stmt;

typedef struct unit {
    stmt *stmts;
    size_t n, cap;
    bool tx;       /* runs in a transaction */
    bool explicit_block;
} unit;

typedef struct units {
    unit *u;
    size_t n, cap;
} units;

/* Whether `s` starts with the words of `prefix` (case-insensitive, any
 * whitespace between words). */
static bool starts_with_words(const char *s, size_t len, const char *prefix)
{
    size_t i = 0;
    for (const char *p = prefix; *p != '\0'; p++) {
        if (*p == ' ') {
            if (i >= len || !isspace((unsigned char)s[i]))
                return false;
            while (i < len && isspace((unsigned char)s[i]))
                i++;
            continue;
        }
        if (i >= len || tolower((unsigned char)s[i]) != tolower((unsigned char)*p))
            return false;
        i++;
    }
    return i == len || !isalnum((unsigned char)s[i]);
}

/* Statements PostgreSQL refuses to run inside a transaction block. */
static bool non_transactional(const char *s, size_t len)
{
    static const char *const forms[] = {
        "create index concurrently", "create unique index concurrently",
        "drop index concurrently", "reindex", "vacuum", "create database", "drop database",
        "alter system", "cluster", "create tablespace", "drop tablespace",
        "alter table detach partition concurrently",
    };
    for (size_t i = 0; i < SC_ARRAY_LEN(forms); i++)
        if (starts_with_words(s, len, forms[i]))
            return true;
    return false;
}

static unit *new_unit(units *us, bool tx, bool explicit_block)
{
    if (us->n == us->cap) {
        us->cap = us->cap ? us->cap * 2 : 8;
        us->u = sc_xrealloc(us->u, us->cap * sizeof *us->u);
    }
    unit *u = &us->u[us->n++];
    memset(u, 0, sizeof *u);
    u->tx = tx;
    u->explicit_block = explicit_block;
    return u;
}

static void add_stmt(unit *u, const stmt *s)
{
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 8;
        u->stmts = sc_xrealloc(u->stmts, u->cap * sizeof *u->stmts);
    }
    u->stmts[u->n++] = *s;
}

static void units_free(units *us)
{
    for (size_t i = 0; i < us->n; i++)
        free(us->u[i].stmts);
    free(us->u);
}

/* Splits a file into units; -1 with `err` for what the runner cannot
 * follow (ROLLBACK in the file, a block left open). */
static int parse_units(const char *text, size_t len, units *us, sc_buf *err)
{
    memset(us, 0, sizeof *us);
    sc_sqlsplit sp;
    sc_sqlsplit_init(&sp, text, len);
    const char *t;
    size_t n;
    unit *cur = NULL; /* the open block or run */
    bool in_block = false;
    while (sc_sql_next(&sp, &t, &n)) {
        stmt s = {t, n, sp.line, sp.step, sp.step_len};
        if (sc_sql_is(t, n, "begin") || sc_sql_is(t, n, "start transaction") ||
            sc_sql_is(t, n, "begin transaction") || sc_sql_is(t, n, "begin work")) {
            if (in_block) {
                sc_buf_printf(err, "line %u: BEGIN inside a transaction block", s.line);
                return -1;
            }
            cur = new_unit(us, true, true);
            in_block = true;
        } else if (sc_sql_is(t, n, "commit") || sc_sql_is(t, n, "end") ||
                   sc_sql_is(t, n, "commit work") || sc_sql_is(t, n, "end transaction")) {
            if (!in_block) {
                sc_buf_printf(err, "line %u: COMMIT outside a transaction block", s.line);
                return -1;
            }
            in_block = false;
            cur = NULL;
        } else if (sc_sql_is(t, n, "rollback") || sc_sql_is(t, n, "abort")) {
            sc_buf_printf(err, "line %u: a migration may not roll itself back", s.line);
            return -1;
        } else if (in_block) {
            add_stmt(cur, &s);
        } else if (non_transactional(t, n)) {
            add_stmt(new_unit(us, false, false), &s);
            cur = NULL;
        } else {
            if (cur == NULL)
                cur = new_unit(us, true, false);
            add_stmt(cur, &s);
        }
    }
    if (in_block) {
        sc_buf_puts(err, "the file ends inside a transaction block (BEGIN without COMMIT)");
        return -1;
    }
    return 0;
}

/* ----------------------------------------------------------- running */

typedef struct runner {
    PGconn *c;
    const sc_apply_opts *o;
    const char *file; /* "0002_x.up.sql", for messages */
    char state[6];    /* SQLSTATE of the last failure */
} runner;

/* Runs one statement, printing its elapsed time now and then when it is
 * slow.  0, or -1 with "line N (step ...): message" in `err`. */
static int run_stmt(runner *R, const stmt *s, sc_buf *err)
{
    char *q = sc_xstrndup(s->text, s->len);
    R->state[0] = '\0';
    int rc = 0;
    if (PQsendQuery(R->c, q) != 1) {
        free(q);
        sc_buf_printf(err, "%s line %u: ", R->file, s->line);
        sc_conn_error_line(err, PQerrorMessage(R->c));
        return -1;
    }
    free(q);
    double t0 = now_s(), next = R->o->slow_seconds > 0 ? R->o->slow_seconds : 1e18;
    int fd = PQsocket(R->c);
    while (PQisBusy(R->c)) {
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(fd, &rd);
        struct timeval tv = {1, 0};
        if (select(fd + 1, &rd, NULL, NULL, &tv) < 0)
            break;
        if (PQconsumeInput(R->c) != 1)
            break;
        double el = now_s() - t0;
        if (el >= next && R->o->progress != NULL) {
            fprintf(R->o->progress, "  %s line %u: still running (%.0f s)\n", R->file, s->line,
                    el);
            fflush(R->o->progress);
            next += R->o->slow_seconds;
        }
    }
    for (PGresult *r; (r = PQgetResult(R->c)) != NULL;) {
        ExecStatusType st = PQresultStatus(r);
        if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
            const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            snprintf(R->state, sizeof R->state, "%s", code != NULL ? code : "");
            sc_buf_printf(err, "%s line %u", R->file, s->line);
            if (s->step != NULL)
                sc_buf_printf(err, " (%.*s)", (int)s->step_len, s->step);
            sc_buf_puts(err, ": ");
            sc_conn_error_line(err, PQresultErrorMessage(r));
            rc = -1;
        }
        PQclear(r);
    }
    if (rc == 0 && PQstatus(R->c) != CONNECTION_OK) {
        sc_buf_printf(err, "%s line %u: the connection was lost: ", R->file, s->line);
        sc_conn_error_line(err, PQerrorMessage(R->c));
        rc = -1;
    }
    return rc;
}

/* Runs SQL of our own (no statement position). */
static int run_sql(runner *R, const char *sql, sc_buf *err)
{
    PGresult *r = PQexec(R->c, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        sc_conn_error_line(err, r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(R->c));
        rc = -1;
    }
    PQclear(r);
    return rc;
}

static void rollback(runner *R)
{
    if (PQstatus(R->c) == CONNECTION_OK && PQtransactionStatus(R->c) != PQTRANS_IDLE)
        PQclear(PQexec(R->c, "ROLLBACK"));
}

/* The ledger row's statement (insert for up, delete for down). */
static void ledger_sql(sc_buf *q, const sc_ledger *l, const sc_mfile *m, bool down,
                       double duration_ms, const char *before, const char *after)
{
    if (down) {
        sc_buf_puts(q, "DELETE FROM ");
        sc_ledger_name(q, l, NULL);
        sc_buf_printf(q, " WHERE version = %u", m->version);
        return;
    }
    char up_sum[SC_HASH_HEX_LEN + 1], down_sum[SC_HASH_HEX_LEN + 1];
    sc_hash_hex(up_sum, m->up, m->up_len);
    sc_hash_hex(down_sum, m->down != NULL ? m->down : "", m->down != NULL ? m->down_len : 0);
    sc_buf_puts(q, "INSERT INTO ");
    sc_ledger_name(q, l, NULL);
    sc_buf_printf(q, " (version, name, up_checksum, down_checksum, schema_before, schema_after,"
                     " duration_ms) VALUES (%u, ", m->version);
    sc_sql_literal_append(q, m->name);
    sc_buf_printf(q, ", '%s', '%s', ", up_sum, down_sum);
    if (before[0] != '\0')
        sc_buf_printf(q, "'%s', ", before);
    else
        sc_buf_puts(q, "NULL, ");
    if (after[0] != '\0')
        sc_buf_printf(q, "'%s', ", after);
    else
        sc_buf_puts(q, "NULL, ");
    sc_buf_printf(q, "%.3f)", duration_ms);
}

/* Case-insensitive prefix test of ASCII `word` at `p`. */
static bool word_at(const char *p, const char *word)
{
    for (; *word != '\0'; p++, word++)
        if (tolower((unsigned char)*p) != *word)
            return false;
    return true;
}

/* The identifier token at `p` (bare or "quoted"), decoded (malloc'd), and
 * its length in `*used`; NULL when there is none. */
static char *ident_at(const char *p, size_t *used)
{
    size_t n = 0;
    if (p[0] == '"') {
        n = 1;
        for (;;) {
            if (p[n] == '\0')
                return NULL;
            if (p[n] == '"') {
                if (p[n + 1] == '"') {
                    n += 2;
                    continue;
                }
                n++;
                break;
            }
            n++;
        }
    } else {
        while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '$' ||
               (unsigned char)p[n] >= 0x80)
            n++;
        if (n == 0)
            return NULL;
    }
    sc_buf b = SC_BUF_INIT;
    sc_ident_decode(&b, p, n);
    *used = n;
    char *s = sc_buf_detach(&b);
    return s != NULL ? s : sc_xstrdup("");
}

/* The index a CREATE [UNIQUE] INDEX CONCURRENTLY statement builds:
 * its name and the schema of its table (NULL: the search path's). */
static bool cic_target(const stmt *s, char **name, char **schema)
{
    if (!starts_with_words(s->text, s->len, "create index concurrently") &&
        !starts_with_words(s->text, s->len, "create unique index concurrently"))
        return false;
    char *t = sc_xstrndup(s->text, s->len);
    char *p = strstr(t, "CONCURRENTLY");
    if (p == NULL)
        p = strstr(t, "concurrently");
    bool ok = false;
    *name = *schema = NULL;
    if (p != NULL) {
        p += 12;
        while (isspace((unsigned char)*p))
            p++;
        if (word_at(p, "if not exists"))
            p += 13;
        while (isspace((unsigned char)*p))
            p++;
        size_t used = 0;
        *name = ident_at(p, &used);
        if (*name != NULL) {
            p += used;
            while (isspace((unsigned char)*p))
                p++;
            if (word_at(p, "on") && isspace((unsigned char)p[2])) {
                p += 2;
                while (isspace((unsigned char)*p))
                    p++;
                if (word_at(p, "only") && isspace((unsigned char)p[4]))
                    p += 4;
                while (isspace((unsigned char)*p))
                    p++;
                char *first = ident_at(p, &used);
                if (first != NULL && p[used] == '.')
                    *schema = first;
                else
                    free(first);
                ok = true;
            }
        }
    }
    free(t);
    if (!ok) {
        free(*name);
        *name = NULL;
    }
    return ok;
}

/*
 * Before running a concurrent index build again: 1 when the index exists
 * and is valid (the build finished; skip it), 0 when it can run (an
 * INVALID leftover was dropped first), -1 on error.
 */
static int recover_cic(runner *R, const stmt *s, sc_buf *err)
{
    char *name, *schema;
    if (!cic_target(s, &name, &schema))
        return 0;
    sc_buf q = SC_BUF_INIT;
    sc_buf_puts(&q, "SELECT i.indisvalid, n.nspname FROM pg_catalog.pg_index i"
                    " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ");
    sc_sql_literal_append(&q, name);
    sc_buf_puts(&q, " AND n.nspname = ");
    if (schema != NULL)
        sc_sql_literal_append(&q, schema);
    else
        sc_buf_puts(&q, "pg_catalog.current_schema()");
    PGresult *r = PQexec(R->c, sc_buf_str(&q));
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        sc_conn_error_line(err, PQresultErrorMessage(r));
        rc = -1;
    } else if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
        rc = 1;
    } else if (PQntuples(r) == 1) {
        sc_buf_reset(&q);
        sc_buf_puts(&q, "DROP INDEX CONCURRENTLY IF EXISTS ");
        sc_ident_append(&q, PQgetvalue(r, 0, 1));
        sc_buf_putc(&q, '.');
        sc_ident_append(&q, name);
        if (R->o->progress != NULL)
            fprintf(R->o->progress, "  %s line %u: dropping the invalid index %s left by an "
                                    "interrupted build, to build it again\n",
                    R->file, s->line, name);
        rc = run_sql(R, sc_buf_str(&q), err);
    }
    PQclear(r);
    sc_buf_free(&q);
    free(name);
    free(schema);
    return rc;
}

/* Whether `s` changes a setting for the rest of the session (SET, RESET;
 * not SET LOCAL, SET TRANSACTION or SET CONSTRAINTS, which end with their
 * transaction). */
static bool session_setting(const stmt *s)
{
    if (!starts_with_words(s->text, s->len, "set") && !starts_with_words(s->text, s->len, "reset"))
        return false;
    return !starts_with_words(s->text, s->len, "set local") &&
           !starts_with_words(s->text, s->len, "set transaction") &&
           !starts_with_words(s->text, s->len, "set constraints");
}

/* Whether the last failure was a lock_timeout (55P03). */
static bool lock_failure(const runner *R)
{
    return strcmp(R->state, "55P03") == 0;
}

/* Waits before retry `attempt` (1-based) and says so. */
static void backoff(runner *R, int attempt, const char *what)
{
    int ms = R->o->retry_ms;
    for (int i = 1; i < attempt; i++)
        ms *= 2;
    if (R->o->progress != NULL) {
        fprintf(R->o->progress, "  %s: %s could not take a lock in time; retry %d of %d in %d ms\n",
                R->file, what, attempt, R->o->lock_retries, ms);
        fflush(R->o->progress);
    }
    nanosleep(&(struct timespec){ms / 1000, (long)(ms % 1000) * 1000000L}, NULL);
}

/* Compares the live catalog with an expected hash ("" skips). */
static int expect_hash(runner *R, const sc_ledger *l, const char *want, const char *when,
                       sc_buf *err)
{
    if (!R->o->check_hashes || want[0] == '\0')
        return 0;
    char got[SC_HASH_HEX_LEN + 1];
    sc_buf e = SC_BUF_INIT;
    if (sc_live_hash(R->c, l, got, NULL, &e) != 0) {
        sc_buf_printf(err, "%s: reading the catalog %s: %s", R->file, when, sc_buf_str(&e));
        sc_buf_free(&e);
        return -1;
    }
    sc_buf_free(&e);
    if (strcmp(got, want) != 0) {
        sc_buf_printf(err, "%s: %s the database's schema hashes to %s, the file expects %s", R->file,
                      when, got, want);
        return -2;
    }
    return 0;
}

/* The whole file as one transaction, with its ledger row. */
static int run_single(runner *R, const sc_ledger *l, const sc_mfile *m, bool down,
                      const units *us, const char *from, const char *to, sc_buf *err)
{
    for (int attempt = 0;; attempt++) {
        double t0 = now_s();
        sc_buf e = SC_BUF_INIT;
        int rc = run_sql(R, "BEGIN", &e);
        for (size_t i = 0; rc == 0 && i < us->n; i++)
            for (size_t j = 0; rc == 0 && j < us->u[i].n; j++)
                rc = run_stmt(R, &us->u[i].stmts[j], &e);
        if (rc != 0 && lock_failure(R) && attempt < R->o->lock_retries) {
            rollback(R);
            sc_buf_free(&e);
            backoff(R, attempt + 1, "a statement");
            continue;
        }
        if (rc == 0)
            rc = expect_hash(R, l, to, "after it ran,", &e) != 0 ? -1 : 0;
        if (rc == 0) {
            sc_buf q = SC_BUF_INIT;
            ledger_sql(&q, l, m, down, (now_s() - t0) * 1e3, from, to);
            rc = run_sql(R, sc_buf_str(&q), &e);
            sc_buf_free(&q);
        }
        if (rc == 0)
            rc = run_sql(R, "COMMIT", &e);
        if (rc != 0) {
            rollback(R);
            sc_buf_printf(err, "%s; rolled back, the database is as it was before %s",
                          sc_buf_str(&e), R->file);
        }
        sc_buf_free(&e);
        return rc;
    }
}


int sc_apply(PGconn *c, const sc_ledger *l, const sc_mfile *m, bool down, const sc_apply_opts *o,
             sc_buf *err);

/*
 * After a multi-part up file left a schema other than the one its header
 * promises: runs the down file (without its own hash checks), clears the
 * up file's progress and says in `e` (which holds the mismatch) whether
 * the database is back where it started.
 */
static void roll_back_with_down(runner *R, const sc_ledger *l, const sc_mfile *m, long key,
                                const char *progress_table, const char *from, sc_buf *e)
{
    sc_apply_opts o2 = *R->o;
    o2.check_hashes = false;
    sc_buf e2 = SC_BUF_INIT;
    if (R->o->progress != NULL)
        fprintf(R->o->progress, "  %s: rolling it back with %s.down.sql\n", R->file, m->name);
    if (sc_apply(R->c, l, m, true, &o2, &e2) != 0) {
        sc_buf_printf(e, "; rolling it back with %s.down.sql failed too: %s (the parts of the up "
                         "file that ran remain)",
                      m->name, sc_buf_str(&e2));
        sc_buf_free(&e2);
        return;
    }
    sc_buf q = SC_BUF_INIT;
    sc_buf_printf(&q, "DELETE FROM %s WHERE version = %ld", progress_table, key);
    if (run_sql(R, sc_buf_str(&q), &e2) != 0)
        sc_buf_printf(e, "; rolled back with %s.down.sql, but its progress row stays: %s", m->name,
                      sc_buf_str(&e2));
    else if (from[0] != '\0' && expect_hash(R, l, from, "after the down file,", &e2) != 0)
        sc_buf_printf(e, "; rolled back with %s.down.sql, yet %s", m->name, sc_buf_str(&e2));
    else
        sc_buf_printf(e, "; rolled back with %s.down.sql: the database is as it was before",
                      m->name);
    sc_buf_free(&q);
    sc_buf_free(&e2);
}

/* Unit by unit, with progress rows. */
static int run_units(runner *R, const sc_ledger *l, const sc_mfile *m, bool down, const units *us,
                     const char *from, const char *to, sc_buf *err)
{
    char sum[SC_HASH_HEX_LEN + 1];
    sc_hash_hex(sum, down ? m->down : m->up, down ? m->down_len : m->up_len);
    long key = down ? -(long)m->version : (long)m->version;
    sc_buf q = SC_BUF_INIT, name = SC_BUF_INIT;
    sc_ledger_name(&name, l, "_progress");
    /* How far an earlier run got. */
    sc_buf_printf(&q, "SELECT units_done, up_checksum FROM %s WHERE version = %ld", sc_buf_str(&name),
                  key);
    PGresult *r = sc_conn_query(R->c, sc_buf_str(&q), PGRES_TUPLES_OK, "reading the progress",
                                err);
    if (r == NULL) {
        sc_buf_free(&q);
        sc_buf_free(&name);
        return -1;
    }
    size_t done = 0;
    if (PQntuples(r) == 1) {
        if (strcmp(PQgetvalue(r, 0, 1), sum) != 0) {
            sc_buf_printf(err, "%s was edited after an interrupted run applied part of it; "
                               "restore the file that ran",
                          R->file);
            PQclear(r);
            sc_buf_free(&q);
            sc_buf_free(&name);
            return -1;
        }
        done = (size_t)atol(PQgetvalue(r, 0, 0));
        if (R->o->progress != NULL && done > 0)
            fprintf(R->o->progress, "  %s: continuing an interrupted run after %zu of %zu parts\n",
                    R->file, done, us->n);
    }
    PQclear(r);
    double t0 = now_s();
    int rc = 0;
    sc_buf e = SC_BUF_INIT;
    /* The schema before: only when nothing ran yet (a continued run
     * starts from a schema that is partly changed). */
    if (done == 0)
        rc = expect_hash(R, l, from, "before it ran,", err);
    /* A continued run is a new session: the settings the parts done made
     * (search_path, lock_timeout, ...) are made again. */
    for (size_t i = 0; rc == 0 && i < done && i < us->n; i++)
        for (size_t j = 0; rc == 0 && j < us->u[i].n; j++)
            if (session_setting(&us->u[i].stmts[j]))
                rc = run_stmt(R, &us->u[i].stmts[j], err);
    for (size_t i = done; rc == 0 && i < us->n; i++) {
        const unit *u = &us->u[i];
        sc_buf_reset(&q);
        sc_buf_printf(&q, "INSERT INTO %s (version, up_checksum, units_done) VALUES (%ld, '%s', %zu)"
                          " ON CONFLICT (version) DO UPDATE SET units_done = EXCLUDED.units_done",
                      sc_buf_str(&name), key, sum, i + 1);
        for (int attempt = 0;; attempt++) {
            sc_buf_reset(&e);
            if (u->tx) {
                rc = run_sql(R, "BEGIN", &e);
                for (size_t j = 0; rc == 0 && j < u->n; j++)
                    rc = run_stmt(R, &u->stmts[j], &e);
                if (rc == 0)
                    rc = run_sql(R, sc_buf_str(&q), &e);
                if (rc == 0)
                    rc = run_sql(R, "COMMIT", &e);
                if (rc != 0)
                    rollback(R);
            } else {
                int k = recover_cic(R, &u->stmts[0], &e);
                rc = k < 0 ? -1 : k == 1 ? 0 : run_stmt(R, &u->stmts[0], &e);
                if (rc == 0)
                    rc = run_sql(R, sc_buf_str(&q), &e);
            }
            if (rc != 0 && lock_failure(R) && attempt < R->o->lock_retries) {
                backoff(R, attempt + 1, "a statement");
                continue;
            }
            break;
        }
        if (rc != 0)
            sc_buf_printf(err, "%s; %zu of %zu parts of %s are applied (the next run continues "
                               "from there)",
                          sc_buf_str(&e), i, us->n, R->file);
    }
    if (rc == 0) {
        sc_buf_reset(&e);
        int hk = expect_hash(R, l, to, "after it ran,", &e);
        rc = hk != 0 ? -1 : 0;
        if (hk == -2 && !down && m->down != NULL) {
            /* Not the schema the file promised: undo it with the down
             * file (the parts already committed cannot be rolled back). */
            roll_back_with_down(R, l, m, key, sc_buf_str(&name), from, &e);
            sc_buf_printf(err, "%s", sc_buf_str(&e));
            sc_buf_free(&e);
            sc_buf_free(&q);
            sc_buf_free(&name);
            return -1;
        }
        if (rc == 0) {
            sc_buf_reset(&q);
            sc_buf_puts(&q, "BEGIN; ");
            ledger_sql(&q, l, m, down, (now_s() - t0) * 1e3, from, to);
            sc_buf_printf(&q, "; DELETE FROM %s WHERE version = %ld; COMMIT", sc_buf_str(&name), key);
            rc = run_sql(R, sc_buf_str(&q), &e);
            if (rc != 0)
                rollback(R);
        }
        if (rc != 0)
            sc_buf_printf(err, "%s (every statement of %s ran; the ledger does not record it)",
                          sc_buf_str(&e), R->file);
    }
    sc_buf_free(&e);
    sc_buf_free(&q);
    sc_buf_free(&name);
    return rc;
}

int sc_apply(PGconn *c, const sc_ledger *l, const sc_mfile *m, bool down, const sc_apply_opts *o,
             sc_buf *err)
{
    const char *text = down ? m->down : m->up;
    size_t len = down ? m->down_len : m->up_len;
    sc_buf file = SC_BUF_INIT;
    sc_buf_printf(&file, "%s.%s.sql", m->name, down ? "down" : "up");
    runner R = {c, o, sc_buf_str(&file), ""};
    char from[SC_HASH_HEX_LEN + 1], to[SC_HASH_HEX_LEN + 1];
    sc_mfile_hashes(text, len, from, to);
    units us;
    int rc = parse_units(text, len, &us, err);
    if (rc != 0) {
        sc_buf tmp = SC_BUF_INIT;
        sc_buf_printf(&tmp, "%s: %s", R.file, sc_buf_str(err));
        sc_buf_reset(err);
        sc_buf_append(err, tmp.data, tmp.len);
        sc_buf_free(&tmp);
    }
    size_t blocks = 0;
    bool all_tx = true;
    for (size_t i = 0; i < us.n; i++) {
        blocks += us.u[i].explicit_block;
        all_tx &= us.u[i].tx;
    }
    if (rc == 0) {
        if (all_tx && blocks <= 1) {
            rc = expect_hash(&R, l, from, "before it ran,", err);
            if (rc == 0)
                rc = run_single(&R, l, m, down, &us, from, to, err);
        } else {
            rc = run_units(&R, l, m, down, &us, from, to, err);
        }
    }
    units_free(&us);
    sc_buf_free(&file);
    return rc;
}
