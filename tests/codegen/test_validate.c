/*
 * The differential validation test: generated validators against
 * PostgreSQL itself.
 *
 * The build runs `schemac gen` on the example schema (schema/ with
 * generated/schema.lock, as `schemac compile` sees it) and compiles the
 * generated validators and row inserts into this program (gen_glue.sh).
 * A real server gets the same schema through the DDL printer.  Then, for
 * every table, thousands of random rows: values drawn to hit the edges
 * (NULLs, empty strings, strings one character either side of every
 * length in the schema, numbers either side of every number in its CHECK
 * constraints, type limits, out-of-range dates and enum values, invalid
 * UTF-8, numerics too wide for their precision).  Each row is validated
 * and then inserted through the generated T_insert, inside a savepoint
 * that is rolled back (so rows never meet each other through keys) with
 * foreign keys off (session_replication_role = replica: a row alone is
 * judged).  The validator's verdict must be PostgreSQL's, except where
 * PostgreSQL rejects a row for a CHECK the application's hook decides
 * (the test's hooks accept everything).  Any other disagreement fails the
 * test, printing the row, the validator's findings and the server's.
 *
 * SCHEMAC_VALIDATE_ROWS sets the rows per table (default 2000);
 * SCHEMAC_VALIDATE_SEED the random seed (default 1).
 */
#define _GNU_SOURCE

#include <criterion/criterion.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <schemac/row.h>
#include <schemac/validate.h>

#include "compiler.h"
#include "ddl.h"
#include "glue.h"
#include "rng.h"
#include "pgfix.h"
#include "schema.h"

/* ------------------------------------------------------------ random */

static size_t nnumbers(void)
{
    size_t n = 0;
    while (glue_numbers[n] != NULL)
        n++;
    return n;
}

/* A number of the schema's CHECKs, or 0. */
static const char *schema_number(void)
{
    size_t n = nnumbers();
    return n == 0 ? "0" : glue_numbers[rnd() % n];
}

/* ------------------------------------------------------------ values */

/* n(p,s) of a "numeric(p,s)" spelling; false for other types. */
static bool numeric_mods(const char *type, int *p, int *s)
{
    *p = 0;
    *s = 0;
    if (strncmp(type, "numeric", 7) != 0)
        return false;
    if (type[7] == '(')
        sscanf(type + 8, "%d,%d", p, s);
    return true;
}

/* The n of "character varying(n)" or "character(n)", else 0. */
static long text_maxlen(const char *type)
{
    const char *paren = strchr(type, '(');
    if (strncmp(type, "character", 9) != 0)
        return 0;
    if (paren == NULL)
        return strncmp(type, "character varying", 17) == 0 ? 0 : 1;
    return strtol(paren + 1, NULL, 10);
}

static const char *const pieces[] = {
    "a", "Z", "m", " ", "é", "€", "😀", "'", "\"", "\\", ",", "{", "}", "-", "_", "0", "9", "ß",
};

