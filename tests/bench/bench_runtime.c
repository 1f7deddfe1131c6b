/*
 * Benchmark of the migration runtime, with a private PostgreSQL server
 * (pgfix) and the `schemac` program run as a process:
 *
 *   check --db     the generated N-table schema (gen.h) is written into a
 *                  project directory's schema/, compiled (the fixture's
 *                  server as the development server), and its migration
 *                  applied to a fresh database with `schemac migrate`;
 *                  then `schemac check --db` on that database, at its
 *                  latest version, is timed (median of RUNS; target
 *                  < 300 ms), beside `schemac check` without --db (the
 *                  offline part of the same work), `schemac pull --out -`
 *                  and `schemac validate` (the catalog read and the parse
 *                  of a schema that size, the two large parts of check
 *                  --db) and `pg_dump --schema-only` on the same database,
 *                  as a baseline;
 *   migrate        M small hand-written migrations (a CREATE TABLE and an
 *                  INSERT each) applied by one `schemac migrate` to a
 *                  fresh database, against the same files run one by one
 *                  with `psql -X -q -v ON_ERROR_STOP=1 -f` (and with
 *                  `--single-transaction`, the runner's unit of work) into
 *                  other fresh databases; median of 3 rounds, and the
 *                  runner's overhead as a ratio.
 *
 * Exits non-zero only when a run fails; targets missed are printed.
 *
 *   bench_runtime SCHEMAC [N [RUNS [M]]]   (defaults: 2000 tables, 5 runs,
 *                                           200 migrations)
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

#include "gen.h"
#include "pgfix.h"

#define ROUNDS 3

/* The median of `n` values (sorts them). */
/* Runs argv in `dir` with its output appended to `log` (truncated first
 * when `fresh`); returns milliseconds, or a negative number when the
 * program failed. */
static double run_timed(const char *dir, const char *log, bool fresh, char *const argv[])
{
    double t0 = sc_bench_now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | (fresh ? O_TRUNC : O_APPEND), 0644);
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

static int write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    size_t n = fwrite(text, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

/* Prints what `what` wrote (the first 3,000 bytes of `log`) after saying
 * that it failed. */
static void failed(const char *what, const char *log)
{
    fprintf(stderr, "bench_runtime: %s failed; its output:\n", what);
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "head -c 3000 '%s' >&2", log);
    if (system(cmd) != 0)
        fprintf(stderr, "(no output)\n");
}

/* Writes `m` migrations into `dir`: NNNN_t_N.up.sql creates table t_N and
 * inserts a row, its down file drops the table. */
static int write_small_migrations(const char *dir, int m)
{
    char path[4400], text[512];
    for (int i = 1; i <= m; i++) {
        int n = snprintf(text, sizeof text,
                         "CREATE TABLE t_%d (id int PRIMARY KEY, v text);\n"
                         "INSERT INTO t_%d (id, v) VALUES (1, 'row of migration %d');\n",
                         i, i, i);
        snprintf(path, sizeof path, "%s/%04d_t_%d.up.sql", dir, i, i);
        if (write_file(path, text, (size_t)n) != 0)
            return -1;
        n = snprintf(text, sizeof text, "DROP TABLE t_%d;\n", i);
        snprintf(path, sizeof path, "%s/%04d_t_%d.down.sql", dir, i, i);
        if (write_file(path, text, (size_t)n) != 0)
            return -1;
    }
    return 0;
}

/* Runs the `m` up files of `dir` one by one with psql into `conninfo`
 * (each file as one transaction when `single`); milliseconds, or -1. */
static double psql_each(const char *psql, const char *dir, const char *conninfo, int m,
                        bool single, const char *log)
{
    char path[4400];
    char *argv[] = {(char *)psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", (char *)conninfo,
                    "-f", path, single ? "--single-transaction" : NULL, NULL};
    double total = 0;
    for (int i = 1; i <= m; i++) {
        snprintf(path, sizeof path, "%s/%04d_t_%d.up.sql", dir, i, i);
        double t = run_timed(dir, log, i == 1, argv);
        if (t < 0)
            return -1;
        total += t;
    }
    return total;
}

