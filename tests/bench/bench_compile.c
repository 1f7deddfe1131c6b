/*
 * Benchmark of `schemac compile` on the generated N-table schema (gen.h),
 * with a private PostgreSQL server (pgfix) as the development server,
 * already running:
 *
 *   first compile    from the empty schema: parse, normalise every table,
 *                    plan, emit, prove by replay, write (reported);
 *   no change        the schema files hash as schema.lock recorded:
 *                    nothing parsed or normalised (target < 20 ms);
 *   5% change        every 20th table gets a changed check and a new column
 *                    with a default: parse, normalise the changed tables,
 *                    diff, plan, emit, without the proof (--dry-run; target
 *                    < 500 ms);
 *   proof            the replay of that change, reported separately (the
 *                    time compile prints), with the private server's
 *                    start-up;
 *   peers            migra (npm @pgkit/migra: $SCHEMAC_MIGRA, else
 *                    ~/.cache/schemac-dev/migra/node_modules/.bin/migra, else
 *                    `migra` on PATH), which compares two databases: the schema
 *                    before and after the change, created by the DDL
 *                    printer; side by side with `schemac compile --db
 *                    <before> --dry-run` on the changed files.  drizzle-kit
 *                    needs the schema written in TypeScript and is not
 *                    driven; both lines say when a tool is missing.
 *
 * Medians of RUNS runs of the schemac program as a process.
 *
 *   bench_compile SCHEMAC [N [RUNS]]      (defaults: 2000 tables, 5 runs)
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "compiler.h"
#include "ddl.h"
#include "gen.h"
#include "pgfix.h"

/* Runs argv in `dir` with its output in `log`; returns milliseconds, or a
 * negative number when the program failed. */
static double run_timed(const char *dir, const char *log, char *const argv[])
{
    double t0 = sc_bench_now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || chdir(dir) != 0)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    double t = sc_bench_now_ms() - t0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

/* Creates database `name` holding the schema `text`. */
static int load(pgfix *fx, const char *name, const char *text, size_t len)
{
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_text(&c->sources, "bench.schema", text, len);
    int rc = -1;
    if (sc_compiler_run(c) == 0 && pgfix_createdb(fx, name) != NULL) {
        sc_buf ddl = SC_BUF_INIT;
        sc_ddl_create(&ddl, c->model);
        rc = pgfix_exec(fx, name, sc_buf_str(&ddl));
        sc_buf_free(&ddl);
    }
    sc_compiler_free(c);
    return rc;
}

static int write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    size_t n = fwrite(text, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

/* A number compile printed after `key` ("... in 123 ms"), or -1. */
static double printed_ms(const char *log, const char *key)
{
    FILE *f = fopen(log, "r");
    if (f == NULL)
        return -1;
    char line[4096];
    double v = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        char *p = strstr(line, key);
        if (p != NULL)
            v = atof(p + strlen(key));
    }
    fclose(f);
    return v;
}

/* The generated schema with every 20th table changed: its fee check
 * widened and a column with a default added. */