/* A string of `chars` characters drawn from one of a few alphabets. */
static char *random_text(schemac_arena *a, long chars)
{
    int style = (int)range(0, 5);
    size_t cap = (size_t)chars * 4 + 2;
    char *s = schemac_arena_alloc(a, cap);
    size_t len = 0;
    for (long i = 0; i < chars; i++) {
        const char *p;
        static const char lower[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
        static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        char one[2] = {0, 0};
        switch (style) {
        case 0: /* lower-case slugs */
            one[0] = lower[rnd() % (sizeof lower - 1)];
            p = one;
            break;
        case 1: /* upper-case codes */
            one[0] = upper[rnd() % (sizeof upper - 1)];
            p = one;
            break;
        case 2: /* trailing spaces after some letters */
            p = i < chars / 2 ? "x" : " ";
            break;
        default:
            p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
            break;
        }
        size_t k = strlen(p);
        memcpy(s + len, p, k);
        len += k;
    }
    s[len] = '\0';
    return s;
}

static char *text_value(schemac_arena *a, const char *type)
{
    long max = text_maxlen(type);
    long chars;
    int pick = (int)range(0, 9);
    if (pick == 0)
        chars = 0;
    else if (pick <= 2 && max > 0)
        chars = max + range(-1, 1);
    else if (pick <= 5) {
        long n = strtol(schema_number(), NULL, 10);
        chars = n + range(-1, 1);
        if (chars > 3000)
            chars = range(0, 12);
    } else
        chars = range(1, 12);
    if (chars < 0)
        chars = 0;
    char *s = random_text(a, chars);
    if (chance(2) && chars > 0)
        s[0] = (char)0xff; /* not UTF-8 */
    if (chance(3)) {
        /* a character and then spaces past the limit */
        size_t n = strlen(s);
        char *t = schemac_arena_alloc(a, n + 4);
        memcpy(t, s, n);
        memcpy(t + n, "   ", 4);
        s = t;
    }
    return s;
}

static char *numeric_value(schemac_arena *a, int p, int s)
{
    char *out = schemac_arena_alloc(a, 96);
    int pick = (int)range(0, 12);
    if (pick == 0) {
        static const char *const odd[] = {"NaN", "Infinity", "-Infinity", "abc", "", " 1.5 ",
                                          "1e3", "-0", "0.000", "1.", ".5", "+7", "1e-9", "--1"};
        snprintf(out, 96, "%s", odd[rnd() % (sizeof odd / sizeof odd[0])]);
    } else if (pick <= 5) {
        /* a number of the CHECKs, nudged by one unit of the scale or less */
        const char *n = schema_number();
        int k = (int)range(0, 4);
        static const char *const nudge[] = {"", "0.01", "0.001", "0.005", "0.00001"};
        if (k == 0)
            snprintf(out, 96, "%s%s", chance(20) ? "-" : "", n);
        else {
            /* n +- nudge, computed as text through double is not exact:
             * write "n" then append digits instead. */
            double v = strtod(n, NULL) + (chance(50) ? 1 : -1) * strtod(nudge[k], NULL);
            snprintf(out, 96, "%.*f", 6, v);
        }
    } else {
        /* random digits: up to p+1 before the point, up to s+2 after */
        int ip = p > 0 ? (int)range(0, p - s + 1) : (int)range(0, 20);
        int fp = (int)range(0, (s > 0 ? s : 2) + 2);
        size_t k = 0;
        if (chance(20))
            out[k++] = '-';
        for (int i = 0; i < ip && k < 80; i++)
            out[k++] = (char)('0' + (i == 0 ? range(1, 9) : range(0, 9)));
        if (ip == 0)
            out[k++] = '0';
        if (fp > 0) {
            out[k++] = '.';
            for (int i = 0; i < fp && k < 90; i++)
                out[k++] = (char)('0' + range(0, 9));
        }
        out[k] = '\0';
    }
    return out;
}

static char *json_value(schemac_arena *a)
{
    static const char *const js[] = {"{}", "[]", "null", "1", "\"x\"", "{\"a\": [1, 2, {\"b\": null}]}",
                                     "{\"e\\u00e9\": \"'\\\\\"}", "true"};
    const char *j = js[rnd() % (sizeof js / sizeof js[0])];
    char *s = schemac_arena_alloc(a, strlen(j) + 1);
    strcpy(s, j);
    return s;
}

static int64_t int_value(int width)
{
    int64_t lo = width == 2 ? INT16_MIN : width == 4 ? INT32_MIN : INT64_MIN;
    int64_t hi = width == 2 ? INT16_MAX : width == 4 ? INT32_MAX : INT64_MAX;
    int pick = (int)range(0, 9);
    int64_t v;
    if (pick == 0)
        v = chance(50) ? lo : hi;
    else if (pick <= 4)
        v = (int64_t)strtod(schema_number(), NULL) + range(-1, 1);
    else if (pick <= 7)
        v = range(-3, 300);
    else
        v = range(lo, hi);
    if (v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    return v;
}

static double float_value(void)
{
    static const double odd[] = {0.0, -0.0, 1.5, -1e300, 1e-310, DBL_MAX, FLT_MAX, 3.4e38};
    int pick = (int)range(0, 5);
    if (pick == 0)
        return odd[rnd() % (sizeof odd / sizeof odd[0])];
    if (pick == 1)
        return chance(50) ? (double)NAN : (chance(50) ? (double)INFINITY : -(double)INFINITY);
    if (pick <= 3)
        return strtod(schema_number(), NULL) + (double)range(-1, 1) * 0.001;
    return (double)range(-1000000, 1000000) / 1000.0;
}

static void write_int(void *p, size_t size, int64_t v)
{
    if (size == 1) {
        int8_t x = (int8_t)v;
        memcpy(p, &x, 1);
    } else if (size == 2) {
        int16_t x = (int16_t)v;
        memcpy(p, &x, 2);
    } else if (size == 4) {
        int32_t x = (int32_t)v;
        memcpy(p, &x, 4);
    } else {
        memcpy(p, &v, 8);
    }
}

/* One random value of column `c` at `p` (an element when an array). */
static void value(schemac_arena *a, const struct schemac_column *c, void *p)
{
    int p_, s_;
    switch (c->kind) {
    case SCHEMAC_KIND_INT16:
        write_int(p, 2, int_value(2));
        break;
    case SCHEMAC_KIND_INT32:
        write_int(p, 4, int_value(4));
        break;
    case SCHEMAC_KIND_INT64:
        write_int(p, 8, int_value(8));
        break;
    case SCHEMAC_KIND_BOOL: {
        bool b = chance(50);
        memcpy(p, &b, sizeof b);
        break;
    }
    case SCHEMAC_KIND_FLOAT: {
        float f = (float)float_value();
        memcpy(p, &f, sizeof f);
        break;
    }
    case SCHEMAC_KIND_DOUBLE: {
        double d = float_value();
        memcpy(p, &d, sizeof d);
        break;
    }
    case SCHEMAC_KIND_TEXT: {
        char *s;
        if (numeric_mods(c->type, &p_, &s_))
            s = numeric_value(a, p_, s_);
        else if (strncmp(c->type, "json", 4) == 0)
            s = json_value(a);
        else if (strcmp(c->type, "text") == 0 || strncmp(c->type, "character", 9) == 0)
            s = text_value(a, c->type);
        else
            cr_assert_fail("the test makes no values of type %s (column %s)", c->type, c->name);
        memcpy(p, &s, sizeof s);
        break;
    }
    case SCHEMAC_KIND_UUID: {
        struct schemac_uuid u;
        for (int i = 0; i < 16; i++)
            u.bytes[i] = (uint8_t)rnd();
        memcpy(p, &u, sizeof u);
        break;
    }
    case SCHEMAC_KIND_BYTES: {
        struct schemac_bytes b;
        b.len = (size_t)range(0, 5);
        b.data = schemac_arena_alloc(a, b.len + 1);
        for (size_t i = 0; i < b.len; i++)
            b.data[i] = (uint8_t)rnd();
        memcpy(p, &b, sizeof b);
        break;
    }
    case SCHEMAC_KIND_DATE: {
        int64_t d;
        int pick = (int)range(0, 9);
        if (pick == 0) {
            static const int64_t edge[] = {SCHEMAC_DATE_MIN - 1, SCHEMAC_DATE_MIN, SCHEMAC_DATE_MAX,
                                           SCHEMAC_DATE_MAX + 1, INT32_MAX, INT32_MIN};
            d = edge[rnd() % 6];
        } else {
            d = 19000 + range(-3, 3); /* near each other, so comparisons go both ways */
        }
        write_int(p, 4, d);
        break;
    }
    case SCHEMAC_KIND_TIMESTAMP:
    case SCHEMAC_KIND_TIMESTAMPTZ: {
        int64_t t;
        int pick = (int)range(0, 9);
        if (pick == 0) {
            static const int64_t edge[] = {SCHEMAC_TIMESTAMP_MIN - 1, SCHEMAC_TIMESTAMP_MIN,
                                           INT64_MAX - 1, INT64_MAX, INT64_MIN};
            t = edge[rnd() % 5];
        } else {
            t = INT64_C(1700000000000000) + range(-3, 3) * INT64_C(1000000);
        }
        write_int(p, 8, t);
        break;
    }
    case SCHEMAC_KIND_TIME: {
        static const int64_t edge[] = {0, INT64_C(86400000000), INT64_C(86400000001), -1,
                                       INT64_C(43200000000)};
        int64_t t = chance(30) ? edge[rnd() % 5] : range(0, INT64_C(86400000000));
        write_int(p, 8, t);
        break;
    }
    case SCHEMAC_KIND_INTERVAL: {
        struct schemac_interval iv = {(int32_t)range(-100, 100), (int32_t)range(-100, 100),
                                      range(-INT64_C(100000000000), INT64_C(100000000000))};
        memcpy(p, &iv, sizeof iv);
        break;
    }
    case SCHEMAC_KIND_ENUM:
        /* now and then a value that is no label */
        write_int(p, c->size, chance(8) ? (int64_t)c->nlabels + range(0, 2)
                                        : range(0, (int64_t)c->nlabels - 1));
        break;
    default:
        cr_assert_fail("kind %u", c->kind);
    }
}

/* Draws column `i` of `row` (of table `t`) at random. */
static void random_column(schemac_arena *a, const struct schemac_table *t, void *row, size_t i)
{
    {
        const struct schemac_column *c = &t->columns[i];
        char *base = (char *)row;
        bool present = !(c->flags & SCHEMAC_COL_NULLABLE) || !chance(15);
        if (c->flags & SCHEMAC_COL_NULLABLE)
            memcpy(base + c->present_offset, &present, sizeof present);
        if (!present || (c->flags & SCHEMAC_COL_NO_INSERT))
            return;
        if (c->flags & SCHEMAC_COL_ARRAY) {
            size_t n = (size_t)range(0, 3);
            char *elems = schemac_arena_alloc(a, (n + 1) * c->size);
            for (size_t k = 0; k < n; k++)
                value(a, c, elems + k * c->size);
            memcpy(base + c->offset, &elems, sizeof elems);
            memcpy(base + c->count_offset, &n, sizeof n);
        } else {
            value(a, c, base + c->offset);
        }
    }
}

static void random_row(schemac_arena *a, const struct schemac_table *t, void *row)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        random_column(a, t, row, i);
}

/*
 * Before PostgreSQL has taken a row of a table, rows with every rule
 * right are rare when a table has many: the columns the validator finds
 * wrong are drawn again, a few times, so that a first row is found to
 * mutate from.  (The row is then judged like any other.)
 */
static void repair(schemac_arena *a, const struct glue_table *gt, void *row)
{
    const struct schemac_table *t = gt->desc;
    for (int round = 0; round < 40; round++) {
        struct schemac_violations v;
        if (gt->validate(row, &v))
            return;
        for (size_t i = 0; i < v.count && i < SCHEMAC_VIOLATIONS_MAX; i++) {
            size_t col = (size_t)range(0, (int64_t)t->ncolumns - 1);
            for (size_t k = 0; v.items[i].column != NULL && k < t->ncolumns; k++)
                if (strcmp(t->columns[k].name, v.items[i].column) == 0)
                    col = k;
            random_column(a, t, row, col);
        }
    }
}

/* Copies `row` into `dst` with its strings, arrays and bytes in `a`. */
static void copy_row(schemac_arena *a, const struct schemac_table *t, size_t size, void *dst,
                     const void *row)
{
    memcpy(dst, row, size);
    char *base = dst;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const struct schemac_column *c = &t->columns[i];
        if (c->flags & SCHEMAC_COL_ARRAY) {
            char *elems;
            size_t n;
            memcpy(&elems, base + c->offset, sizeof elems);
            memcpy(&n, base + c->count_offset, sizeof n);
            if (elems != NULL) {
                char *copy = schemac_arena_alloc(a, (n + 1) * c->size);
                memcpy(copy, elems, n * c->size);
                for (size_t k = 0; k < n && c->kind == SCHEMAC_KIND_TEXT; k++) {
                    char *s;
                    memcpy(&s, copy + k * c->size, sizeof s);
                    if (s != NULL) {
                        char *d = schemac_arena_alloc(a, strlen(s) + 1);
                        strcpy(d, s);
                        memcpy(copy + k * c->size, &d, sizeof d);
                    }
                }
                memcpy(base + c->offset, &copy, sizeof copy);
            }
        } else if (c->kind == SCHEMAC_KIND_TEXT) {
            char *s;
            memcpy(&s, base + c->offset, sizeof s);
            if (s != NULL) {
                char *d = schemac_arena_alloc(a, strlen(s) + 1);
                strcpy(d, s);
                memcpy(base + c->offset, &d, sizeof d);
            }
        } else if (c->kind == SCHEMAC_KIND_BYTES) {
            struct schemac_bytes b;
            memcpy(&b, base + c->offset, sizeof b);
            if (b.data != NULL) {
                uint8_t *d = schemac_arena_alloc(a, b.len + 1);
                memcpy(d, b.data, b.len);
                b.data = d;
                memcpy(base + c->offset, &b, sizeof b);
            }
        }
    }
}

