/*
 * The runtime's commands: `migrate`, `rollback`, `status`, `baseline`,
 * `check` and `sum`, over a directory of NNNN_name.up.sql/.down.sql pairs
 * (written by `schemac compile` or by hand) and a database's ledger
 * (runtime/src/ledger.h, apply.h).
 *
 * Common options: --db URL (else $DATABASE_URL, else libpq's PG*), --dir
 * DIR (default generated/migrations), --ledger SCHEMA.TABLE (default
 * schemac.migrations), --lock-wait SECONDS (default 60).
 *
 * Exit codes: 0 done / clean; 1 a migration failed, was refused, or
 * `check` found drift or pending work; 2 usage errors, a damaged
 * directory; 3 the database cannot be reached.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "catalog.h"
#include "commands.h"
#include "compiler.h"
#include "conn.h"
#include "drift.h"
#include "hash.h"
#include "ledger.h"
#include "lock.h"
#include "migrations.h"
#include "scratch.h"
#include "script.h"
#include "source.h"
#include "util.h"

typedef struct ropts {
    const char *cmd;
    const char *db, *dir, *ledger, *format, *schema, *out;
    int lock_wait;
    bool dry_run, strict;
    long to;     /* --to VERSION, or -1 */
    long count;  /* rollback N */
    long version; /* baseline --version */
} ropts;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(const char *cmd)
{
    if (strcmp(cmd, "migrate") == 0)
        fputs("usage: schemac migrate [--dry-run] [--to VERSION] [--db URL] [--dir DIR]\n"
              "                       [--ledger SCHEMA.TABLE] [--lock-wait SECONDS]\n",
              stderr);
    else if (strcmp(cmd, "rollback") == 0)
        fputs("usage: schemac rollback [N] [--db URL] [--dir DIR] [--ledger SCHEMA.TABLE]\n", stderr);
    else if (strcmp(cmd, "status") == 0)
        fputs("usage: schemac status [--format text|json] [--db URL] [--dir DIR] [--ledger S.T]\n",
              stderr);
    else if (strcmp(cmd, "baseline") == 0)
        fputs("usage: schemac baseline --version N [--db URL] [--dir DIR] [--ledger S.T]\n", stderr);
    else if (strcmp(cmd, "check") == 0)
        fputs("usage: schemac check [--db URL] [--strict] [--format text|json] [--schema DIR]\n"
              "                     [--out DIR] [--dir DIR] [--ledger S.T]\n",
              stderr);
    else
        fputs("usage: schemac sum [--dir DIR]\n", stderr);
}

/* Parses the options; -1 on a usage error (printed). */
static int parse(ropts *o, const char *cmd, int argc, char **argv)
{
    *o = (ropts){.cmd = cmd, .dir = NULL, .lock_wait = 60, .to = -1, .count = 1, .version = -1,
                 .format = "text", .schema = "schema", .out = "generated"};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--db") == 0 && has)
            o->db = argv[++i];
        else if (strcmp(a, "--dir") == 0 && has)
            o->dir = argv[++i];
        else if (strcmp(a, "--ledger") == 0 && has)
            o->ledger = argv[++i];
        else if (strcmp(a, "--lock-wait") == 0 && has)
            o->lock_wait = atoi(argv[++i]);
        else if (strcmp(a, "--format") == 0 && has)
            o->format = argv[++i];
        else if (strcmp(a, "--schema") == 0 && has)
            o->schema = argv[++i];
        else if (strcmp(a, "--out") == 0 && has)
            o->out = argv[++i];
        else if (strcmp(a, "--to") == 0 && has)
            o->to = strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--version") == 0 && has)
            o->version = strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--dry-run") == 0)
            o->dry_run = true;
        else if (strcmp(a, "--strict") == 0)
            o->strict = true;
        else if (strcmp(cmd, "rollback") == 0 && a[0] >= '0' && a[0] <= '9')
            o->count = strtol(a, NULL, 10);
        else {
            fprintf(stderr, "schemac %s: unknown argument '%s'\n", cmd, a);
            usage(cmd);
            return -1;
        }
    }
    if (strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0) {
        fprintf(stderr, "schemac %s: --format text or json\n", cmd);
        return -1;
    }
    if (o->lock_wait < 0)
        o->lock_wait = 0;
    return 0;
}

/* The migrations directory: --dir, else OUT/migrations. */
static const char *dir_of(const ropts *o, char *buf, size_t n)
{
    if (o->dir != NULL)
        return o->dir;
    snprintf(buf, n, "%s/migrations", o->out);
    return buf;
}

