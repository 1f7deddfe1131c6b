/*
 * `schemac compile`: the schema files compiled into the next migration
 * pair, proven by replay, with the snapshot and checksums updated.
 *
 *   1. the current state: the live database (--db), else the snapshot in
 *      OUT/schema.lock, else the empty schema;
 *   2. the desired state: the schema files, normalised to the catalog's
 *      spelling (through the development server, cached in schema.lock);
 *      when no --db is given and every file hashes as schema.lock
 *      recorded, there is nothing to do and nothing is parsed;
 *   3. the plan, printed in words; data-loss steps are refused without
 *      --allow-data-loss;
 *   4. the up and down files (emit_sql.h), proven on a scratch database
 *      (replay.h), then written with schemac.sum and schema.lock, and the
 *      C header for the schema (emit_c.h) under OUT/include.
 *
 * Exit codes: 0 written, or no changes; 1 refused (data loss without
 * --allow-data-loss, or a pair that failed its proof); 2 usage, schema or
 * planning errors; 3 a database or the development server cannot be
 * reached.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog.h"
#include "commands.h"
#include "compiler.h"
#include "conn.h"
#include "ledger.h"
#include "emit_c.h"
#include "emit_sql.h"
#include "hash.h"
#include "lock.h"
#include "migrations.h"
#include "normalize.h"
#include "plan.h"
#include "print.h"
#include "replay.h"
#include "scratch.h"
#include "strmap.h"
#include "util.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
    fputs("usage: schemac compile [-m NAME] [--schema DIR] [--out DIR] [--db URL]\n"
          "                       [--dev-url URL] [--allow-data-loss] [--dry-run]\n",
          stderr);
}

typedef sc_compile_opts opts;

/* The command being run, for messages ("compile" or "diff"). */
static const char *cmdname = "compile";

/* The development server: --dev-url, else the private one (started on
 * first need).  Owned by the caller's `*dev_owned` when started here. */
static const char *dev_server(const opts *o, char **dev_owned, sc_buf *err)
{
    if (o->dev != NULL && o->dev[0] != '\0')
        return o->dev;
    if (*dev_owned == NULL)
        *dev_owned = sc_scratch_server(err);
    return *dev_owned;
}

/* The database on the development server where normalisation creates
 * objects in transactions it rolls back, created on first use. */
#define NORMALISE_DB "schemac_normalise"

/* What the normaliser's get_url callback needs. */
typedef struct url_ctx {
    const opts *o;
    char **dev_owned;
    const char *dev; /* set once the server is known */
} url_ctx;

/* Appends `key=value` to a conninfo string, the value quoted as libpq
 * wants ('...' with \\ and \' escaped). */
static void conninfo_add(sc_buf *b, const char *key, const char *value)
{
    sc_buf_printf(b, "%s%s='", b->len > 0 ? " " : "", key);
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '\'' || *p == '\\')
            sc_buf_putc(b, '\\');
        sc_buf_putc(b, *p);
    }
    sc_buf_putc(b, '\'');
}

/*
 * The normaliser's get_url: a conninfo (malloc'd) for NORMALISE_DB on the
 * development server, which is started (private server) and the database
 * created when missing.  NULL after one line in `err`.
 */
static char *normalise_url(void *vctx, sc_buf *err)
{
    url_ctx *u = vctx;
    if (u->dev == NULL)
        u->dev = dev_server(u->o, u->dev_owned, err);
    if (u->dev == NULL)
        return NULL;
    PGconn *admin = sc_conn_open(u->dev, err);
    if (admin == NULL)
        return NULL;
    PGresult *r = PQexec(admin, "CREATE DATABASE " NORMALISE_DB " TEMPLATE template0");
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
              (state != NULL && (strcmp(state, "42P04") == 0 || strcmp(state, "23505") == 0));
    if (!ok) {
        sc_buf_puts(err, "creating the normalisation database on the development server: ");
        sc_conn_error_line(err, PQresultErrorMessage(r));
    }
    PQclear(r);
    char *url = NULL;
    if (ok) {
        sc_buf b = SC_BUF_INIT;
        PQconninfoOption *opt = PQconninfo(admin);
        for (PQconninfoOption *o = opt; o != NULL && o->keyword != NULL; o++)
            if (o->val != NULL && o->val[0] != '\0' && strcmp(o->keyword, "dbname") != 0)
                conninfo_add(&b, o->keyword, o->val);
        PQconninfoFree(opt);
        conninfo_add(&b, "dbname", NORMALISE_DB);
        url = sc_buf_detach(&b);
    }
    PQfinish(admin);
    return url;
}