/* Fills `out` with the conninfo of database `name`, created fresh. */
static int fresh_db(pgfix *fx, const char *name, char *out, size_t n)
{
    const char *ci = pgfix_createdb(fx, name);
    if (ci == NULL)
        return -1;
    snprintf(out, n, "%s", ci);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_runtime SCHEMAC [N [RUNS [M]]]\n");
        return 2;
    }
    char schemac[4096];
    if (realpath(argv[1], schemac) == NULL) {
        fprintf(stderr, "bench_runtime: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    size_t n = argc > 2 ? (size_t)atol(argv[2]) : 2000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    int nmig = argc > 4 ? atoi(argv[4]) : 200;
    if (runs < 1 || runs > 100)
        runs = 5;
    if (nmig < 1 || nmig > 9999)
        nmig = 200;

    char dir[] = "/tmp/schemac-bench-runtime-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    chmod(dir, 0711);
    char path[4200], log[4200], small[4200];
    snprintf(path, sizeof path, "%s/schema", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/schema/bench.schema", dir);
    snprintf(log, sizeof log, "%s/run.log", dir);
    snprintf(small, sizeof small, "%s/small", dir);
    mkdir(small, 0755);
    size_t len;
    char *text = sc_bench_schema(n, &len);
    if (write_file(path, text, len) != 0 || write_small_migrations(small, nmig) != 0) {
        fprintf(stderr, "bench_runtime: cannot write into %s\n", dir);
        free(text);
        return 1;
    }
    free(text);

    int rc = 1;
    double *t = calloc((size_t)(runs > ROUNDS ? runs : ROUNDS), sizeof *t);
    double *u = calloc((size_t)(runs > ROUNDS ? runs : ROUNDS), sizeof *u);
    pgfix *fx = pgfix_start();
    if (fx == NULL || t == NULL || u == NULL)
        goto out;
    setenv("SCHEMAC_DEV_URL", pgfix_conninfo(fx, "postgres"), 1);

    /* (a) check --db on the N-table database at its latest version. */
    char bench[4096];
    if (fresh_db(fx, "bench", bench, sizeof bench) != 0)
        goto out;
    char *compile[] = {schemac, "compile", NULL};
    char *migrate[] = {schemac, "migrate", "--db", bench, "--dir", "generated/migrations", NULL};
    char *check_db[] = {schemac, "check", "--db", bench, NULL};
    char *check_off[] = {schemac, "check", NULL};
    char pg_dump[4096];
    snprintf(pg_dump, sizeof pg_dump, "%s/pg_dump", pgfix_bindir(fx));
    char *dump[] = {pg_dump, "--schema-only", "-f", "/dev/null", "-d", bench, NULL};

    double compiled = run_timed(dir, log, true, compile);
    if (compiled < 0) {
        failed("schemac compile", log);
        goto out;
    }
    double migrated = run_timed(dir, log, true, migrate);
    if (migrated < 0) {
        failed("schemac migrate (the N-table migration)", log);
        goto out;
    }
    /* One warm-up run each fills the server's caches for both. */
    if (run_timed(dir, log, true, check_db) < 0) {
        failed("schemac check --db (warm-up; the database should be clean)", log);
        goto out;
    }
    if (run_timed(dir, log, true, dump) < 0) {
        failed("pg_dump --schema-only", log);
        goto out;
    }
    for (int i = 0; i < runs; i++) {
        t[i] = run_timed(dir, log, true, check_db);
        u[i] = run_timed(dir, log, true, dump);
        if (t[i] < 0 || u[i] < 0) {
            failed(t[i] < 0 ? "schemac check --db" : "pg_dump --schema-only", log);
            goto out;
        }
    }
    double check = sc_bench_median(t, runs), dumped = sc_bench_median(u, runs);
    for (int i = 0; i < runs; i++)
        if ((t[i] = run_timed(dir, log, true, check_off)) < 0) {
            failed("schemac check (offline)", log);
            goto out;
        }
    double offline = sc_bench_median(t, runs);
    /* Where check --db spends its time, roughly: reading the catalog
     * (what pull does, without writing files) and parsing the canonical
     * text of schema.lock (what validate does on the schema files, which
     * are the same schema and about the same size). */
    char *pull[] = {schemac, "pull", "--db", bench, "--out", "-", NULL};
    char *validate[] = {schemac, "validate", "schema", NULL};
    for (int i = 0; i < runs; i++) {
        t[i] = run_timed(dir, log, true, pull);
        u[i] = run_timed(dir, log, true, validate);
        if (t[i] < 0 || u[i] < 0) {
            failed(t[i] < 0 ? "schemac pull --out -" : "schemac validate", log);
            goto out;
        }
    }
    double pulled = sc_bench_median(t, runs), validated = sc_bench_median(u, runs);

    printf("database: %zu tables (generated schema, compiled and applied by schemac migrate); "
           "median of %d runs\n",
           n, runs);
    printf("  %-44s %9.1f ms  (proof included)\n", "schemac compile (first, empty -> schema)",
           compiled);
    printf("  %-44s %9.1f ms\n", "schemac migrate (one migration, N tables)", migrated);
    printf("  %-44s %9.1f ms  (target < 300 ms: %s)\n", "schemac check --db", check,
           check < 300 ? "met" : "NOT met");
    printf("  %-44s %9.1f ms  (the files only: compiled?, schemac.sum)\n",
           "schemac check (no --db)", offline);
    printf("  %-44s %9.1f ms  (the catalog read, printed)\n", "schemac pull --out -", pulled);
    printf("  %-44s %9.1f ms  (parsing a schema of this size)\n", "schemac validate schema/",
           validated);
    printf("  %-44s %9.1f ms\n", "pg_dump --schema-only (baseline)", dumped);
    printf("  %-44s %9.2fx\n", "check --db / pg_dump", check / dumped);
    fflush(stdout);

    /* (b) M small migrations: the runner against psql, file by file. */
    char psql[4096];
    snprintf(psql, sizeof psql, "%s/psql", pgfix_bindir(fx));
    double tr[ROUNDS], tp[ROUNDS], ts[ROUNDS];
    for (int k = 0; k < ROUNDS; k++) {
        char name[64], db[4096];
        snprintf(name, sizeof name, "runner_%d", k);
        if (fresh_db(fx, name, db, sizeof db) != 0)
            goto out;
        char *run[] = {schemac, "migrate", "--db", db, "--dir", small, NULL};
        if ((tr[k] = run_timed(dir, log, true, run)) < 0) {
            failed("schemac migrate (small migrations)", log);
            goto out;
        }
        snprintf(name, sizeof name, "psql_%d", k);
        if (fresh_db(fx, name, db, sizeof db) != 0)
            goto out;
        if ((tp[k] = psql_each(psql, small, db, nmig, false, log)) < 0) {
            failed("psql -f", log);
            goto out;
        }
        snprintf(name, sizeof name, "psql1_%d", k);
        if (fresh_db(fx, name, db, sizeof db) != 0)
            goto out;
        if ((ts[k] = psql_each(psql, small, db, nmig, true, log)) < 0) {
            failed("psql --single-transaction -f", log);
            goto out;
        }
    }
    double mr = sc_bench_median(tr, ROUNDS), mp = sc_bench_median(tp, ROUNDS), ms = sc_bench_median(ts, ROUNDS);
    printf("%d small migrations (CREATE TABLE + INSERT each), fresh databases; median of %d "
           "rounds\n",
           nmig, ROUNDS);
    printf("  %-44s %9.1f ms  (%.2f ms a migration)\n", "schemac migrate (one process)", mr,
           mr / nmig);
    printf("  %-44s %9.1f ms  (%.2f ms a file)\n", "psql -f, one process per file", mp, mp / nmig);
    printf("  %-44s %9.1f ms  (%.2f ms a file)\n", "psql -1 -f, one process per file", ms,
           ms / nmig);
    printf("  %-44s %9.2fx\n", "schemac migrate / psql -f", mr / mp);
    printf("  %-44s %9.2fx\n", "schemac migrate / psql -1 -f", mr / ms);
    rc = 0;
out:
    pgfix_stop(fx);
    free(t);
    free(u);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_runtime: could not remove %s\n", dir);
    return rc;
}
