/*
 * Benchmark of code generation and of the generated row decoder.
 *
 *   gen      `schemac gen` on the generated N-table schema (gen.h) as a
 *            process: header, row descriptors and validators (target
 *            < 200 ms for 2,000 tables), with the in-process split between
 *            the front end (parse, check, lower) and the C emitters;
 *   decode   ROWS rows of the 10-column table in decode/decode.schema,
 *            fetched with SELECT * in text format, decoded by the generated
 *            bench_rows_from_result() and by a hand-written loop that
 *            fills the same struct (column numbers looked up once, strtoll
 *            and strtod, strings copied, the date and the timestamp parsed
 *            by hand): rows per second and the ratio.
 *
 * Medians of RUNS runs.
 *
 *   bench_codegen SCHEMAC [N [RUNS [ROWS]]]   (defaults 2000, 5, 1000000)
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <schemac/row.h>

#include "compiler.h"
#include "emit_c.h"
#include "gen.h"
#include "pgfix.h"
#include "schema.h"

/* Runs argv in `dir` with output to /dev/null; milliseconds, or -1. */
static double run_timed(const char *dir, char *const argv[])
{
    double t0 = sc_bench_now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(dir) != 0 || freopen("/dev/null", "w", stdout) == NULL ||
            freopen("/dev/null", "w", stderr) == NULL)
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

static int bench_gen(const char *schemac, size_t n, int runs)
{
    char dir[] = "/tmp/schemac-bench-gen-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/schema", dir);
    mkdir(path, 0777);
    size_t len;
    char *text = sc_bench_schema(n, &len);
    snprintf(path, sizeof path, "%s/schema/bench.schema", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "bench_codegen: cannot write %s\n", path);
        return 1;
    }

    /* In process: the front end and the emitters apart. */
    double *fe = calloc((size_t)runs, sizeof *fe), *em = calloc((size_t)runs, sizeof *em),
           *proc = calloc((size_t)runs, sizeof *proc);
    size_t bytes = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = sc_bench_now_ms();
        sc_compiler *c = sc_compiler_new();
        sc_sources_add_text(&c->sources, "bench.schema", text, len);
        if (sc_compiler_run(c) != 0) {
            fprintf(stderr, "bench_codegen: the schema does not compile\n");
            return 1;
        }
        double t1 = sc_bench_now_ms();
        sc_buf h = SC_BUF_INIT, d = SC_BUF_INIT, v = SC_BUF_INIT;
        sc_emit_c_info info = {"00000000000000000000000000000000", NULL};
        sc_emit_c_files(c->model, &info, &h, &d, &v);
        double t2 = sc_bench_now_ms();
        bytes = h.len + d.len + v.len;
        sc_buf_free(&h);
        sc_buf_free(&d);
        sc_buf_free(&v);
        sc_compiler_free(c);
        fe[r] = t1 - t0;
        em[r] = t2 - t1;
    }
    char *argv[] = {(char *)schemac, "gen", NULL};
    for (int r = 0; r < runs; r++) {
        proc[r] = run_timed(dir, argv);
        if (proc[r] < 0) {
            fprintf(stderr, "bench_codegen: schemac gen failed in %s\n", dir);
            return 1;
        }
    }
    double tp = sc_bench_median(proc, runs), tf = sc_bench_median(fe, runs), te = sc_bench_median(em, runs);
    printf("schema: %zu tables (generated), %.1f MB of C written; median of %d runs\n", n,
           (double)bytes / 1e6, runs);
    printf("  schemac gen (process)                 %8.1f ms   target < 200 ms: %s\n", tp,
           tp < 200 ? "met" : "NOT met");
    printf("    front end (parse, check, lower)     %8.1f ms\n", tf);
    printf("    emitters (header, db, validators)   %8.1f ms\n", te);
    free(text);
    free(fe);
    free(em);
    free(proc);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_codegen: could not remove %s\n", dir);
    return 0;
}

/* ------------------------------------------------- the hand-written loop */

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static char *copy(schemac_arena *a, const char *s, int len)
{
    char *d = schemac_arena_alloc(a, (size_t)len + 1);
    memcpy(d, s, (size_t)len);
    d[len] = '\0';
    return d;
}

/* What an application would write by hand: PQfnumber once, then per row
 * strtoll/strtod/sscanf and copies.  Returns -1 on a value it cannot
 * read. */
static int hand_decode(const PGresult *res, int nrows, struct bench_rows *out, schemac_arena *a)
{
    int c_id = PQfnumber(res, "id"), c_acc = PQfnumber(res, "account_id"),
        c_code = PQfnumber(res, "code"), c_amt = PQfnumber(res, "amount"),
        c_ratio = PQfnumber(res, "ratio"), c_act = PQfnumber(res, "active"),
        c_st = PQfnumber(res, "status"), c_on = PQfnumber(res, "opened_on"),
        c_at = PQfnumber(res, "created_at"), c_note = PQfnumber(res, "note");
    for (int r = 0; r < nrows; r++) {
        if (r % 1000 == 0)
            schemac_arena_reset(a);
        struct bench_rows *o = out;
        o->id = strtoll(PQgetvalue(res, r, c_id), NULL, 10);
        o->account_id = (int32_t)strtol(PQgetvalue(res, r, c_acc), NULL, 10);
        o->code = copy(a, PQgetvalue(res, r, c_code), PQgetlength(res, r, c_code));
        o->amount = copy(a, PQgetvalue(res, r, c_amt), PQgetlength(res, r, c_amt));
        o->ratio = strtod(PQgetvalue(res, r, c_ratio), NULL);
        o->active = PQgetvalue(res, r, c_act)[0] == 't';
        if (!bench_status_from_string(PQgetvalue(res, r, c_st), &o->status))
            return -1;
        int y, m, d, hh, mi, ss, off;
        if (sscanf(PQgetvalue(res, r, c_on), "%d-%d-%d", &y, &m, &d) != 3)
            return -1;
        o->opened_on = (int32_t)days_from_civil(y, m, d);
        const char *ts = PQgetvalue(res, r, c_at);
        int n = 0;
        if (sscanf(ts, "%d-%d-%d %d:%d:%d%n", &y, &m, &d, &hh, &mi, &ss, &n) != 6)
            return -1;
        int64_t us = 0;
        const char *p = ts + n;
        if (*p == '.') {
            int digits = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, digits++)
                us = us * 10 + (*p - '0');
            for (; digits < 6; digits++)
                us *= 10;
        }
        off = (int)strtol(p, NULL, 10);
        o->created_at = ((days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss) -
                         (int64_t)off * 3600) * INT64_C(1000000) + us;
        o->note_present = !PQgetisnull(res, r, c_note);
        o->note = o->note_present ? copy(a, PQgetvalue(res, r, c_note), PQgetlength(res, r, c_note))
                                  : NULL;
    }
    return 0;
}