/* The sc_mfile view of a migration. */
static sc_mfile mfile_of(const sc_migration *m)
{
    return (sc_mfile){m->number, m->name, m->up, m->down, m->up_len, m->down_len};
}

static const sc_migration *find_migration(const sc_migrations *l, unsigned v)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].number == v)
            return &l->items[i];
    return NULL;
}

/* Connects, takes the lock when `lock`, creates the ledger when `create`
 * and reads the ledger.  NULL after printing the error (exit code in *rc). */
static PGconn *open_db(const ropts *o, sc_ledger *l, bool create, bool lock, int *rc)
{
    sc_buf err = SC_BUF_INIT;
    PGconn *c = sc_conn_open(o->db, &err);
    if (c == NULL) {
        fprintf(stderr, "schemac %s: %s\n", o->cmd, sc_buf_str(&err));
        *rc = SC_EXIT_CONNECT;
        sc_buf_free(&err);
        return NULL;
    }
    /* The lock first: CREATE ... IF NOT EXISTS is not safe against a
     * concurrent run creating the same schema (a unique violation in
     * pg_namespace). */
    int k = 0;
    if (lock)
        k = sc_ledger_lock(c, l, o->lock_wait, stderr, &err);
    if (k == 0 && create)
        k = sc_ledger_ensure(c, l, &err);
    if (k == 0)
        k = sc_ledger_read(c, l, &err);
    if (k != 0) {
        fprintf(stderr, "schemac %s: %s\n", o->cmd, sc_buf_str(&err));
        *rc = PQstatus(c) == CONNECTION_OK ? 1 : SC_EXIT_CONNECT;
        PQfinish(c);
        c = NULL;
    }
    sc_buf_free(&err);
    return c;
}

/* Applied migrations whose up file changed or is gone: printed; their count. */
static size_t edited_applied(const ropts *o, const sc_ledger *l, const sc_migrations *list,
                             FILE *out)
{
    size_t bad = 0;
    for (size_t i = 0; i < l->n; i++) {
        const sc_ledger_row *r = &l->rows[i];
        const sc_migration *m = find_migration(list, r->version);
        char h[SC_HASH_HEX_LEN + 1];
        if (m == NULL) {
            fprintf(out, "migration %s: applied, but its files are missing from the directory\n",
                    r->name);
            bad++;
            continue;
        }
        sc_hash_hex(h, m->up, m->up_len);
        if (r->up_sum == NULL || strcmp(h, r->up_sum) != 0) {
            fprintf(out, "migration %s: %s.up.sql was edited after it was applied (checksum %s, "
                         "the ledger has %s)\n",
                    m->name, m->name, h, r->up_sum != NULL ? r->up_sum : "none");
            bad++;
        }
    }
    (void)o;
    return bad;
}

/*
 * What every command starts from: the migrations of `dir` (with
 * schemac.sum checked when `verify_sum` and there is one) and the ledger's
 * place.  0, or 2 after printing the error (nothing to free then).
 */
static int load(const ropts *o, const char *dir, bool verify_sum, sc_migrations *list,
                sc_ledger *l)
{
    sc_buf err = SC_BUF_INIT;
    int rc = 0;
    if (sc_migrations_read(list, dir, &err) != 0 ||
        (verify_sum && list->sum != NULL && sc_migrations_verify(list, &err) != 0)) {
        fprintf(stderr, "schemac %s: %s: %s\n", o->cmd, dir, sc_buf_str(&err));
        sc_migrations_free(list);
        rc = 2;
    } else if (sc_ledger_init(l, o->ledger, &err) != 0) {
        fprintf(stderr, "schemac %s: %s\n", o->cmd, sc_buf_str(&err));
        sc_migrations_free(list);
        rc = 2;
    }
    sc_buf_free(&err);
    return rc;
}

/* ------------------------------------------------------------ migrate */

/*
 * The report behind a refusal: the database does not have the schema that
 * migration `version` starts from.  That schema is rebuilt by replaying
 * the earlier up files on a scratch database of the development server
 * ($SCHEMAC_DEV_URL, else schemac's private server) and compared with the
 * live one object by object.  Without a development server, a hint.
 */