/* The row in words, for a failure. */
static void print_row(FILE *f, const struct schemac_table *t, const void *row)
{
    const char *base = row;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const struct schemac_column *c = &t->columns[i];
        fprintf(f, "    %s = ", c->name);
        bool present = true;
        if (c->flags & SCHEMAC_COL_NULLABLE)
            memcpy(&present, base + c->present_offset, sizeof present);
        if (!present) {
            fprintf(f, "NULL\n");
            continue;
        }
        if (c->flags & (SCHEMAC_COL_NO_INSERT | SCHEMAC_COL_ARRAY)) {
            fprintf(f, "(%s)\n", c->flags & SCHEMAC_COL_ARRAY ? "an array" : "the database's");
            continue;
        }
        const char *p = base + c->offset;
        int64_t i64 = 0;
        switch (c->kind) {
        case SCHEMAC_KIND_INT16: {
            int16_t v;
            memcpy(&v, p, 2);
            fprintf(f, "%d\n", v);
            break;
        }
        case SCHEMAC_KIND_INT32:
        case SCHEMAC_KIND_DATE: {
            int32_t v;
            memcpy(&v, p, 4);
            fprintf(f, "%d\n", v);
            break;
        }
        case SCHEMAC_KIND_INT64:
        case SCHEMAC_KIND_TIMESTAMP:
        case SCHEMAC_KIND_TIMESTAMPTZ:
        case SCHEMAC_KIND_TIME:
            memcpy(&i64, p, 8);
            fprintf(f, "%" PRId64 "\n", i64);
            break;
        case SCHEMAC_KIND_BOOL: {
            bool b;
            memcpy(&b, p, sizeof b);
            fprintf(f, "%s\n", b ? "true" : "false");
            break;
        }
        case SCHEMAC_KIND_FLOAT: {
            float v;
            memcpy(&v, p, sizeof v);
            fprintf(f, "%.9g\n", v);
            break;
        }
        case SCHEMAC_KIND_DOUBLE: {
            double v;
            memcpy(&v, p, sizeof v);
            fprintf(f, "%.17g\n", v);
            break;
        }
        case SCHEMAC_KIND_TEXT: {
            const char *s;
            memcpy(&s, p, sizeof s);
            fprintf(f, "'%s' (%zu bytes)\n", s != NULL ? s : "(null pointer)", s != NULL ? strlen(s) : 0);
            break;
        }
        case SCHEMAC_KIND_ENUM: {
            int v = 0;
            memcpy(&v, p, c->size < sizeof v ? c->size : sizeof v);
            fprintf(f, "%d (%s)\n", v, v >= 0 && (size_t)v < c->nlabels ? c->labels[v] : "no label");
            break;
        }
        default:
            fprintf(f, "(kind %u)\n", c->kind);
            break;
        }
    }
}