/* Path of `src` relative to the schema directory `dir`. */
static const char *relative(const char *src, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 0 && dir[n - 1] == '/')
        n--;
    if (strncmp(src, dir, n) == 0 && src[n] == '/')
        return src + n + 1;
    return src;
}

bool sc_compile_files_match(const sc_sources *s, const sc_lock *lock, const char *dir)
{
    if (s->n != lock->nfiles)
        return false;
    for (size_t i = 0; i < s->n; i++) {
        char h[SC_HASH_HEX_LEN + 1];
        sc_hash_hex(h, s->items[i]->text, s->items[i]->len);
        const char *rel = relative(s->items[i]->path, dir);
        bool found = false;
        for (size_t j = 0; j < lock->nfiles && !found; j++)
            found = strcmp(lock->files[j].path, rel) == 0 && strcmp(lock->files[j].hash, h) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* Parses `len` bytes of snapshot text; NULL after printing errors. */
static sc_compiler *parse_snapshot(const char *text, size_t len, const char *path, bool partial)
{
    bool ok;
    sc_compiler *c = sc_lock_compile(text, len, path, partial, &ok);
    if (!ok) {
        fprintf(stderr, "schemac %s: %s: the snapshot does not compile:\n", cmdname, path);
        sc_compiler_render(c, stderr);
        sc_compiler_free(c);
        return NULL;
    }
    return c;
}

/* The hash of span `sp` of `body`. */
static void span_hash(char out[SC_HASH_HEX_LEN + 1], const sc_buf *body, const sc_print_span *sp)
{
    sc_hash_hex(out, body->data + sp->offset, sp->len);
}

/*
 * The previous schema from schema.lock, without parsing what did not
 * change: a table of the desired model whose declaration hashes as one of
 * the lock's is the same table, and is shared; only the other objects and
 * the changed or dropped tables are parsed (`*parsed` keeps them).  Returns
 * a model that owns no table it shares, or NULL after printing errors.
 */
static sc_model *snapshot_from(const sc_lock *lock, const char *path, const sc_model *want,
                               const sc_buf *body, const sc_print_span *spans,
                               sc_compiler **parsed)
{
    sc_strmap same = SC_STRMAP_INIT;
    char (*hashes)[SC_HASH_HEX_LEN + 1] = sc_xcalloc(want->ntables + 1, sizeof *hashes);
    for (size_t i = 0; i < want->ntables; i++) {
        span_hash(hashes[i], body, &spans[i]);
        sc_strmap_put(&same, hashes[i], (void *)spans[i].table);
    }
    size_t prefix = lock->body_len;
    for (size_t i = 0; i < lock->ntables; i++)
        if (lock->tables[i].offset < prefix)
            prefix = lock->tables[i].offset;
    sc_buf text = SC_BUF_INIT;
    sc_buf_append(&text, lock->body, prefix);
    const sc_table **shared = sc_xcalloc(lock->ntables + 1, sizeof *shared);
    size_t nshared = 0;
    for (size_t i = 0; i < lock->ntables; i++) {
        const sc_table *t = sc_strmap_get(&same, lock->tables[i].hash);
        if (t != NULL) {
            shared[nshared++] = t;
        } else {
            sc_buf_putc(&text, '\n');
            sc_buf_append(&text, lock->body + lock->tables[i].offset, lock->tables[i].len);
        }
    }
    sc_model *m = NULL;
    *parsed = parse_snapshot(sc_buf_str(&text), text.len, path, true);
    if (*parsed != NULL) {
        const sc_model *p = (*parsed)->model;
        m = sc_model_new();
#define SHARE(arr, n, cap)                                                                  \
    for (size_t i = 0; i < p->n; i++)                                                       \
        SC_PUSH(m->arena, m->arr, m->n, m->cap, p->arr[i]);
        SHARE(schemas, nschemas, capschemas)
        SHARE(extensions, nextensions, capextensions)
        SHARE(collations, ncollations, capcollations)
        SHARE(enums, nenums, capenums)
        SHARE(sequences, nsequences, capsequences)
        SHARE(tables, ntables, captables)
#undef SHARE
        for (size_t i = 0; i < nshared; i++)
            SC_PUSH(m->arena, m->tables, m->ntables, m->captables, (sc_table *)shared[i]);
    }
    free(shared);
    free(hashes);
    sc_buf_free(&text);
    sc_strmap_free(&same);
    return m;
}

/* Writes `data` to DIR/FILE atomically and says so (when `say`);
 * prints the error. */
static int write_out(const char *dir, const char *file, const sc_buf *data, bool say)
{
    sc_buf path = SC_BUF_INIT;
    sc_buf_printf(&path, "%s/%s", dir, file);
    int rc = sc_file_write_atomic(sc_buf_str(&path), sc_buf_str(data), data->len);
    if (rc != 0)
        fprintf(stderr, "schemac %s: %s: %s\n", cmdname, sc_buf_str(&path), strerror(errno));
    else if (say)
        printf("wrote %s\n", sc_buf_str(&path));
    sc_buf_free(&path);
    return rc;
}

/* mkdir -p for one or two levels. */
static int make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "schemac %s: %s: %s\n", cmdname, path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Whether an extension of `m` names its schema or version (else the loose
 * hash is the schema hash). */
static bool ext_fields(const sc_model *m)
{
    for (size_t i = 0; i < m->nextensions; i++)
        if (m->extensions[i]->schema != NULL || m->extensions[i]->version != NULL)
            return true;
    return false;
}

/* sc_normcache_each_used callback: keeps an entry in the new lock. */
static void add_norm(void *ctx, const char *key, const char *value)
{
    sc_lock_add_norm(ctx, key, value);
}

/* The step that names the migration: the first of the highest risk. */
static const sc_step *main_step(const sc_plan *plan)
{
    const sc_step *best = NULL;
    for (size_t i = 0; i < plan->nsteps; i++)
        if (best == NULL || sc_step_risk(&plan->steps[i]) > sc_step_risk(best))
            best = &plan->steps[i];
    return best;
}

int sc_cmd_compile(int argc, char **argv)
{
    opts o = {.cmd = "compile", .schema = "schema", .out = "generated",
              .dev = getenv("SCHEMAC_DEV_URL")};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if ((strcmp(a, "-m") == 0 || strcmp(a, "--name") == 0) && has)
            o.name = argv[++i];
        else if (strcmp(a, "--schema") == 0 && has)
            o.schema = argv[++i];
        else if (strcmp(a, "--out") == 0 && has)
            o.out = argv[++i];
        else if (strcmp(a, "--db") == 0 && has)
            o.db = argv[++i];
        else if (strcmp(a, "--dev-url") == 0 && has)
            o.dev = argv[++i];
        else if (strcmp(a, "--allow-data-loss") == 0)
            o.allow_loss = true;
        else if (strcmp(a, "--dry-run") == 0)
            o.dry_run = true;
        else {
            fprintf(stderr, "schemac %s: unknown argument '%s'\n", cmdname, a);
            usage();
            return 2;
        }
    }
    if (o.name != NULL) {
        sc_buf s = SC_BUF_INIT;
        sc_slug(&s, o.name, 64);
        bool same = strcmp(sc_buf_str(&s), o.name) == 0;
        sc_buf_free(&s);
        if (!same) {
            fprintf(stderr, "schemac %s: -m NAME: use lower-case letters, digits and "
                            "underscores (e.g. add_vintage_year), at most 64\n", cmdname);
            return 2;
        }
    }
    return sc_compile_run(&o);
}

int sc_compile_run(const sc_compile_opts *opt)
{
    opts o = *opt;
    cmdname = o.cmd;
    double t0 = now();
    int rc = 2, down = 0;
    sc_buf err = SC_BUF_INIT;
    char lock_path[4096], mig_dir[4096];
    snprintf(lock_path, sizeof lock_path, "%s/schema.lock", o.out);
    snprintf(mig_dir, sizeof mig_dir, "%s/migrations", o.out);
    sc_lock lock;
    sc_migrations hist;
    memset(&hist, 0, sizeof hist);
    sc_compiler *c = NULL, *snap = NULL;
    sc_model *have = NULL, *want = NULL; /* want: c->model once normalised */
    sc_normcache *norm_cache = NULL;
    sc_buf body = SC_BUF_INIT;     /* the desired schema's canonical text */
    sc_print_span *spans = NULL;   /* its tables' places */
    PGconn *conn = NULL;
    char *dev_owned = NULL;
    sc_plan plan;
    bool have_plan = false;

    int lk = sc_lock_read(&lock, lock_path, &err);
    if (lk < 0) {
        fprintf(stderr, "schemac %s: %s\n", cmdname, sc_buf_str(&err));
        sc_lock_free(&lock);
        sc_buf_free(&err);
        return 2;
    }

    c = sc_compiler_new();
    sc_sources_add_path(&c->sources, o.schema, &c->diags);
    if (c->diags.nerrors > 0) {
        sc_compiler_render(c, stderr);
        goto out;
    }
    /* Nothing changed since the last compile: nothing to parse. */
    if (o.db == NULL && lk > 0 && sc_compile_files_match(&c->sources, &lock, o.schema)) {
        if (o.diff && !o.quiet)
            printf("no changes\n");
        else if (!o.diff)
            printf("no changes (the schema files are those schema.lock records; %.1f ms)\n",
                   (now() - t0) * 1e3);
        rc = 0;
        goto out;
    }
    /* The history the new migration follows: every file as schemac.sum
     * recorded it (not needed above: with nothing to do, nothing is
     * written; `schemac check` reports edited migrations). */
    if (sc_migrations_read(&hist, mig_dir, &err) != 0 || sc_migrations_verify(&hist, &err) != 0) {
        fprintf(stderr, "schemac %s: %s: %s\n", cmdname, mig_dir, sc_buf_str(&err));
        goto out;
    }
    if (lk == 0 && hist.n > 0) {
        fprintf(stderr, "schemac %s: %s is missing but %s holds %zu migration%s; restore it "
                        "from version control (or compile with --db)\n", cmdname,
                lock_path, mig_dir, hist.n, hist.n == 1 ? "" : "s");
        goto out;
    }
    if (sc_compiler_run(c) != 0) {
        sc_compiler_render(c, stderr);
        goto out;
    }
    sc_compiler_render(c, stderr); /* warnings */
    double parse_s = now() - t0;

    /* The desired state, in the catalog's spelling: from the cache in
     * schema.lock where it can, else through the development server. */
    double tn = now();
    sc_normcache *cache = sc_lock_normcache(&lock);
    url_ctx uc = {&o, &dev_owned, NULL};
    sc_norm_stats ns;
    if (sc_normalize_model(c->model, cache, normalise_url, &uc, &ns, &down, &err) != 0) {
        fprintf(stderr, "schemac %s: %s\n", cmdname, sc_buf_str(&err));
        rc = down ? SC_EXIT_CONNECT : 2;
        sc_normcache_free(cache);
        goto out;
    }
    want = c->model;
    double normalise_s = now() - tn;
    norm_cache = cache;

    /* The current state. */
    double tc = now();
    if (o.db != NULL) {
        conn = sc_conn_open(o.db, &err);
        if (conn == NULL) {
            fprintf(stderr, "schemac %s: %s\n", cmdname, sc_buf_str(&err));
            rc = SC_EXIT_CONNECT;
            goto out;
        }
        have = sc_catalog_read(conn, NULL, &err);
        /* The migration ledger is the runtime's, not part of the schema. */
        if (have != NULL)
            sc_ledger_strip_default(have);
        if (have == NULL) {
            fprintf(stderr, "schemac %s: database \"%s\": %s\n", cmdname, PQdb(conn),
                    sc_buf_str(&err));
            rc = SC_EXIT_CONNECT;
            goto out;
        }
        /* An extension whose schema or version the files leave open keeps
         * the database's. */
        for (size_t i = 0; i < want->nextensions; i++)
            for (size_t j = 0; j < have->nextensions; j++)
                if (strcmp(want->extensions[i]->name, have->extensions[j]->name) == 0) {
                    sc_extension *w = want->extensions[i], *h = have->extensions[j];
                    if (w->schema == NULL && h->schema != NULL)
                        w->schema = sc_arena_strdup(want->arena, h->schema);
                    if (w->version == NULL && h->version != NULL)
                        w->version = sc_arena_strdup(want->arena, h->version);
                }
    }
    /* The desired schema's canonical text (the lock's body, the source of
     * its hash) and where each table lies in it. */
    spans = sc_xcalloc(want->ntables + 1, sizeof *spans);
    sc_print_canonical_spans(&body, want, spans);
    if (o.db == NULL && lk > 0 && lock.ntables > 0) {
        have = snapshot_from(&lock, lock_path, want, &body, spans, &snap);
        if (have == NULL)
            goto out;
    } else if (o.db == NULL && lk > 0) {
        snap = parse_snapshot(lock.body, lock.body_len, lock_path, false);
        if (snap == NULL)
            goto out;
    } else if (o.db == NULL) {
        have = sc_model_new();
    }
    const sc_model *from = have != NULL ? have : snap->model;
    double current_s = now() - tc, tp = now();

    if (sc_plan_build(&plan, from, want, &err) != 0) {
        fprintf(stderr, "schemac %s: %s\n", cmdname, sc_buf_str(&err));
        rc = 2;
        have_plan = true;
        goto out;
    }
    have_plan = true;
    char from_hash[SC_HASH_HEX_LEN + 1], to_hash[SC_HASH_HEX_LEN + 1];
    if (o.db == NULL && lk > 0)
        memcpy(from_hash, lock.schema_hash, sizeof from_hash);
    else
        sc_model_hash(from_hash, from);
    sc_hash_hex(to_hash, sc_buf_str(&body), body.len);
    /* The files' headers record the hashes the runtime can check a live
     * database against: extension schemas and versions left out. */
    char from_loose[SC_HASH_HEX_LEN + 1], to_loose[SC_HASH_HEX_LEN + 1];
    if (ext_fields(from))
        sc_model_hash_loose(from_loose, from);
    else
        memcpy(from_loose, from_hash, sizeof from_loose);
    if (ext_fields(want))
        sc_model_hash_loose(to_loose, want);
    else
        memcpy(to_loose, to_hash, sizeof to_loose);
    double plan_s = now() - tp;
    if (plan.nsteps == 0) {
        if (o.diff && !o.quiet)
            printf("no changes\n");
        else if (!o.diff)
            printf("no changes (schema %s)\n", to_hash);
        rc = 0;
        goto out;
    }

    if (o.diff && o.quiet) {
        rc = 1;
        goto out;
    }
    if (o.diff) {
        sc_buf words = SC_BUF_INIT;
        sc_plan_describe(&words, &plan);
        fwrite(words.data, 1, words.len, stdout);
        sc_buf_free(&words);
        if (o.sql) {
            sc_emit_info info = {"(not written: schemac diff)", from_loose, to_loose};
            sc_buf up = SC_BUF_INIT;
            sc_emit_up(&up, &plan, &info);
            printf("\n%s", sc_buf_str(&up));
            sc_buf_free(&up);
        }
        rc = 1;
        goto out;
    }

    /* The plan in words. */
    sc_buf words = SC_BUF_INIT;
    sc_plan_describe(&words, &plan);
    printf("plan: %zu step%s from %s to %s\n", plan.nsteps, plan.nsteps == 1 ? "" : "s",
           o.db != NULL ? "the database" : lk > 0 ? "schema.lock" : "the empty schema",
           o.schema);
    size_t k = 0;
    for (const char *p = sc_buf_str(&words); *p != '\0'; k++) {
        size_t n = strcspn(p, "\n");
        printf("  %zu. %.*s\n", k + 1, (int)n, p);
        p += n + (p[n] != '\0');
    }
    sc_buf_free(&words);

    /* Data loss needs consent. */
    size_t lossy = 0;
    for (size_t i = 0; i < plan.nsteps; i++)
        lossy += (plan.steps[i].hazards & SC_HAZARD_DATA_LOSS) != 0;
    if (lossy > 0 && !o.allow_loss) {
        fprintf(stderr, "schemac %s: refused: %zu step%s lose%s data:\n", cmdname, lossy,
                lossy == 1 ? "" : "s", lossy == 1 ? "s" : "");
        for (size_t i = 0; i < plan.nsteps; i++)
            if (plan.steps[i].hazards & SC_HAZARD_DATA_LOSS)
                fprintf(stderr, "  step %zu: %s\n", i + 1, plan.steps[i].what);
        fputs("review them, then run again with --allow-data-loss (nothing was written)\n",
              stderr);
        rc = 1;
        goto out;
    }

    /* The files. */
    sc_buf name = SC_BUF_INIT;
    unsigned number = sc_migrations_next(&hist);
    sc_buf_printf(&name, "%04u_", number);
    if (o.name != NULL)
        sc_buf_puts(&name, o.name);
    else if (from->ntables + from->nenums + from->nschemas + from->nextensions == 0)
        sc_buf_puts(&name, "initial");
    else
        sc_slug(&name, main_step(&plan)->what, 48);
    sc_emit_info info = {sc_buf_str(&name), from_loose, to_loose};
    sc_buf up = SC_BUF_INIT, dn = SC_BUF_INIT;
    sc_emit_up(&up, &plan, &info);
    sc_emit_down(&dn, &plan, &info);
    bool reversible = sc_plan_reversible(&plan);
    sc_buf timing = SC_BUF_INIT;
    sc_buf_printf(&timing,
                  "parse %.0f ms, normalise %.0f ms (%zu of %zu tables from the cache, %zu on the "
                  "server in %.0f ms), current state %.0f ms, plan %.0f ms, files %.0f ms",
                  parse_s * 1e3, normalise_s * 1e3, ns.tables_cached, ns.tables, ns.tables_server,
                  ns.server_seconds * 1e3,
                  current_s * 1e3, plan_s * 1e3, (now() - t0 - parse_s - normalise_s - current_s - plan_s) * 1e3);
    if (o.dry_run) {
        printf("\n%s.up.sql (dry run: nothing written, not replayed):\n\n%s\n"
               "compiled in %.0f ms: %s\n",
               sc_buf_str(&name), sc_buf_str(&up), (now() - t0) * 1e3, sc_buf_str(&timing));
        sc_buf_free(&timing);
        rc = 0;
        goto files_done;
    }

    /* The proof. */
    const char *dev = uc.dev != NULL ? uc.dev : dev_server(&o, &dev_owned, &err);
    if (dev == NULL) {
        fprintf(stderr, "schemac %s: development server: %s\n", cmdname, sc_buf_str(&err));
        rc = SC_EXIT_CONNECT;
        goto files_done;
    }
    sc_replay rp = {
        .server = dev,
        .history = &hist,
        .start = o.db != NULL ? have : NULL,
        .from = from,
        .to = want,
        .up = sc_buf_str(&up),
        .down = reversible ? sc_buf_str(&dn) : NULL,
    };
    sc_replay_stats rs;
    sc_buf_reset(&err);
    if (sc_replay_prove(&rp, &rs, &down, &err) != 0) {
        fprintf(stderr, "schemac %s: the migration failed its proof, nothing was written: "
                        "%s\n", cmdname,
                sc_buf_str(&err));
        rc = down ? SC_EXIT_CONNECT : 1;
        goto files_done;
    }
    printf("proven on a scratch database in %.0f ms: %s\n", rs.seconds * 1e3,
           reversible ? "up reaches the schema, down returns to the previous one, up again"
                      : "up reaches the schema (the down file cannot undo it: see its header)");

    /* Write: the migration files first, the sum and the lock last. */
    sc_buf fname = SC_BUF_INIT;
    if (make_dir(o.out) != 0 || make_dir(mig_dir) != 0)
        goto files_done;
    sc_buf_printf(&fname, "%s.up.sql", sc_buf_str(&name));
    int w = write_out(mig_dir, sc_buf_str(&fname), &up, true);
    sc_buf_reset(&fname);
    sc_buf_printf(&fname, "%s.down.sql", sc_buf_str(&name));
    if (w == 0)
        w = write_out(mig_dir, sc_buf_str(&fname), &dn, true);
    sc_buf_free(&fname);
    if (w != 0)
        goto files_done;
    sc_migrations_add(&hist, number, sc_buf_str(&name), sc_buf_str(&up), sc_buf_str(&dn));
    sc_buf sum = SC_BUF_INIT;
    sc_migrations_sum(&sum, &hist);
    w = write_out(mig_dir, "schemac.sum", &sum, false);
    sc_buf_free(&sum);
    if (w != 0)
        goto files_done;

    sc_lock nl;
    memset(&nl, 0, sizeof nl);
    snprintf(nl.schema_hash, sizeof nl.schema_hash, "%s", to_hash);
    nl.migration = strdup(sc_buf_str(&name));
    for (size_t i = 0; i < c->sources.n; i++) {
        char h[SC_HASH_HEX_LEN + 1];
        sc_hash_hex(h, c->sources.items[i]->text, c->sources.items[i]->len);
        sc_lock_add_file(&nl, relative(c->sources.items[i]->path, o.schema), h);
    }
    nl.server_major = sc_normcache_major(norm_cache);
    sc_normcache_each_used(norm_cache, add_norm, &nl);
    for (size_t i = 0; i < want->ntables; i++) {
        char h[SC_HASH_HEX_LEN + 1];
        span_hash(h, &body, &spans[i]);
        sc_lock_add_table(&nl, h, spans[i].offset, spans[i].len);
    }
    sc_buf text = SC_BUF_INIT;
    sc_lock_format(&text, &nl, sc_buf_str(&body), body.len);
    w = write_out(o.out, "schema.lock", &text, false);
    sc_buf_free(&text);
    sc_lock_free(&nl);
    if (w != 0)
        goto files_done;
    /* The C files, for the schema just locked (same hash), as gen writes
     * them from the lock. */
    sc_emit_c_info cinfo = {to_loose, SC_EMIT_C_LOCK_NOTE}; /* what schemac_verify() compares */
    sc_buf hpath = SC_BUF_INIT;
    sc_buf_reset(&err);
    w = sc_emit_c_write(o.out, want, &cinfo, &hpath, &err);
    if (w != 0)
        fprintf(stderr, "schemac %s: %s\n", cmdname, sc_buf_str(&err));
    else
        printf("wrote %s\n", sc_buf_str(&hpath));
    sc_buf_free(&hpath);
    if (w != 0)
        goto files_done;
    printf("wrote %s/schemac.sum and %s (normalised in %.0f ms, %.0f ms in all)\n", mig_dir,
           lock_path, normalise_s * 1e3, (now() - t0) * 1e3);
    printf("timings: %s\n", sc_buf_str(&timing));
    rc = 0;
files_done:
    sc_buf_free(&timing);
    sc_buf_free(&name);
    sc_buf_free(&up);
    sc_buf_free(&dn);
out:
    if (have_plan)
        sc_plan_free(&plan);
    PQfinish(conn);
    free(dev_owned);
    sc_model_free(have);
    sc_normcache_free(norm_cache);
    sc_buf_free(&body);
    free(spans);
    sc_compiler_free(snap);
    sc_compiler_free(c);
    sc_lock_free(&lock);
    sc_migrations_free(&hist);
    sc_buf_free(&err);
    return rc;
}