static void drift_before(PGconn *live, const sc_ledger *l, const sc_migrations *list,
                         unsigned version)
{
    sc_buf err = SC_BUF_INIT, sql = SC_BUF_INIT;
    const char *dev = getenv("SCHEMAC_DEV_URL");
    char *owned = NULL;
    if (dev == NULL || dev[0] == '\0')
        dev = owned = sc_scratch_server(&err);
    PGconn *admin = dev != NULL ? sc_conn_open(dev, &err) : NULL;
    if (admin == NULL) {
        fprintf(stderr, "(no development server for a report object by object: %s; run schemac "
                        "check --db to compare with the latest schema)\n",
                sc_buf_str(&err));
        free(owned);
        sc_buf_free(&err);
        return;
    }
    char name[64];
    snprintf(name, sizeof name, "schemac_expect_%ld", (long)getpid());
    sc_buf_printf(&sql, "CREATE DATABASE %s TEMPLATE template0", name);
    PGresult *r = PQexec(admin, sc_buf_str(&sql));
    bool made = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PGconn *db = made ? sc_conn_like(admin, name) : NULL;
    sc_model *want = NULL, *have = NULL;
    bool ok = db != NULL;
    for (size_t i = 0; ok && i < list->n && list->items[i].number < version; i++)
        ok = sc_script_exec(db, list->items[i].up, list->items[i].up_len, &err) == 0;
    if (ok)
        want = sc_catalog_read(db, NULL, &err);
    if (want != NULL)
        have = sc_catalog_read(live, NULL, &err);
    if (have != NULL) {
        sc_ledger_strip(have, l);
        sc_drift d = SC_DRIFT_INIT;
        sc_drift_compare(&d, have, want, false);
        sc_buf out = SC_BUF_INIT;
        sc_drift_format(&out, &d);
        fprintf(stderr, "the database differs from the schema the earlier migrations make:\n%s",
                sc_buf_str(&out));
        sc_buf_free(&out);
        sc_drift_free(&d);
    } else {
        fprintf(stderr, "(the report object by object could not be made: %s)\n", sc_buf_str(&err));
    }
    sc_model_free(want);
    sc_model_free(have);
    PQfinish(db);
    if (made) {
        sc_buf_reset(&sql);
        sc_buf_printf(&sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
        PQclear(PQexec(admin, sc_buf_str(&sql)));
    }
    PQfinish(admin);
    free(owned);
    sc_buf_free(&sql);
    sc_buf_free(&err);
}

int sc_cmd_migrate(int argc, char **argv)
{
    ropts o;
    if (parse(&o, "migrate", argc, argv) != 0)
        return 2;
    char dbuf[4096];
    const char *dir = dir_of(&o, dbuf, sizeof dbuf);
    sc_migrations list;
    sc_ledger l;
    if (load(&o, dir, true, &list, &l) != 0)
        return 2;
    sc_buf err = SC_BUF_INIT;
    int rc = 0;
    PGconn *c = open_db(&o, &l, !o.dry_run, !o.dry_run, &rc);
    if (c == NULL)
        goto out;
    if (edited_applied(&o, &l, &list, stderr) > 0) {
        fputs("schemac migrate: refused: applied migrations differ from their files (restore "
              "them; schemac check reports the same)\n",
              stderr);
        rc = 1;
        goto out;
    }
    unsigned last = l.n > 0 ? l.rows[l.n - 1].version : 0;
    size_t pending = 0;
    for (size_t i = 0; i < list.n; i++) {
        const sc_migration *m = &list.items[i];
        if (sc_ledger_find(&l, m->number) != NULL || (o.to >= 0 && m->number > (unsigned long)o.to))
            continue;
        if (m->number < last) {
            fprintf(stderr, "schemac migrate: refused: %s is older than the last applied migration "
                            "%04u (a merge put it before?); renumber it after %04u\n",
                    m->name, last, last);
            rc = 1;
            goto out;
        }
        pending++;
    }
    if (pending == 0) {
        printf("nothing to apply: %zu migration%s applied%s\n", l.n, l.n == 1 ? "" : "s",
               l.n > 0 ? "" : " (no migrations in the directory)");
        goto out;
    }
    if (o.dry_run) {
        printf("would apply %zu migration%s, in this order:\n", pending, pending == 1 ? "" : "s");
        for (size_t i = 0; i < list.n; i++) {
            const sc_migration *m = &list.items[i];
            if (sc_ledger_find(&l, m->number) == NULL && (o.to < 0 || m->number <= (unsigned long)o.to))
                printf("  %s\n", m->name);
        }
        goto out;
    }
    sc_apply_opts ao = SC_APPLY_OPTS_INIT;
    ao.progress = stdout;
    double t0 = now();
    size_t applied = 0;
    for (size_t i = 0; i < list.n; i++) {
        const sc_migration *m = &list.items[i];
        if (sc_ledger_find(&l, m->number) != NULL || (o.to >= 0 && m->number > (unsigned long)o.to))
            continue;
        printf("applying %s ...\n", m->name);
        fflush(stdout);
        double t = now();
        sc_mfile f = mfile_of(m);
        sc_buf_reset(&err);
        int k = sc_apply(c, &l, &f, false, &ao, &err);
        if (k != 0) {
            fprintf(stderr, "schemac migrate: %s\n", sc_buf_str(&err));
            if (k == -2)
                drift_before(c, &l, &list, m->number);
            rc = 1; /* a lost connection too: the migration failed, the database was reached */
            goto out;
        }
        printf("applied %s (%.0f ms)\n", m->name, (now() - t) * 1e3);
        fflush(stdout);
        applied++;
    }
    printf("%zu migration%s applied in %.0f ms\n", applied, applied == 1 ? "" : "s",
           (now() - t0) * 1e3);
out:
    PQfinish(c);
    sc_ledger_free(&l);
    sc_migrations_free(&list);
    sc_buf_free(&err);
    return rc;
}

/* ----------------------------------------------------------- rollback */

int sc_cmd_rollback(int argc, char **argv)
{
    ropts o;
    if (parse(&o, "rollback", argc, argv) != 0)
        return 2;
    if (o.count < 1) {
        fputs("schemac rollback: N must be at least 1\n", stderr);
        return 2;
    }
    char dbuf[4096];
    const char *dir = dir_of(&o, dbuf, sizeof dbuf);
    sc_migrations list;
    sc_ledger l;
    if (load(&o, dir, false, &list, &l) != 0)
        return 2;
    sc_buf err = SC_BUF_INIT;
    int rc = 0;
    PGconn *c = open_db(&o, &l, true, true, &rc);
    if (c == NULL)
        goto out;
    if (l.n == 0) {
        printf("nothing to roll back: no migration is applied\n");
        goto out;
    }
    sc_apply_opts ao = SC_APPLY_OPTS_INIT;
    ao.progress = stdout;
    for (long k = 0; k < o.count && l.n > 0; k++) {
        const sc_ledger_row *r = &l.rows[l.n - 1];
        const sc_migration *m = find_migration(&list, r->version);
        if (m == NULL) {
            fprintf(stderr, "schemac rollback: migration %s is applied but its files are "
                            "missing from %s\n",
                    r->name, dir);
            rc = 1;
            goto out;
        }
        char h[SC_HASH_HEX_LEN + 1];
        sc_hash_hex(h, m->down, m->down_len);
        if (r->down_sum != NULL && strcmp(h, r->down_sum) != 0) {
            fprintf(stderr, "schemac rollback: refused: %s.down.sql was edited after the "
                            "migration was applied\n",
                    m->name);
            rc = 1;
            goto out;
        }
        printf("rolling back %s ...\n", m->name);
        fflush(stdout);
        double t = now();
        sc_mfile f = mfile_of(m);
        sc_buf_reset(&err);
        if (sc_apply(c, &l, &f, true, &ao, &err) != 0) {
            fprintf(stderr, "schemac rollback: %s\n", sc_buf_str(&err));
            rc = 1;
            goto out;
        }
        printf("rolled back %s (%.0f ms)\n", m->name, (now() - t) * 1e3);
        sc_buf_reset(&err);
        if (sc_ledger_read(c, &l, &err) != 0) {
            fprintf(stderr, "schemac rollback: %s\n", sc_buf_str(&err));
            rc = 1;
            goto out;
        }
    }
out:
    PQfinish(c);
    sc_ledger_free(&l);
    sc_migrations_free(&list);
    sc_buf_free(&err);
    return rc;
}

/* ------------------------------------------------------------- status */

/* Appends `s` as a JSON string. */
static void json_str(sc_buf *b, const char *s)
{
    if (s == NULL) {
        sc_buf_puts(b, "null");
        return;
    }
    sc_buf_putc(b, '"');
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            sc_buf_printf(b, "\\%c", ch);
        else if (ch < 0x20)
            sc_buf_printf(b, "\\u%04x", ch);
        else
            sc_buf_putc(b, (char)ch);
    }
    sc_buf_putc(b, '"');
}