/* Whether `msg` is a refusal the validators leave to the database by
 * design: an index entry too large for a btree page (program limit), or a
 * value out of range in a table with a generated column (whose value the
 * database computes, and may find out of range, from the row's). */
static bool not_judged(const struct schemac_table *t, const char *msg)
{
    if (strstr(msg, "SQLSTATE 54000") != NULL && strstr(msg, "index row size") != NULL)
        return true;
    if (strstr(msg, "SQLSTATE 22003") == NULL)
        return false;
    for (size_t i = 0; i < t->ncolumns; i++)
        if ((t->columns[i].flags & SCHEMAC_COL_NO_INSERT) &&
            strstr(t->columns[i].type, "numeric") != NULL)
            return true;
    return false;
}

/* Whether `msg` is PostgreSQL's check violation of a hook's CHECK. */
static bool hook_violation(const char *msg)
{
    if (strstr(msg, "check constraint") == NULL)
        return false;
    for (size_t i = 0; glue_hook_checks[i] != NULL; i++) {
        char quoted[256];
        snprintf(quoted, sizeof quoted, "check constraint \"%s\"", glue_hook_checks[i]);
        if (strstr(msg, quoted) != NULL)
            return true;
    }
    return false;
}

static PGresult *exec_ok(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(conn));
    return r;
}

