/*
 * CHECK constraints as C (compiler/emit_check.c, sc_check_translate),
 * through sc_emit_c_files on small schemas:
 *
 *  - which expressions are translated and which get a hook, and that a
 *    hook's reason names the construct;
 *  - what the translated C decides: the validate file of a schema with one
 *    table per CHECK is compiled with cc, with a driver that runs
 *    T_validate on rows and prints a verdict per row, and linked with the
 *    runtime library.  Every expected verdict was checked against
 *    PostgreSQL 15 by inserting the same row (SCHEMAC_CHECK_SQL=FILE
 *    writes that SQL script: the tables and one INSERT per row).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit_c.h"
#include "testutil.h"

#ifndef SC_RUNTIME_LIB
#error "SC_RUNTIME_LIB: the path of the runtime's static library"
#endif
#ifndef SC_CC_FLAGS
#define SC_CC_FLAGS ""
#endif

/* The columns every test table has. */
static const char COLUMNS[] = "  s smallint\n"
                              "  i integer\n"
                              "  b bigint\n"
                              "  f double precision\n"
                              "  r real\n"
                              "  n numeric(6,2)\n"
                              "  v varchar(5)\n"
                              "  c char(4)\n"
                              "  t text\n"
                              "  e mood\n"
                              "  d date\n"
                              "  ts timestamp\n"
                              "  tz timestamptz\n"
                              "  ok boolean\n"
                              "  tags text[]\n";

/* The schema text of tables t1..tn, table k with CHECK (exprs[k-1]). */
static char *schema_of(const char *const *exprs, size_t n)
{
    sc_buf b = SC_BUF_INIT;
    sc_buf_puts(&b, "enum mood ('sad', 'ok', 'happy')\n");
    for (size_t k = 0; k < n; k++)
        sc_buf_printf(&b, "table t%zu {\n%s  check (%s)\n}\n", k + 1, COLUMNS, exprs[k]);
    return sc_buf_detach(&b);
}

/* The three files for schema text `text`. */
static void files_of(const char *text, sc_buf *header, sc_buf *db, sc_buf *validate)
{
    sc_compiler *c = compile_text(text);
    cr_assert_eq(c->diags.nerrors, 0, "%s\n%s", text, diagnostics(c));
    sc_emit_c_info info = {"0123456789abcdef0123456789abcdef", NULL};
    sc_emit_c_files(c->model, &info, header, db, validate);
    sc_compiler_free(c);
}

/* --------------------------------------------------- translated or not */

/* Translated: NULL; else the reason's text (malloc'd). */
static char *reason_of(const char *expr)
{
    char *text = schema_of(&expr, 1);
    sc_buf v = SC_BUF_INIT;
    files_of(text, NULL, NULL, &v);
    free(text);
    const char *s = sc_buf_str(&v);
    char *r = NULL;
    const char *p = strstr(s, "not translated: ");
    if (p != NULL) {
        p += strlen("not translated: ");
        r = strndup(p, strcspn(p, "\n"));
    } else {
        cr_expect(strstr(s, "Every CHECK constraint is translated") != NULL ||
                      strstr(s, "translated; the hook decides values outside ASCII") != NULL,
                  "neither translated nor hooked: %s\n%s", expr, s);
    }
    sc_buf_free(&v);
    return r;
}

Test(check_translation, translated)
{
    static const char *const exprs[] = {
        "i > 0",
        "s + s > 0",
        "i * 2 <> b",
        "b / i > 0 and i % 3 = 0",
        "f / r > 1",
        "-s < 100",
        "n > 0",
        "n between 1 and 10.5",
        "(0)::numeric <= n",
        "i between 1 and 10",
        "i not between 1 and 10",
        "i in (1, 2, 3)",
        "i not in (1, 2, null)",
        "v is null or length(v) >= 2",
        "t is not null",
        "ok is true",
        "ok is not false",
        "(i > 0 and s > 0) or not ok",
        "char_length(t) <= 3",
        "lower(t) = 'abc'",
        "upper(v) <> 'X'",
        "e = 'happy'",
        "e > 'sad'",
        "e in ('ok', 'happy')",
        "d >= '2000-01-01'",
        "d < date '2030-01-01'",
        "d <= ts",
        "c = 'ab'",
        "c::text = 'ab'",
        "f > 0.5",
        "r = 0.1",
        "i::bigint * 3000000000 > 0",
        "i::numeric > 1.5",
        "tags is not null",
        "null",
        "true",
    };
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        char *r = reason_of(exprs[i]);
        cr_expect(r == NULL, "CHECK (%s) not translated: %s", exprs[i], r);
        free(r);
    }
}