int sc_cmd_status(int argc, char **argv)
{
    ropts o;
    if (parse(&o, "status", argc, argv) != 0)
        return 2;
    char dbuf[4096];
    const char *dir = dir_of(&o, dbuf, sizeof dbuf);
    sc_migrations list;
    sc_ledger l;
    if (load(&o, dir, false, &list, &l) != 0)
        return 2;
    sc_buf err = SC_BUF_INIT;
    int rc = 0;
    PGconn *c = open_db(&o, &l, false, false, &rc);
    if (c == NULL)
        goto out;
    bool json = strcmp(o.format, "json") == 0;
    sc_buf b = SC_BUF_INIT;
    if (json)
        sc_buf_puts(&b, "{\"migrations\": [");
    else
        sc_buf_printf(&b, "%-8s %-40s %-10s %-30s %10s %s\n", "version", "name", "state",
                      "applied at", "ms", "checksum");
    /* Every version, in the directory or the ledger, in order. */
    size_t i = 0, j = 0, nout = 0;
    while (i < list.n || j < l.n) {
        const sc_migration *m = i < list.n ? &list.items[i] : NULL;
        const sc_ledger_row *r = j < l.n ? &l.rows[j] : NULL;
        if (m != NULL && r != NULL && m->number != r->version) {
            if (m->number < r->version)
                r = NULL;
            else
                m = NULL;
        }
        const char *state = r == NULL ? "pending" : m == NULL ? "missing" : "applied";
        const char *sum = "";
        if (m != NULL && r != NULL) {
            char h[SC_HASH_HEX_LEN + 1];
            sc_hash_hex(h, m->up, m->up_len);
            sum = r->up_sum != NULL && strcmp(h, r->up_sum) == 0 ? "ok" : "EDITED";
        }
        unsigned v = m != NULL ? m->number : r->version;
        const char *name = m != NULL ? m->name : r->name;
        if (json) {
            sc_buf_printf(&b, "%s{\"version\": %u, \"name\": ", nout++ ? ", " : "", v);
            json_str(&b, name);
            sc_buf_printf(&b, ", \"state\": \"%s\", \"applied_at\": ", state);
            json_str(&b, r != NULL ? r->applied_at : NULL);
            if (r != NULL)
                sc_buf_printf(&b, ", \"duration_ms\": %.3f", r->duration_ms);
            else
                sc_buf_puts(&b, ", \"duration_ms\": null");
            sc_buf_printf(&b, ", \"checksum_ok\": %s}",
                          sum[0] == '\0' ? "null" : strcmp(sum, "ok") == 0 ? "true" : "false");
        } else {
            char ms[32] = "";
            if (r != NULL)
                snprintf(ms, sizeof ms, "%.0f", r->duration_ms);
            sc_buf_printf(&b, "%04u     %-40s %-10s %-30s %10s %s\n", v, name, state,
                          r != NULL ? r->applied_at : "", ms, sum);
        }
        if (m != NULL && (r == NULL || r->version == m->number))
            i++;
        if (r != NULL)
            j++;
    }
    if (json)
        sc_buf_puts(&b, "]}\n");
    fwrite(b.data, 1, b.len, stdout);
    sc_buf_free(&b);
out:
    PQfinish(c);
    sc_ledger_free(&l);
    sc_migrations_free(&list);
    sc_buf_free(&err);
    return rc;
}