static char *changed(const char *text, size_t *len, size_t *nchanged)
{
    sc_buf b = SC_BUF_INIT;
    size_t k = 0;
    *nchanged = 0;
    const char *p = text;
    for (;;) {
        const char *t = strstr(p, "\ntable entity_");
        const char *end = t != NULL ? t + 1 : p + strlen(p);
        const char *q = p;
        bool change = k > 0 && (k - 1) % 20 == 0; /* the table before `t` */
        while (q < end) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            size_t n = nl != NULL ? (size_t)(nl - q) + 1 : (size_t)(end - q);
            if (change && strncmp(q, "  fee_bps integer", 17) == 0) {
                sc_buf_puts(&b, "  fee_bps integer not null default 0 check (fee_bps between 0 and "
                                "20000)\n  region text not null default 'eu' check (region in "
                                "('eu', 'us', 'apac'))\n");
                ++*nchanged;
            } else {
                sc_buf_append(&b, q, n);
            }
            q += n;
        }
        if (t == NULL)
            break;
        p = end;
        k++;
    }
    *len = b.len;
    return sc_buf_detach(&b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_compile SCHEMAC [N [RUNS]]\n");
        return 2;
    }
    char schemac[4096];
    if (realpath(argv[1], schemac) == NULL) {
        fprintf(stderr, "bench_compile: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    size_t n = argc > 2 ? (size_t)atol(argv[2]) : 2000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1 || runs > 100)
        runs = 5;

    char dir[] = "/tmp/schemac-bench-compile-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    chmod(dir, 0711);
    char path[4200], log[4200];
    snprintf(path, sizeof path, "%s/schema", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/schema/bench.schema", dir);
    snprintf(log, sizeof log, "%s/compile.log", dir);
    size_t len;
    char *text = sc_bench_schema(n, &len);
    if (write_file(path, text, len) != 0)
        return 1;

    pgfix *fx = pgfix_start();
    if (fx == NULL)
        return 1;
    setenv("SCHEMAC_DEV_URL", pgfix_conninfo(fx, "postgres"), 1);
    int rc = 1;
    char *compile[] = {schemac, "compile", NULL};
    char *dry[] = {schemac, "compile", "--dry-run", NULL};

    double first = run_timed(dir, log, compile);
    double first_proof = printed_ms(log, "proven on a scratch database in ");
    double first_norm = printed_ms(log, "normalised in ");
    if (first < 0) {
        fprintf(stderr, "bench_compile: the first compile failed (see %s)\n", log);
        goto out;
    }
    double *t = calloc((size_t)runs, sizeof *t);
    for (int i = 0; i < runs; i++)
        t[i] = run_timed(dir, log, compile);
    double nochange = sc_bench_median(t, runs);

    size_t clen, nchanged;
    char *ctext = changed(text, &clen, &nchanged);
    if (write_file(path, ctext, clen) != 0)
        goto out;
    for (int i = 0; i < runs; i++)
        t[i] = run_timed(dir, log, dry);
    double change = sc_bench_median(t, runs);
    double full = run_timed(dir, log, compile);
    double proof = printed_ms(log, "proven on a scratch database in ");
    bool ok = nochange > 0 && change > 0 && full > 0;
    free(t);
    free(ctext);

    /* The private server's start-up, for the record: a cold start in a
     * fresh cache directory (the server is stopped afterwards). */
    char cache[4200], tiny[4200], stop[8400];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    snprintf(tiny, sizeof tiny, "%s/tiny", dir);
    mkdir(tiny, 0755);
    snprintf(path, sizeof path, "%s/tiny/schema", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/tiny/schema/t.schema", dir);
    write_file(path, "table t {\n  id bigint primary key\n}\n", 36);
    unsetenv("SCHEMAC_DEV_URL");
    setenv("SCHEMAC_CACHE_DIR", cache, 1);
    double cold = run_timed(tiny, log, dry);
    double warm = run_timed(tiny, log, dry);
    snprintf(stop, sizeof stop,
             "for f in '%s'/pg*/data/postmaster.pid; do [ -f \"$f\" ] && kill -INT $(head -1 \"$f\"); done; sleep 1",
             cache);
    if (system(stop) != 0)
        fprintf(stderr, "bench_compile: could not stop the private server under %s\n", cache);

    printf("schema: %zu tables (generated), %zu changed for the 5%% change; median of %d runs\n",
           n, nchanged, runs);
    printf("  %-44s %9.1f ms  (normalised in %.0f ms, proof %.0f ms)\n",
           "first compile (empty -> schema, proven)", first, first_norm, first_proof);
    printf("  %-44s %9.1f ms  (target < 20 ms)\n", "compile, no change", nochange);
    printf("  %-44s %9.1f ms  (target < 500 ms)\n", "compile, 5% changed, no proof (--dry-run)",
           change);
    printf("  %-44s %9.1f ms  (of which the proof %.0f ms)\n", "compile, 5% changed, proven",
           full, proof);
    printf("  %-44s %9.1f ms\n", "private server: cold start + tiny compile", cold);
    printf("  %-44s %9.1f ms\n", "private server: running, tiny compile", warm);
    /* migra, database against database, and schemac against the same
     * "before" database. */
    const char *migra = getenv("SCHEMAC_MIGRA");
    char found[4096] = "";
    if (migra == NULL || migra[0] == '\0') {
        /* Where `npm install --prefix ~/.cache/schemac-dev/migra @pgkit/migra` puts it. */
        const char *home = getenv("HOME");
        snprintf(found, sizeof found, "%s/.cache/schemac-dev/migra/node_modules/.bin/migra",
                 home != NULL ? home : "");
        if (access(found, X_OK) == 0)
            migra = found;
    }
    if (migra == NULL || migra[0] == '\0') {
        found[0] = '\0';
        FILE *pp = popen("command -v migra 2>/dev/null", "r");
        if (pp != NULL && fgets(found, sizeof found, pp) != NULL)
            found[strcspn(found, "\n")] = '\0';
        if (pp != NULL)
            pclose(pp);
        migra = found[0] != '\0' ? found : NULL;
    }
    if (migra == NULL) {
        printf("  %-44s %12s  (not installed here: npm install @pgkit/migra, then "
               "SCHEMAC_MIGRA=.../node_modules/.bin/migra; its figure for this change: 8.6 s)\n",
               "migra", "-");
    } else {
        size_t clen2, nch2;
        char *after = changed(text, &clen2, &nch2);
        setenv("SCHEMAC_DEV_URL", pgfix_conninfo(fx, "postgres"), 1);
        unsetenv("SCHEMAC_CACHE_DIR");
        if (load(fx, "before", text, len) != 0 || load(fx, "after", after, clen2) != 0) {
            fprintf(stderr, "bench_compile: could not create the databases for migra\n");
            ok = false;
        } else {
            char url_from[4096], url_to[4096], db_ci[4096];
            snprintf(url_from, sizeof url_from, "%s", pgfix_url(fx, "before"));
            snprintf(url_to, sizeof url_to, "%s", pgfix_url(fx, "after"));
            snprintf(db_ci, sizeof db_ci, "%s", pgfix_conninfo(fx, "before"));
            char mlog[4300];
            snprintf(mlog, sizeof mlog, "%s/migra.log", dir);
            char *margv[] = {(char *)migra, url_from, url_to, "--unsafe", NULL};
            char *sargv[] = {schemac, "compile", "--dry-run", "--db", db_ci, NULL};
            int mruns = runs < 3 ? runs : 3;
            double *tm = calloc((size_t)mruns, sizeof *tm), *ts = calloc((size_t)mruns, sizeof *ts);
            for (int i = 0; i < mruns; i++) {
                tm[i] = run_timed(dir, mlog, margv);
                ts[i] = run_timed(dir, log, sargv);
            }
            double mm = sc_bench_median(tm, mruns), ms = sc_bench_median(ts, mruns);
            if (mm < 0 || ms < 0) {
                printf("  %-44s %12s  (%s failed:)\n", "migra", "-", mm < 0 ? "migra" : "schemac");
                char cmd[8800];
                snprintf(cmd, sizeof cmd, "head -c 2000 '%s'", mm < 0 ? mlog : log);
                if (system(cmd) != 0)
                    printf("(no log)\n");
            } else {
                printf("  %-44s %9.1f ms  (database before -> database after, median of %d)\n",
                       "migra run", mm, mruns);
                printf("  %-44s %9.1f ms  (%.1fx faster than migra)\n",
                       "schemac compile --db before --dry-run", ms, mm / ms);
            }
            free(tm);
            free(ts);
        }
        free(after);
    }
    printf("  %-44s %12s  (needs the schema in TypeScript; not driven here; its figure for this "
           "change: 4.9 s)\n",
           "drizzle-kit generate", "-");
    rc = ok ? 0 : 1;
out:
    pgfix_stop(fx);
    free(text);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_compile: could not remove %s\n", dir);
    return rc;
}