Test(check_translation, hooks_and_reasons)
{
    static const struct {
        const char *expr;
        const char *reason; /* a part of the reason */
    } cases[] = {
        {"v ~ '^a'", "operator ~"},
        {"v !~* 'a'", "operator !~*"},
        {"case when i > 0 then true else false end", "CASE"},
        {"n * 2 > 0", "arithmetic on numeric"},
        {"n + 1 > i", "arithmetic on numeric"},
        {"t < 'b'", "text compared with <"},
        {"v >= t", "text compared with >="},
        {"t like 'a%'", "LIKE"},
        {"t not like 'a%'", "LIKE"},
        {"d < now()", "function now"},
        {"abs(i) > 0", "function abs"},
        {"cardinality(tags) > 0", "function cardinality"},
        {"tz > d", "dates or timestamps with and without time zone"},
        {"tz > ts", "dates or timestamps with and without time zone"},
        {"i between symmetric 1 and 2", "BETWEEN SYMMETRIC"},
        {"length(lower(t)) > 1", "the length of a case-mapped value"},
        {"length(i::text) > 1", "a cast to text"},
        {"v::varchar(3) = 'ab'", "a cast to"},
        {"ok = i", "operands of these types"},
        {"i is distinct from 1", "this IS test"},
        {"tz > '2000-01-01 00:00:00+00'::timestamptz", "a cast to timestamptz"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = reason_of(cases[i].expr);
        cr_expect(r != NULL, "CHECK (%s) translated, want a hook", cases[i].expr);
        if (r != NULL)
            cr_expect(strstr(r, cases[i].reason) != NULL, "CHECK (%s): reason '%s', want '%s'",
                      cases[i].expr, r, cases[i].reason);
        free(r);
    }
}

/* A translated check that may need the hook declares it, and the header
 * says what for. */
Test(check_translation, case_mapping_declares_a_hook)
{
    const char *expr = "lower(t) = 'abc'";
    char *text = schema_of(&expr, 1);
    sc_buf h = SC_BUF_INIT, v = SC_BUF_INIT;
    files_of(text, &h, NULL, &v);
    free(text);
    cr_expect(strstr(sc_buf_str(&h), "bool t1_check_t1_t_check(const struct t1 *row);") != NULL,
              "%s", sc_buf_str(&h));
    cr_expect(strstr(sc_buf_str(&v), "translated; the hook decides values outside ASCII") != NULL);
    cr_expect(strstr(sc_buf_str(&v), "case 2:\n        if (!t1_check_t1_t_check(row))") != NULL);
    sc_buf_free(&h);
    sc_buf_free(&v);

    /* Without lower()/upper(), text equality is decided in C: no hook. */
    expr = "t = 'abc'";
    text = schema_of(&expr, 1);
    h = (sc_buf)SC_BUF_INIT;
    v = (sc_buf)SC_BUF_INIT;
    files_of(text, &h, NULL, &v);
    free(text);
    cr_expect(strstr(sc_buf_str(&h), "_check_") == NULL, "%s", sc_buf_str(&h));
    cr_expect(strstr(sc_buf_str(&v), "Every CHECK constraint is translated") != NULL);
    sc_buf_free(&h);
    sc_buf_free(&v);
}

/* ------------------------------------------------------------ behaviour */

/* The CHECKs of the behaviour test: table tK has CHECK (CHECKS[K-1]). */
static const char *const CHECKS[] = {
    /* 1 */ "s + s > 0",
    /* 2 */ "s + 1 > 0",
    /* 3 */ "i * 2 > i",
    /* 4 */ "b / i > 0",
    /* 5 */ "i % 3 = 0",
    /* 6 */ "f / r > 1",
    /* 7 */ "-s < 100",
    /* 8 */ "n > 0",
    /* 9 */ "n between 1 and 10.5",
    /* 10 */ "(0)::numeric <= n",
    /* 11 */ "i between 1 and 10",
    /* 12 */ "i not between 1 and 10",
    /* 13 */ "i in (1, 2, 3)",
    /* 14 */ "i not in (1, 2, null)",
    /* 15 */ "v is null or length(v) >= 2",
    /* 16 */ "t is not null",
    /* 17 */ "ok is true",
    /* 18 */ "ok is not false",
    /* 19 */ "(i > 0 and s > 0) or not ok",
    /* 20 */ "char_length(t) <= 3",
    /* 21 */ "lower(t) = 'abc'",
    /* 22 */ "upper(v) <> 'X'",
    /* 23 */ "e = 'happy'",
    /* 24 */ "e > 'sad'",
    /* 25 */ "e in ('ok', 'happy')",
    /* 26 */ "d >= '2000-01-01'",
    /* 27 */ "d <= ts",
    /* 28 */ "c = 'ab'",
    /* 29 */ "c::text = 'ab'",
    /* 30 */ "length(c) = 2",
    /* 31 */ "r = 0.1",
    /* 32 */ "i::bigint * 3000000000 > 0",
    /* 33 */ "i::numeric > 1.5",
    /* 34 */ "s * 200 > 0 and b > 0",
    /* 35 */ "b > 0 or s * s > 0",
    /* 36 */ "v = 'ab'",
    /* 37 */ "f * f > 1",
    /* 38 */ "i - 1 <> i and not (ok and i > 0)",
};
#define NCHECKS (sizeof CHECKS / sizeof CHECKS[0])

/*
 * A row: its table and its values, "col=value" separated by ';' (a
 * column not named is NULL), and PostgreSQL's verdict on the INSERT: 'A'
 * accepted, 'V' violates the check constraint, 'E' another error while
 * evaluating it (out of range, division by zero).
 */
static const struct bcase {
    int table;
    const char *values;
    char want;
} CASES[] = {
    /* smallint + smallint is smallint; + 1 is integer */
    {1, "s=16383", 'A'},
    {1, "s=16384", 'E'},
    {1, "s=-1", 'V'},
    {1, "", 'A'},
    {2, "s=32767", 'A'},
    {2, "s=-1", 'V'},
    {3, "i=5", 'A'},
    {3, "i=1073741824", 'E'},
    {3, "i=-5", 'V'},
    {4, "b=10;i=3", 'A'},
    {4, "b=10;i=0", 'E'},
    {4, "b=-7;i=2", 'V'},
    {4, "b=1;i=2", 'V'},
    {4, "i=0", 'A'},
    {5, "i=-7", 'V'},
    {5, "i=-9", 'A'},
    {5, "i=9", 'A'},
    {6, "f=3;r=2", 'A'},
    {6, "f=1;r=0", 'E'},
    {6, "f=1e308;r=1e-10", 'E'},
    {6, "f=1;r=2", 'V'},
    {7, "s=-32768", 'E'},
    {7, "s=-32767", 'V'},
    {7, "s=99", 'A'},
    {8, "n=0.01", 'A'},
    {8, "n=0.004", 'V'},
    {8, "n=0.005", 'A'},
    {8, "n=NaN", 'A'},
    {8, "n=-0", 'V'},
    {9, "n=10.5", 'A'},
    {9, "n=10.504", 'A'},
    {9, "n=10.505", 'V'},
    {9, "n=0.995", 'A'},
    {9, "n=0.994", 'V'},
    {10, "n=-0.001", 'A'},
    {10, "n=-0.005", 'V'},
    {11, "i=1", 'A'},
    {11, "i=10", 'A'},
    {11, "i=11", 'V'},
    {11, "i=0", 'V'},
    {12, "i=5", 'V'},
    {12, "i=0", 'A'},
    {12, "i=11", 'A'},
    {13, "i=3", 'A'},
    {13, "i=4", 'V'},
    {13, "", 'A'},
    {14, "i=1", 'V'},
    {14, "i=5", 'A'},
    {15, "v=a", 'V'},
    {15, "v=ab", 'A'},
    {15, "", 'A'},
    {15, "v=\xc3\xa9\xc3\xa9", 'A'},
    {16, "", 'V'},
    {16, "t=", 'A'},
    {17, "ok=true", 'A'},
    {17, "ok=false", 'V'},
    {17, "", 'V'},
    {18, "ok=false", 'V'},
    {18, "", 'A'},
    {18, "ok=true", 'A'},
    {19, "i=1;s=1;ok=true", 'A'},
    {19, "i=1;ok=true", 'A'},
    {19, "i=-1;ok=true", 'V'},
    {19, "i=-1", 'A'},
    {19, "s=1;ok=false", 'A'},
    {19, "i=0;s=1", 'A'},
    {20, "t=abc", 'A'},
    {20, "t=abcd", 'V'},
    {20, "t=\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 'A'},
    {20, "t=\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x", 'V'},
    {21, "t=AbC", 'A'},
    {21, "t=abd", 'V'},
    {21, "t=abc ", 'V'},
    {22, "v=x", 'V'},
    {22, "v=X", 'V'},
    {22, "v=xy", 'A'},
    {23, "e=happy", 'A'},
    {23, "e=ok", 'V'},
    {24, "e=sad", 'V'},
    {24, "e=ok", 'A'},
    {25, "e=sad", 'V'},
    {25, "e=happy", 'A'},
    {26, "d=2000-01-01", 'A'},
    {26, "d=1999-12-31", 'V'},
    {27, "d=2000-01-01;ts=2000-01-01 00:00:00", 'A'},
    {27, "d=2000-01-02;ts=2000-01-01 23:59:59", 'V'},
    {27, "d=1970-01-01", 'A'},
    {28, "c=ab", 'A'},
    {28, "c=ab  ", 'A'},
    {28, "c=ab      ", 'A'},
    {28, "c=abc", 'V'},
    {28, "c= ab", 'V'},
    {29, "c=ab  ", 'A'},
    {30, "c=ab  ", 'A'},
    {30, "c=a b", 'V'},
    {30, "c=\xc3\xa9\xc3\xa9 ", 'A'},
    {31, "r=0.1", 'V'},
    {31, "r=0.5", 'V'},
    {32, "i=3", 'A'},
    {32, "i=-1", 'V'},
    {33, "i=1", 'V'},
    {33, "i=2", 'A'},
    {34, "s=100;b=1", 'A'},
    {34, "s=200;b=1", 'A'},
    {34, "s=-1;b=-1", 'V'},
    {35, "b=1;s=300", 'A'},
    {35, "b=-1;s=300", 'E'},
    {35, "s=300", 'E'},
    {35, "b=-1;s=0", 'V'},
    {36, "v=ab", 'A'},
    {36, "v=ab ", 'V'},
    {36, "v=ab       ", 'V'},
    {37, "f=1e200", 'E'},
    {37, "f=1e-200", 'E'},
    {37, "f=2", 'A'},
    {37, "f=NaN", 'A'},
    {37, "f=0", 'V'},
    {38, "i=2147483647", 'A'},
    {38, "i=-2147483648", 'E'},
    {38, "i=5;ok=true", 'V'},
    {38, "i=5", 'A'},
};
#define NCASES (sizeof CASES / sizeof CASES[0])

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Calls f(col, value) for each "col=value" of `values`. */
static void each_value(const char *values, void (*f)(void *, const char *, const char *),
                       void *ctx)
{
    char *copy = strdup(values), *save = NULL;
    for (char *item = strtok_r(copy, ";", &save); item != NULL; item = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(item, '=');
        cr_assert(eq != NULL, "%s", values);
        *eq = '\0';
        f(ctx, item, eq + 1);
    }
    free(copy);
}

/* C statements setting row.col to `value`. */
static void c_assign(void *ctx, const char *col, const char *value)
{
    sc_buf *b = ctx;
    int y, m, d, hh, mm, ss;
    sc_buf_printf(b, "        row.%s_present = true;\n", col);
    if (strchr("vcnt", col[0]) != NULL && col[1] == '\0') {
        sc_buf_printf(b, "        row.%s = \"%s\";\n", col, value);
    } else if (strcmp(col, "e") == 0) {
        sc_buf_puts(b, "        row.e = MOOD_");
        for (const char *p = value; *p != '\0'; p++)
            sc_buf_putc(b, (char)(*p - 32));
        sc_buf_puts(b, ";\n");
    } else if (strcmp(col, "d") == 0) {
        cr_assert_eq(sscanf(value, "%d-%d-%d", &y, &m, &d), 3);
        sc_buf_printf(b, "        row.d = %lld;\n", (long long)days_from_civil(y, m, d));
    } else if (strcmp(col, "ts") == 0) {
        cr_assert_eq(sscanf(value, "%d-%d-%d %d:%d:%d", &y, &m, &d, &hh, &mm, &ss), 6);
        long long us = ((long long)days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss) *
                       1000000LL;
        sc_buf_printf(b, "        row.ts = %lldLL;\n", us);
    } else if ((strcmp(col, "f") == 0 || strcmp(col, "r") == 0) && strcmp(value, "NaN") == 0) {
        sc_buf_printf(b, "        row.%s = nan(\"\");\n", col);
    } else {
        sc_buf_printf(b, "        row.%s = %s;\n", col, value);
    }
}

/* The driver: each case's verdict on a line, "A", "V", "E" or "X: why". */
static char *driver_of(const char *header)
{
    sc_buf b = SC_BUF_INIT;
    sc_buf_puts(&b, "#include <math.h>\n#include <stdio.h>\n#include <string.h>\n"
                    "#include \"schema.h\"\n\n"
                    "static void verdict(bool ok, const struct schemac_violations *v)\n{\n"
                    "    if (ok) {\n        puts(\"A\");\n        return;\n    }\n"
                    "    const char *m = v->items[0].message;\n"
                    "    if (v->count == 1 && strstr(m, \"raise an error\") != NULL)\n"
                    "        puts(\"E\");\n"
                    "    else if (v->count == 1 && strcmp(m, \"violates the CHECK constraint\") == 0)\n"
                    "        puts(\"V\");\n"
                    "    else\n        printf(\"X: %zu: %s\\n\", v->count, m);\n}\n\n");
    /* the hooks the header declares (text comparisons may defer to them):
     * no row here needs one, and a call says so */
    const char *p = header;
    while ((p = strstr(p, "\nbool ")) != NULL) {
        p += 6;
        size_t n = strcspn(p, "(");
        if (n > 9 && strncmp(p + n - 9, "_validate", 9) == 0)
            continue;
        sc_buf_printf(&b, "bool %.*s(const struct %.*s *row)\n{\n    (void)row;\n"
                          "    puts(\"hook\");\n    return true;\n}\n\n",
                      (int)n, p, (int)strcspn(p, "_"), p);
    }
    sc_buf_puts(&b, "int main(void)\n{\n    struct schemac_violations v;\n");
    for (size_t i = 0; i < NCASES; i++) {
        if (CASES[i].want == 'X')
            continue;
        sc_buf_printf(&b, "    {\n        struct t%d row;\n        memset(&row, 0, sizeof row);\n",
                      CASES[i].table);
        each_value(CASES[i].values, c_assign, &b);
        sc_buf_printf(&b, "        verdict(t%d_validate(&row, &v), &v);\n    }\n", CASES[i].table);
    }
    sc_buf_puts(&b, "    return 0;\n}\n");
    return sc_buf_detach(&b);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* An INSERT's column list and values. */
struct sql_row {
    sc_buf cols, vals;
};

static void sql_assign(void *ctx, const char *col, const char *value)
{
    struct sql_row *r = ctx;
    if (r->cols.len > 0) {
        sc_buf_puts(&r->cols, ", ");
        sc_buf_puts(&r->vals, ", ");
    }
    sc_buf_puts(&r->cols, col);
    bool quote = strchr("sibfr", col[0]) == NULL || strcmp(value, "NaN") == 0 ||
                 strcmp(col, "ts") == 0;
    if (strcmp(col, "ok") == 0)
        quote = false;
    sc_buf_printf(&r->vals, quote ? "'%s'" : "%s", value);
}

/* The SQL that checks the expected verdicts against a server. */
static void write_sql(const char *path, const char *schema_sql)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL);
    fprintf(f, "%s\n", schema_sql);
    for (size_t i = 0; i < NCASES; i++) {
        struct sql_row r = {SC_BUF_INIT, SC_BUF_INIT};
        each_value(CASES[i].values, sql_assign, &r);
        fprintf(f, "\\echo case %zu want %c\n", i, CASES[i].want);
        if (r.cols.len == 0)
            fprintf(f, "insert into t%d default values;\n", CASES[i].table);
        else
            fprintf(f, "insert into t%d (%s) values (%s);\n", CASES[i].table, sc_buf_str(&r.cols),
                    sc_buf_str(&r.vals));
        sc_buf_free(&r.cols);
        sc_buf_free(&r.vals);
    }
    fclose(f);
}

/* Runs `cmd`; its output (malloc'd) and exit status. */
static char *run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    cr_assert(p != NULL, "%s", cmd);
    sc_buf out = SC_BUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        sc_buf_append(&out, buf, n);
    *status = pclose(p);
    return sc_buf_detach(&out);
}

