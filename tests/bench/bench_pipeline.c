/*
 * Benchmark of the front end on a generated 2,000-table schema: the bare
 * tree-sitter parse of the bytes (the floor), then each phase schemac runs
 * (parse with syntax checks, lower, check, canonical print + hash, fmt),
 * median of several runs, and the peak memory of one full run measured
 * in a child process.  Prints the figures and the ratio of the whole
 * pipeline to the bare parse.
 *
 *   bench_pipeline [TABLES] [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compiler.h"
#include "gen.h"
#include "hash.h"
#include "print.h"

enum { BARE, PARSE, LOWER, CHECK, PRINT, LOWER_FMT, FMT, NPHASES };
static const char *const names[NPHASES] = {
    "bare tree-sitter parse", "parse + syntax check", "lower",
    "check", "canonical text + hash", "lower, keeping comments",
    "fmt printing"};

/*
 * One full run; fills t[] with the time of each phase. Returns 0 on
 * success.  The validate/compile path lowers without collecting source
 * comments; fmt lowers again keeping them, then prints.
 */
static int run_once(const char *text, size_t len, double t[NPHASES])
{
    double t0 = sc_bench_now_ms();
    TSParser *p = ts_parser_new();
    ts_parser_set_language(p, tree_sitter_schemac());
    TSTree *tree = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
    t[BARE] = sc_bench_now_ms() - t0;
    ts_tree_delete(tree);
    ts_parser_delete(p);

    sc_compiler *c = sc_compiler_new();
    sc_sources_add_text(&c->sources, "bench.schema", text, len);
    t0 = sc_bench_now_ms();
    int rc = sc_compiler_parse(c);
    t[PARSE] = sc_bench_now_ms() - t0;
    t0 = sc_bench_now_ms();
    rc |= sc_compiler_lower(c);
    t[LOWER] = sc_bench_now_ms() - t0;
    t0 = sc_bench_now_ms();
    rc |= sc_compiler_check(c);
    t[CHECK] = sc_bench_now_ms() - t0;
    t0 = sc_bench_now_ms();
    char hash[SC_HASH_HEX_LEN + 1];
    sc_model_hash(hash, c->model);
    t[PRINT] = sc_bench_now_ms() - t0;
    if (rc != 0)
        sc_compiler_render(c, stderr);
    sc_compiler_free(c);

    c = sc_compiler_new();
    c->keep_trivia = true;
    sc_sources_add_text(&c->sources, "bench.schema", text, len);
    rc |= sc_compiler_parse(c);
    t0 = sc_bench_now_ms();
    rc |= sc_compiler_lower(c);
    t[LOWER_FMT] = sc_bench_now_ms() - t0;
    rc |= sc_compiler_check(c);
    t0 = sc_bench_now_ms();
    sc_buf b = SC_BUF_INIT;
    sc_print_file(&b, c->model, "bench.schema");
    t[FMT] = sc_bench_now_ms() - t0;
    sc_buf_free(&b);
    sc_compiler_free(c);
    return rc;
}

int main(int argc, char **argv)
{
    size_t ntables = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
    int runs = argc > 2 ? atoi(argv[2]) : 7;
    if (runs < 1)
        runs = 1;
    size_t len;
    char *text = sc_bench_schema(ntables, &len);

    /* Peak memory of one run, alone in a child process. */
    long peak_kb = -1;
    pid_t pid = fork();
    if (pid == 0) {
        double t[NPHASES];
        _exit(run_once(text, len, t) == 0 ? 0 : 1);
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0) {
        struct rusage ru;
        getrusage(RUSAGE_CHILDREN, &ru);
        peak_kb = ru.ru_maxrss;
    } else {
        fprintf(stderr, "bench: the pipeline failed on the generated schema\n");
        return 1;
    }

    double *samples[NPHASES];
    for (int k = 0; k < NPHASES; k++)
        samples[k] = calloc((size_t)runs, sizeof(double));
    for (int r = 0; r < runs; r++) {
        double t[NPHASES];
        if (run_once(text, len, t) != 0)
            return 1;
        for (int k = 0; k < NPHASES; k++)
            samples[k][r] = t[k];
    }
    double med[NPHASES];
    for (int k = 0; k < NPHASES; k++)
        med[k] = sc_bench_median(samples[k], runs);

    double pipeline = med[PARSE] + med[LOWER] + med[CHECK] + med[PRINT];
    printf("schema: %zu tables, %.2f MB; median of %d runs\n", ntables, len / 1048576.0, runs);
    for (int k = 0; k < NPHASES; k++)
        printf("  %-26s %8.1f ms\n", names[k], med[k]);
    double fmt = med[PARSE] + med[LOWER_FMT] + med[CHECK] + med[FMT];
    printf("  %-24s %8.1f ms  (parse + lower + check + hash: validate)\n", "pipeline", pipeline);
    printf("  %-24s %8.1f ms  (parse + lower with comments + check + fmt)\n", "fmt pipeline", fmt);
    printf("  %-24s %8.2fx  (target <= 1.5x)\n", "pipeline / bare parse", pipeline / med[BARE]);
    printf("  %-24s %8.2fx\n", "fmt pipeline / bare", fmt / med[BARE]);
    printf("  %-24s %8.1f MB  (target < 100 MB)\n", "peak memory (one run)", peak_kb / 1024.0);
    for (int k = 0; k < NPHASES; k++)
        free(samples[k]);
    free(text);
    return 0;
}