Test(validate, agrees_with_postgresql, .timeout = 1200)
{
    const char *e = getenv("SCHEMAC_VALIDATE_ROWS");
    long rows = e != NULL ? strtol(e, NULL, 10) : 2000;
    e = getenv("SCHEMAC_VALIDATE_SEED");
    rng_state = e != NULL ? strtoull(e, NULL, 10) : 1;
    printf("seed %" PRIu64 ", %ld rows per table\n", rng_state, rows);

    /* The example schema on a real server. */
    sc_compiler *c = sc_compiler_new();
    sc_sources_add_path(&c->sources, SC_SOURCE_ROOT "/schema", &c->diags);
    cr_assert_eq(sc_compiler_run(c), 0, "the example schema compiles");
    sc_buf ddl = SC_BUF_INIT;
    sc_ddl_create(&ddl, c->model);
    pgfix *fx = pgfix_start();
    cr_assert_not_null(fx, "a server starts");
    cr_assert_not_null(pgfix_createdb(fx, "v"));
    cr_assert_eq(pgfix_exec(fx, "v", sc_buf_str(&ddl)), 0, "the schema loads");
    sc_buf_free(&ddl);
    sc_compiler_free(c);

    PGconn *conn = PQconnectdb(pgfix_conninfo(fx, "v"));
    cr_assert(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(exec_ok(conn, "SET session_replication_role = replica"));
    PQclear(exec_ok(conn, "BEGIN"));
    PQclear(exec_ok(conn, "SAVEPOINT row"));

    schemac_arena *a = schemac_arena_new();
    unsigned long disagreements = 0, excused = 0, unjudged = 0, total_ok = 0, total_bad = 0, calls_before;
    for (const struct glue_table *gt = glue_tables; gt->desc != NULL; gt++) {
        const struct schemac_table *t = gt->desc;
        unsigned long ok = 0, bad = 0, exc = 0;
        void *row = malloc(gt->size), *seed_buf = malloc(gt->size), *seed_next = malloc(gt->size);
        void *seed = NULL;
        schemac_arena *seed_arena = NULL;
        calls_before = glue_hook_calls;
        for (long r = 0; r < rows; r++) {
            schemac_arena_reset(a);
            memset(row, 0, gt->size);
            if (seed != NULL && chance(75)) {
                /* A row PostgreSQL took, with one or two columns drawn
                 * again: each rule is tried alone, at its edges. */
                memcpy(row, seed, gt->size);
                for (int k = (int)range(1, 2); k > 0; k--)
                    random_column(a, t, row, (size_t)range(0, (int64_t)t->ncolumns - 1));
            } else {
                random_row(a, t, row);
                if (seed == NULL)
                    repair(a, gt, row);
            }
            struct schemac_violations v;
            bool valid = gt->validate(row, &v);
            int rc = schemac_row_insert(conn, t, row, NULL, a);
            char server[512];
            snprintf(server, sizeof server, "%s", schemac_arena_error(a));
            PGresult *res = PQexec(conn, "ROLLBACK TO SAVEPOINT row");
            cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK, "rollback: %s", PQerrorMessage(conn));
            PQclear(res);
            bool took = rc == 0;
            if (took) {
                ok++;
                /* The next seed (copied first: `row` may point into it). */
                schemac_arena *na = schemac_arena_new();
                copy_row(na, t, gt->size, seed_next, row);
                schemac_arena_free(seed_arena);
                seed_arena = na;
                memcpy(seed_buf, seed_next, gt->size);
                seed = seed_buf;
            } else {
                bad++;
            }
            if (valid == took)
                continue;
            if (valid && hook_violation(server)) {
                exc++;
                continue;
            }
            if (valid && not_judged(t, server)) {
                unjudged++;
                continue;
            }
            disagreements++;
            if (disagreements <= 20) {
                fprintf(stderr, "DISAGREEMENT on %s: the validator says %s, PostgreSQL %s\n", t->name,
                        valid ? "valid" : "invalid", took ? "took the row" : "did not");
                print_row(stderr, t, row);
                for (size_t i = 0; i < v.count && i < SCHEMAC_VIOLATIONS_MAX; i++)
                    fprintf(stderr, "  validator: %s%s%s %s\n", v.items[i].column ? v.items[i].column : "",
                            v.items[i].constraint ? " CHECK " : "",
                            v.items[i].constraint ? v.items[i].constraint : "", v.items[i].message);
                if (!took)
                    fprintf(stderr, "  server: %s\n", server);
            }
        }
        printf("%-40s %6lu taken %6lu refused %5lu for hooks (%lu hook calls)\n", t->name, ok, bad,
               exc, glue_hook_calls - calls_before);
        total_ok += ok;
        total_bad += bad;
        excused += exc;
        /* The rows reach both verdicts, or the test would prove little. */
        cr_expect(ok > 0, "%s: some random rows are taken", t->name);
        cr_expect(bad > 0, "%s: some random rows are refused", t->name);
        free(row);
        free(seed_buf);
        free(seed_next);
        schemac_arena_free(seed_arena);
    }
    printf("%lu rows taken, %lu refused, %lu refused for a hook's CHECK, %lu for what validators "
           "leave to the database, %lu disagreements\n",
           total_ok, total_bad, excused, unjudged, disagreements);
    cr_expect_eq(disagreements, 0, "the validators agree with PostgreSQL (%lu disagreements)",
                 disagreements);
    schemac_arena_free(a);
    PQfinish(conn);
    pgfix_stop(fx);
}
