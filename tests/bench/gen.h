/*
 * A generator of large, realistic schemas for benchmarks: N tables of
 * about 15 columns each (identity keys, text with length checks, numeric
 * money, enums, timestamps, jsonb), foreign keys to earlier tables, a
 * composite unique constraint, a partial index and a descending index.
 * 2,000 tables make about 1.5 MB and 30,000 columns.  Output depends only
 * on N, so runs are comparable.
 */
#ifndef SC_BENCH_GEN_H
#define SC_BENCH_GEN_H

#include <stddef.h>

/* Returns the schema text for `ntables` tables (malloc'd) and its length. */
char *sc_bench_schema(size_t ntables, size_t *len);

/* The monotonic clock in milliseconds. */
double sc_bench_now_ms(void);

/* The median of the `n` values at `v` (which it sorts). */
double sc_bench_median(double *v, int n);

#endif