/* ----------------------------------------------------------- baseline */

int sc_cmd_baseline(int argc, char **argv)
{
    ropts o;
    if (parse(&o, "baseline", argc, argv) != 0)
        return 2;
    if (o.version < 1) {
        usage("baseline");
        return 2;
    }
    char dbuf[4096];
    const char *dir = dir_of(&o, dbuf, sizeof dbuf);
    sc_buf err = SC_BUF_INIT;
    sc_migrations list;
    sc_ledger l;
    memset(&l, 0, sizeof l);
    int rc = 0;
    PGconn *c = NULL;
    if (sc_migrations_read(&list, dir, &err) != 0 || sc_ledger_init(&l, o.ledger, &err) != 0) {
        fprintf(stderr, "schemac baseline: %s\n", sc_buf_str(&err));
        rc = 2;
        goto out;
    }
    const sc_migration *target = find_migration(&list, (unsigned)o.version);
    if (target == NULL) {
        fprintf(stderr, "schemac baseline: no migration %04ld in %s\n", o.version, dir);
        rc = 2;
        goto out;
    }
    char from[SC_HASH_HEX_LEN + 1], to[SC_HASH_HEX_LEN + 1];
    sc_mfile_hashes(target->up, target->up_len, from, to);
    if (to[0] == '\0') {
        fprintf(stderr, "schemac baseline: refused: %s.up.sql has no schemac header, so the "
                        "schema at that version is unknown and the database cannot be compared "
                        "with it\n",
                target->name);
        rc = 1;
        goto out;
    }
    c = open_db(&o, &l, true, true, &rc);
    if (c == NULL)
        goto out;
    if (l.n > 0) {
        fprintf(stderr, "schemac baseline: refused: the ledger already records %zu migration%s\n",
                l.n, l.n == 1 ? "" : "s");
        rc = 1;
        goto out;
    }
    char live[SC_HASH_HEX_LEN + 1];
    if (sc_live_hash(c, &l, live, NULL, &err) != 0) {
        fprintf(stderr, "schemac baseline: %s\n", sc_buf_str(&err));
        rc = 1;
        goto out;
    }
    if (strcmp(live, to) != 0) {
        fprintf(stderr, "schemac baseline: refused: the database's schema hashes to %s, but the "
                        "schema after %s is %s (run schemac check to see the differences)\n",
                live, target->name, to);
        rc = 1;
        goto out;
    }
    sc_buf q = SC_BUF_INIT;
    sc_buf_puts(&q, "BEGIN;");
    for (size_t i = 0; i < list.n && list.items[i].number <= (unsigned)o.version; i++) {
        const sc_migration *m = &list.items[i];
        char us[SC_HASH_HEX_LEN + 1], ds[SC_HASH_HEX_LEN + 1], f[SC_HASH_HEX_LEN + 1],
            t[SC_HASH_HEX_LEN + 1];
        sc_hash_hex(us, m->up, m->up_len);
        sc_hash_hex(ds, m->down, m->down_len);
        sc_mfile_hashes(m->up, m->up_len, f, t);
        sc_buf_puts(&q, " INSERT INTO ");
        sc_ledger_name(&q, &l, NULL);
        sc_buf_printf(&q, " (version, name, up_checksum, down_checksum, schema_before, schema_after,"
                          " duration_ms) VALUES (%u, '%s', '%s', '%s', %s%s%s, %s%s%s, 0);",
                      m->number, m->name, us, ds, f[0] ? "'" : "", f[0] ? f : "NULL", f[0] ? "'" : "",
                      t[0] ? "'" : "", t[0] ? t : "NULL", t[0] ? "'" : "");
    }
    sc_buf_puts(&q, " COMMIT");
    PGresult *r = sc_conn_query(c, sc_buf_str(&q), PGRES_COMMAND_OK, "recording the baseline", &err);
    sc_buf_free(&q);
    if (r == NULL) {
        fprintf(stderr, "schemac baseline: %s\n", sc_buf_str(&err));
        rc = 1;
        goto out;
    }
    PQclear(r);
    printf("recorded migrations up to %s as applied (the database matches its schema)\n",
           target->name);
out:
    PQfinish(c);
    sc_ledger_free(&l);
    sc_migrations_free(&list);
    sc_buf_free(&err);
    return rc;
}