Test(check_translation, behaviour_against_postgresql, .timeout = 240)
{
    char *text = schema_of(CHECKS, NCHECKS);
    sc_buf h = SC_BUF_INIT, db = SC_BUF_INIT, v = SC_BUF_INIT;
    files_of(text, &h, &db, &v);
    free(text);
    /* every check here is translated */
    cr_assert(strstr(sc_buf_str(&v), "not translated") == NULL, "%s", sc_buf_str(&v));

    char dir[] = "/tmp/sc_emit_check_XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char path[512], cmd[4096];
    snprintf(path, sizeof path, "%s/schema.h", dir);
    write_file(path, sc_buf_str(&h));
    snprintf(path, sizeof path, "%s/schema_db.c", dir);
    write_file(path, sc_buf_str(&db));
    snprintf(path, sizeof path, "%s/schema_validate.c", dir);
    write_file(path, sc_buf_str(&v));
    char *driver = driver_of(sc_buf_str(&h));
    snprintf(path, sizeof path, "%s/driver.c", dir);
    write_file(path, driver);
    free(driver);

    const char *sql_path = getenv("SCHEMAC_CHECK_SQL");
    if (sql_path != NULL) {
        /* the DDL, as the checks' own text */
        sc_buf ddl = SC_BUF_INIT;
        sc_buf_puts(&ddl, "create type mood as enum ('sad', 'ok', 'happy');\n");
        for (size_t k = 0; k < NCHECKS; k++)
            sc_buf_printf(&ddl,
                          "create table t%zu (s smallint, i integer, b bigint, f double precision, "
                          "r real, n numeric(6,2), v varchar(5), c char(4), t text, e mood, d date, "
                          "ts timestamp, tz timestamptz, ok boolean, tags text[], check (%s));\n",
                          k + 1, CHECKS[k]);
        write_sql(sql_path, sc_buf_str(&ddl));
        sc_buf_free(&ddl);
    }

    snprintf(cmd, sizeof cmd,
             "cc -std=c11 -Wall -Wextra -Werror %s -I%s -I%s/runtime/include -o %s/driver "
             "%s/driver.c %s/schema_validate.c %s -lm 2>&1",
             SC_CC_FLAGS, dir, SC_SOURCE_ROOT, dir, dir, dir, SC_RUNTIME_LIB);
    int status;
    char *out = run(cmd, &status);
    cr_assert_eq(status, 0, "%s\n%s", cmd, out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s/driver 2>&1", dir);
    out = run(cmd, &status);
    cr_expect_eq(status, 0, "%s", out);

    /* one line per case, in order */
    char *save = NULL, *lineptr = strtok_r(out, "\n", &save);
    size_t checked = 0;
    for (size_t i = 0; i < NCASES; i++) {
        if (CASES[i].want == 'X')
            continue;
        cr_assert(lineptr != NULL, "no verdict for case %zu", i);
        char want[2] = {CASES[i].want, '\0'};
        cr_expect_str_eq(lineptr, want, "CHECK (%s) with %s: %s, PostgreSQL says %s",
                         CHECKS[CASES[i].table - 1], CASES[i].values, lineptr, want);
        lineptr = strtok_r(NULL, "\n", &save);
        checked++;
    }
    cr_expect(lineptr == NULL, "more output: %s", lineptr);
    cr_expect_gt(checked, 100);
    free(out);

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
    sc_buf_free(&h);
    sc_buf_free(&db);
    sc_buf_free(&v);
}
