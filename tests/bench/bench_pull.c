/*
 * Benchmark of `schemac pull` against `pg_dump --schema-only` on the same
 * database: the generated N-table schema (gen.h) is compiled, created in a
 * private PostgreSQL server (pgfix) through the DDL printer, then both
 * programs run alternately, as processes, RUNS times each; the medians and
 * their ratio are printed, with the number of queries the catalog reader
 * sends for N tables and for 10 (they must be equal).
 *
 *   bench_pull SCHEMAC [N [RUNS]]      (defaults: 2000 tables, 5 runs)
 */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "catalog.h"
#include "compiler.h"
#include "conn.h"
#include "ddl.h"
#include "gen.h"
#include "pgfix.h"

/* Runs argv with stdout and stderr to /dev/null; returns milliseconds, or
 * a negative number when the program failed. */
static double run_timed(char *const argv[])
{
    double t0 = sc_bench_now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        if (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL)
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

/* Creates database `name` holding the generated schema of `n` tables. */
static int load(pgfix *fx, const char *name, size_t n)
{
    size_t len;
    char *text = sc_bench_schema(n, &len);
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
    free(text);
    return rc;
}

static unsigned queries_for(pgfix *fx, const char *name, size_t *ntables)
{
    sc_buf err = SC_BUF_INIT;
    PGconn *conn = sc_conn_open(pgfix_conninfo(fx, name), &err);
    sc_catalog_stats st = {0, 0};
    sc_model *m = conn != NULL ? sc_catalog_read(conn, &st, &err) : NULL;
    if (m == NULL)
        fprintf(stderr, "bench_pull: %s\n", sc_buf_str(&err));
    *ntables = m != NULL ? m->ntables : 0;
    sc_model_free(m);
    PQfinish(conn);
    sc_buf_free(&err);
    return st.queries;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_pull SCHEMAC [N [RUNS]]\n");
        return 2;
    }
    const char *schemac = argv[1];
    size_t n = argc > 2 ? (size_t)atol(argv[2]) : 2000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1 || runs > 100)
        runs = 5;

    pgfix *fx = pgfix_start();
    if (fx == NULL)
        return 1;
    int rc = 1;
    char outdir[] = "/tmp/schemac-bench-pull-XXXXXX";
    if (load(fx, "bench", n) != 0 || load(fx, "small", 10) != 0 || mkdtemp(outdir) == NULL) {
        fprintf(stderr, "bench_pull: could not build the databases\n");
        goto out;
    }

    char pg_dump[4096], url[4096], out_arg[256];
    snprintf(pg_dump, sizeof pg_dump, "%s/pg_dump", pgfix_bindir(fx));
    snprintf(url, sizeof url, "%s", pgfix_conninfo(fx, "bench"));
    snprintf(out_arg, sizeof out_arg, "%s/out", outdir);
    char *pull_argv[] = {(char *)schemac, "pull", "--db", url, "--out", out_arg, NULL};
    char *dump_argv[] = {pg_dump, "--schema-only", "-f", "/dev/null", "-d", url, NULL};

    /* One warm-up run of each fills the server's caches for both. */
    if (run_timed(pull_argv) < 0 || run_timed(dump_argv) < 0) {
        fprintf(stderr, "bench_pull: schemac pull or pg_dump failed\n");
        goto out;
    }
    double *tp = calloc((size_t)runs, sizeof *tp), *td = calloc((size_t)runs, sizeof *td);
    for (int i = 0; i < runs; i++) {
        tp[i] = run_timed(pull_argv);
        td[i] = run_timed(dump_argv);
        if (tp[i] < 0 || td[i] < 0) {
            fprintf(stderr, "bench_pull: a run failed\n");
            free(tp);
            free(td);
            goto out;
        }
    }
    double mp = sc_bench_median(tp, runs), md = sc_bench_median(td, runs);
    free(tp);
    free(td);

    size_t nbig, nsmall;
    unsigned qbig = queries_for(fx, "bench", &nbig), qsmall = queries_for(fx, "small", &nsmall);
    printf("database: %zu tables (generated schema, created by the DDL printer); median of %d "
           "runs\n",
           nbig, runs);
    printf("  %-34s %8.1f ms\n", "schemac pull (files written)", mp);
    printf("  %-34s %8.1f ms\n", "pg_dump --schema-only", md);
    printf("  %-34s %8.2fx  (target >= 2x)\n", "pg_dump / schemac pull", md / mp);
    printf("  %-34s %8u for %zu tables, %u for %zu tables\n", "catalog queries", qbig, nbig,
           qsmall, nsmall);
    rc = qbig == qsmall && nbig == n ? 0 : 1;
out: {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_pull: could not remove %s\n", outdir);
}
    pgfix_stop(fx);
    return rc;
}