/* ---------------------------------------------------------------- sum */

int sc_cmd_sum(int argc, char **argv)
{
    ropts o;
    if (parse(&o, "sum", argc, argv) != 0)
        return 2;
    char dbuf[4096];
    const char *dir = dir_of(&o, dbuf, sizeof dbuf);
    sc_buf err = SC_BUF_INIT, text = SC_BUF_INIT;
    sc_migrations list;
    int rc = 0;
    if (sc_migrations_read(&list, dir, &err) != 0) {
        fprintf(stderr, "schemac sum: %s: %s\n", dir, sc_buf_str(&err));
        rc = 2;
    } else {
        sc_migrations_sum(&text, &list);
        char path[4200];
        snprintf(path, sizeof path, "%s/schemac.sum", dir);
        if (sc_file_write_atomic(path, sc_buf_str(&text), text.len) != 0) {
            fprintf(stderr, "schemac sum: %s: %s\n", path, strerror(errno));
            rc = 2;
        } else {
            printf("wrote %s (%zu migrations)\n", path, list.n);
        }
    }
    sc_migrations_free(&list);
    sc_buf_free(&err);
    sc_buf_free(&text);
    return rc;
}

/* -------------------------------------------------------------- check */

/* What `check` found: one line each, with a kind for JSON. */
typedef struct finding {
    const char *kind; /* "stale", "sum", "edited", "missing", "pending", "drift", "unmanaged" */
    char *message;
} finding;

typedef struct findings {
    finding *f;
    size_t n, cap;
} findings;