static int gen_decode(const PGresult *res, int nrows, struct bench_rows *out, schemac_arena *a)
{
    for (int r = 0; r < nrows; r++) {
        if (r % 1000 == 0)
            schemac_arena_reset(a);
        if (bench_rows_from_result(res, r, out, a) != 0) {
            fprintf(stderr, "bench_codegen: %s\n", schemac_arena_error(a));
            return -1;
        }
    }
    return 0;
}

static int bench_decode(long rows, int runs)
{
    pgfix *fx = pgfix_start();
    if (fx == NULL || pgfix_createdb(fx, "d") == NULL)
        return 1;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "CREATE TYPE bench_status AS ENUM ('new', 'active', 'closed');"
             "CREATE TABLE bench_rows (id bigint PRIMARY KEY, account_id integer NOT NULL,"
             " code varchar(32) NOT NULL, amount numeric(14,2) NOT NULL,"
             " ratio double precision NOT NULL, active boolean NOT NULL,"
             " status bench_status NOT NULL, opened_on date NOT NULL,"
             " created_at timestamptz NOT NULL, note text);"
             "INSERT INTO bench_rows SELECT g, g %% 1000, 'ACC-' || g, (g * 1.37)::numeric(14,2),"
             " g / 7.0, g %% 2 = 0, (ARRAY['new','active','closed'])[g %% 3 + 1]::bench_status,"
             " date '2020-01-01' + g %% 2000, timestamptz '2024-01-01 00:00:00+00' + g * interval '1.5 second',"
             " CASE WHEN g %% 4 = 0 THEN NULL ELSE 'note number ' || g END"
             " FROM generate_series(1, %ld) g",
             rows);
    if (pgfix_exec(fx, "d", sql) != 0)
        return 1;
    PGconn *conn = PQconnectdb(pgfix_conninfo(fx, "d"));
    PGresult *res = PQexec(conn, "SELECT * FROM bench_rows ORDER BY id");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "bench_codegen: %s", PQerrorMessage(conn));
        return 1;
    }
    int n = PQntuples(res);
    schemac_arena *a = schemac_arena_new();
    struct bench_rows row, check;
    double *tg = calloc((size_t)runs, sizeof *tg), *th = calloc((size_t)runs, sizeof *th);
    int rc = 0;
    for (int r = 0; r < runs && rc == 0; r++) {
        double t0 = sc_bench_now_ms();
        rc |= gen_decode(res, n, &row, a);
        double t1 = sc_bench_now_ms();
        rc |= hand_decode(res, n, &check, a);
        double t2 = sc_bench_now_ms();
        tg[r] = t1 - t0;
        th[r] = t2 - t1;
    }
    /* Both read the last row alike. */
    schemac_arena_reset(a);
    rc |= gen_decode(res, n, &row, a);
    struct bench_rows last;
    memcpy(&last, &row, sizeof row);
    rc |= hand_decode(res, n, &check, a);
    if (rc == 0 && (last.id != check.id || last.created_at != check.created_at ||
                    last.opened_on != check.opened_on || last.status != check.status)) {
        fprintf(stderr, "bench_codegen: the two decoders disagree on the last row\n");
        rc = 1;
    }
    if (rc == 0) {
        double g = sc_bench_median(tg, runs), h = sc_bench_median(th, runs);
        printf("decode: %d rows x 10 columns from one PGresult (text format); median of %d runs\n",
               n, runs);
        printf("  generated bench_rows_from_result()    %8.1f ms   %6.2f M rows/s\n", g,
               n / g / 1e3);
        printf("  hand-written loop (baseline)          %8.1f ms   %6.2f M rows/s\n", h,
               n / h / 1e3);
        printf("  ratio generated / hand-written        %8.2fx\n", g / h);
    }
    free(tg);
    free(th);
    schemac_arena_free(a);
    PQclear(res);
    PQfinish(conn);
    pgfix_stop(fx);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_codegen SCHEMAC [N [RUNS [ROWS]]]\n");
        return 2;
    }
    size_t n = argc > 2 ? (size_t)atol(argv[2]) : 2000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    long rows = argc > 4 ? atol(argv[4]) : 1000000;
    if (runs < 1 || runs > 100)
        runs = 5;
    char *schemac = realpath(argv[1], NULL); /* gen runs in a directory of its own */
    if (schemac == NULL || bench_gen(schemac, n, runs) != 0)
        return 1;
    free(schemac);
    return bench_decode(rows, runs);
}