static void add_finding(findings *fs, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_finding(findings *fs, const char *kind, const char *fmt, ...)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->f = sc_xrealloc(fs->f, fs->cap * sizeof *fs->f);
    }
    sc_buf b = SC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    fs->f[fs->n].kind = kind;
    fs->f[fs->n++].message = sc_buf_detach(&b);
}

/* The schema in OUT/schema.lock, parsed; NULL when there is none (or it
 * does not read: `why` says so). */
static sc_compiler *lock_model(const char *out, sc_buf *why)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/schema.lock", out);
    sc_lock lock;
    int k = sc_lock_read(&lock, path, why);
    if (k <= 0) {
        if (k == 0)
            sc_buf_printf(why, "%s does not exist", path);
        sc_lock_free(&lock);
        return NULL;
    }
    bool ok;
    sc_compiler *c = sc_lock_compile(lock.body, lock.body_len, path, false, &ok);
    sc_lock_free(&lock);
    if (!ok) {
        sc_buf_printf(why, "%s: the snapshot does not compile", path);
        sc_compiler_free(c);
        return NULL;
    }
    return c;
}

int sc_cmd_check(int argc, char **argv)
{
    ropts o;
    if (parse(&o, "check", argc, argv) != 0)
        return 2;
    /* Like every command that reads a database: --db, else $DATABASE_URL;
     * without either the check stays offline. */
    if (o.db == NULL && getenv("DATABASE_URL") != NULL && getenv("DATABASE_URL")[0] != '\0')
        o.db = getenv("DATABASE_URL");
    char dbuf[4096];
    const char *dir = dir_of(&o, dbuf, sizeof dbuf);
    bool json = strcmp(o.format, "json") == 0;
    findings fs = {0};
    sc_buf err = SC_BUF_INIT;
    int rc = 0;
    PGconn *c = NULL;
    sc_ledger l;
    memset(&l, 0, sizeof l);
    sc_compiler *expected = NULL;
    sc_model *live = NULL;

    /* 1. generated/ is the compiled form of schema/. */
    sc_compile_opts co = {.cmd = "check", .schema = o.schema, .out = o.out, .diff = true,
                          .quiet = true, .dev = getenv("SCHEMAC_DEV_URL")};
    int k = sc_compile_run(&co);
    if (k == 1)
        add_finding(&fs, "stale", "%s/ has changed since %s was compiled: run schemac compile",
                    o.schema, o.out);
    else if (k != 0) {
        rc = k;
        goto out;
    }
    /* 2. schemac.sum matches the directory. */
    sc_migrations list;
    if (sc_migrations_read(&list, dir, &err) != 0) {
        fprintf(stderr, "schemac check: %s: %s\n", dir, sc_buf_str(&err));
        sc_migrations_free(&list);
        rc = 2;
        goto out;
    }
    if (sc_migrations_verify(&list, &err) != 0)
        add_finding(&fs, "sum", "%s", sc_buf_str(&err));
    sc_buf_reset(&err);

    if (o.db != NULL) {
        if (sc_ledger_init(&l, o.ledger, &err) != 0) {
            fprintf(stderr, "schemac check: %s\n", sc_buf_str(&err));
            rc = 2;
            sc_migrations_free(&list);
            goto out;
        }
        c = open_db(&o, &l, false, false, &rc);
        if (c == NULL) {
            sc_migrations_free(&list);
            goto out;
        }
        /* 3. Applied migrations against their files. */
        for (size_t i = 0; i < l.n; i++) {
            const sc_ledger_row *r = &l.rows[i];
            const sc_migration *m = find_migration(&list, r->version);
            if (m == NULL) {
                add_finding(&fs, "missing", "migration %s: applied, but its files are gone",
                            r->name);
                continue;
            }
            char h[SC_HASH_HEX_LEN + 1];
            sc_hash_hex(h, m->up, m->up_len);
            if (r->up_sum == NULL || strcmp(h, r->up_sum) != 0)
                add_finding(&fs, "edited", "migration %s: %s.up.sql was edited after it was applied",
                            m->name, m->name);
        }
        /* 4. Pending work. */
        size_t pending = 0;
        for (size_t i = 0; i < list.n; i++)
            pending += sc_ledger_find(&l, list.items[i].number) == NULL;
        if (pending > 0 && o.strict)
            add_finding(&fs, "pending", "%zu migration%s not applied yet", pending,
                        pending == 1 ? "" : "s");
        else if (pending > 0 && !json)
            printf("note: %zu migration%s not applied yet (--strict makes that a failure)\n",
                   pending, pending == 1 ? "" : "s");
        /* 5. The live schema against the schema at the ledger's version. */
        char hash[SC_HASH_HEX_LEN + 1];
        if (sc_live_hash(c, &l, hash, &live, &err) != 0) {
            fprintf(stderr, "schemac check: %s\n", sc_buf_str(&err));
            rc = SC_EXIT_CONNECT;
            sc_migrations_free(&list);
            goto out;
        }
        unsigned at = l.n > 0 ? l.rows[l.n - 1].version : 0;
        bool latest = list.n > 0 && at == list.items[list.n - 1].number;
        sc_buf why = SC_BUF_INIT;
        const sc_migration *last = latest ? &list.items[list.n - 1] : NULL;
        char lfrom[SC_HASH_HEX_LEN + 1], lto[SC_HASH_HEX_LEN + 1];
        lto[0] = '\0';
        if (last != NULL)
            sc_mfile_hashes(last->up, last->up_len, lfrom, lto);
        if (latest && lto[0] != '\0' && strcmp(lto, hash) == 0) {
            /* The live schema hashes as the last migration left it: no
             * drift, and no need to read the snapshot. */
            if (o.strict)
                for (size_t i = 0; i < live->nunmanaged; i++) {
                    const sc_unmanaged *u = live->unmanaged[i];
                    add_finding(&fs, "unmanaged", "%s %s%s%s: not managed by the schema", u->kind,
                                u->schema != NULL ? u->schema : "", u->schema != NULL ? "." : "",
                                u->name);
                }
        } else if (latest && (expected = lock_model(o.out, &why)) != NULL) {
            sc_drift d = SC_DRIFT_INIT;
            sc_drift_compare(&d, live, expected->model, o.strict);
            for (size_t i = 0; i < d.n; i++)
                add_finding(&fs, strstr(d.items[i].message, "not managed") != NULL ? "unmanaged" : "drift",
                            "%s: %s", d.items[i].object, d.items[i].message);
            if (d.n == 0 && lto[0] != '\0')
                add_finding(&fs, "drift", "the database's schema hashes to %s, not to %s as the "
                            "last migration left it, yet no object differs from schema.lock "
                            "(was schema.lock edited?)", hash, lto);
            sc_drift_free(&d);
        } else {
            const sc_migration *m = at > 0 ? find_migration(&list, at) : NULL;
            char from[SC_HASH_HEX_LEN + 1], to[SC_HASH_HEX_LEN + 1];
            to[0] = '\0';
            if (m != NULL)
                sc_mfile_hashes(m->up, m->up_len, from, to);
            else if (at == 0 && list.n > 0)
                sc_mfile_hashes(list.items[0].up, list.items[0].up_len, to, from);
            if (to[0] != '\0' && strcmp(to, hash) != 0)
                add_finding(&fs, "drift", "the database's schema hashes to %s, not to %s, the schema "
                            "%s (apply the pending migrations for a report object by object)",
                            hash, to, m != NULL ? "after the last applied migration" : "before the first migration");
        }
        sc_buf_free(&why);
    }
    sc_migrations_free(&list);

    if (json) {
        sc_buf b = SC_BUF_INIT;
        sc_buf_printf(&b, "{\"ok\": %s, \"problems\": [", fs.n == 0 ? "true" : "false");
        for (size_t i = 0; i < fs.n; i++) {
            sc_buf_printf(&b, "%s{\"kind\": \"%s\", \"message\": ", i ? ", " : "", fs.f[i].kind);
            json_str(&b, fs.f[i].message);
            sc_buf_putc(&b, '}');
        }
        sc_buf_puts(&b, "]}\n");
        fwrite(b.data, 1, b.len, stdout);
        sc_buf_free(&b);
    } else if (fs.n == 0) {
        printf("clean: %s is compiled, schemac.sum matches%s\n", o.schema,
               o.db != NULL ? ", the database matches its migrations" : "");
    } else {
        for (size_t i = 0; i < fs.n; i++)
            printf("%s\n", fs.f[i].message);
        printf("%zu problem%s found\n", fs.n, fs.n == 1 ? "" : "s");
    }
    rc = fs.n > 0 ? 1 : 0;
out:
    for (size_t i = 0; i < fs.n; i++)
        free(fs.f[i].message);
    free(fs.f);
    sc_compiler_free(expected);
    sc_model_free(live);
    PQfinish(c);
    sc_ledger_free(&l);
    sc_buf_free(&err);
    return rc;
}
