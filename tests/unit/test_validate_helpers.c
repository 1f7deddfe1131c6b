/*
 * The helpers generated validators call (runtime/src/validate.c,
 * schemac/validate.h).  Every expected value here was checked against
 * PostgreSQL 15 (UTF8, locale C.UTF-8): the SQL that shows it is in the
 * comment beside it.  The tests need no server.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemac/validate.h"

/* ------------------------------------------------------------- text */

#define CHARS(bytes, n, want)                                                                 \
    cr_expect_eq(schemac_utf8_chars(bytes, n), want, "utf8_chars(%s): %ld, want %ld", #bytes, \
                 schemac_utf8_chars(bytes, n), (long)(want))

/* select length(convert_from('\x..'::bytea, 'UTF8')) */
Test(validate_helpers, utf8_valid)
{
    CHARS("", 0, 0);
    CHARS("abc", 3, 3);
    CHARS("h\xc3\xa9llo", 6, 5);
    CHARS("\xc2\x80", 2, 1);         /* U+0080, the first two-byte character */
    CHARS("\xe2\x82\xac", 3, 1);     /* € */
    CHARS("\xed\x9f\xbf", 3, 1);     /* U+D7FF, just below the surrogates */
    CHARS("\xee\x80\x80", 3, 1);     /* U+E000, just above them */
    CHARS("\xf0\x90\x80\x80", 4, 1); /* U+10000 */
    CHARS("\xf0\x9f\x98\x80", 4, 1); /* 😀 */
    CHARS("\xf4\x8f\xbf\xbf", 4, 1); /* U+10FFFF */
    CHARS("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z", 11, 5);
    /* only `len` bytes count */
    CHARS("abc", 2, 2);
}

/* ERROR:  invalid byte sequence for encoding "UTF8" */
Test(validate_helpers, utf8_invalid)
{
    CHARS("\xc0\x80", 2, -1);         /* overlong NUL */
    CHARS("\xc1\xbf", 2, -1);         /* overlong */
    CHARS("\xe0\x80\x80", 3, -1);     /* overlong */
    CHARS("\xe0\x9f\xbf", 3, -1);     /* overlong */
    CHARS("\xed\xa0\x80", 3, -1);     /* surrogate U+D800 */
    CHARS("\xed\xbf\xbf", 3, -1);     /* surrogate U+DFFF */
    CHARS("\xf0\x8f\xbf\xbf", 4, -1); /* overlong */
    CHARS("\xf4\x90\x80\x80", 4, -1); /* U+110000 */
    CHARS("\xf5\x80\x80\x80", 4, -1);
    CHARS("\xf8\x88\x80\x80", 4, -1);
    CHARS("\xff", 1, -1);
    CHARS("\x80", 1, -1);             /* a lone continuation byte */
    CHARS("\xe2\x82", 2, -1);         /* truncated */
    CHARS("\xc3", 1, -1);
    CHARS("\xc2", 1, -1);
    CHARS("a\xc3", 2, -1);
    CHARS("\xe2\x82\xac", 2, -1);     /* cut short by `len` */
    CHARS("\xc3(", 2, -1);            /* a continuation byte missing */
    CHARS("a\0b", 3, -1);             /* NUL */
    CHARS("\0", 1, -1);
}

#define FIT(s, n, want)                                                                         \
    cr_expect_eq(schemac_text_fit(s, n), want, "text_fit(%s, %d): %ld, want %ld", #s, (int)(n), \
                 schemac_text_fit(s, n), (long)(want))

/* create table tv (v varchar(3), c char(3));
 * insert into tv(v) values (...) returning octet_length(v) */
Test(validate_helpers, text_fit)
{
    FIT("", 3, 0);
    FIT("ab", 3, 2);
    FIT("abc", 3, 3);
    FIT("abc  ", 3, 3);                         /* excess spaces are cut */
    FIT("  ", 3, 2);
    FIT("abcd", 3, -1);                         /* value too long for type character varying(3) */
    FIT("abc d", 3, -1);
    FIT("abc\t", 3, -1);                        /* only spaces are cut, not tabs */
    FIT("h\xc3\xa9\xe2\x82\xac  ", 3, 6);       /* 'hé€  ': 3 characters, 6 bytes */
    FIT("h\xc3\xa9\xe2\x82\xac", 3, 6);
    FIT("h\xc3\xa9\xe2\x82\xacx", 3, -1);       /* 'hé€x' */
    FIT("ab     ", 3, 3);                       /* char(3) keeps 'ab ' */
    FIT("\xc3\xa9\xc3\xa9 ", 3, 5);             /* 'éé ' */
    FIT("\xc3\xa9\xc3\xa9  ", 2, 4);
    FIT("ab\xc2\xa0 ", 3, 4);                   /* no-break space then a space: the space is cut */
    FIT("abc\xc2\xa0", 3, -1);                  /* a no-break space is not a space */
    FIT("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2, 8);
    FIT("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 1, -1);
    /* invalid UTF-8 never fits, even within n */
    FIT("a\xc3", 3, -1);
    FIT("\xed\xa0\x80", 3, -1);
    FIT("abc \xff", 3, -1);
}

#define EQ(a, af, b, bf, want)                                                                    \
    cr_expect_eq(schemac_text_eq(a, strlen(a), SCHEMAC_FOLD_##af, b, strlen(b), SCHEMAC_FOLD_##bf), \
                 want, "text_eq(%s %s, %s %s)", #af, a, #bf, b)

/* select lower('AbC') = 'abc', upper('x_1') = 'X_1', lower('AB') = lower('ab'),
 *        'ab'::text = 'ab ', upper('a') = lower('A'), lower('A@[') = 'a@[' */
Test(validate_helpers, text_eq)
{
    EQ("abc", NONE, "abc", NONE, 1);
    EQ("abc", NONE, "abC", NONE, 0);
    EQ("ab", NONE, "ab ", NONE, 0);
    EQ("", NONE, "", NONE, 1);
    EQ("AbC", LOWER, "abc", NONE, 1);
    EQ("abc", NONE, "AbC", LOWER, 1);
    EQ("AbC", LOWER, "ABC", NONE, 0);
    EQ("x_1", UPPER, "X_1", NONE, 1);
    EQ("AB", LOWER, "ab", LOWER, 1);
    EQ("a", UPPER, "A", LOWER, 0);
    EQ("A@[", LOWER, "a@[", NONE, 1);   /* @ and [ sit beside the letters: not folded */
    EQ("a`{", UPPER, "A`{", NONE, 1);
    EQ("a`{", UPPER, "A@[", NONE, 0);
    /* bytes outside ASCII compare as bytes when nothing folds them */
    EQ("\xc3\xa9", NONE, "\xc3\xa9", NONE, 1);
    EQ("\xc3\xa9", NONE, "\xc3\x89", NONE, 0);
    /* folded, they are the collation's business */
    EQ("\xc3\x80" "B", LOWER, "\xc3\xa0" "b", NONE, -1);
    EQ("ab", NONE, "\xc3\xa0", UPPER, -1);
    EQ("\xc3\xa9", LOWER, "abc", NONE, -1); /* even with different lengths */
    /* lengths, not NULs, bound the values */
    cr_expect_eq(schemac_text_eq("abX", 2, SCHEMAC_FOLD_NONE, "abY", 2, SCHEMAC_FOLD_NONE), 1);
    cr_expect_eq(schemac_text_eq("ab", 2, SCHEMAC_FOLD_NONE, "abc", 3, SCHEMAC_FOLD_NONE), 0);
}

/* select 'a  '::char(3) = 'a'::char(3) (t), E'a\t'::char(3) = 'a'::char(3) (f) */
Test(validate_helpers, rtrim_len)
{
    cr_expect_eq(schemac_rtrim_len("ab  ", 4), 2);
    cr_expect_eq(schemac_rtrim_len("a  ", 3), 1);
    cr_expect_eq(schemac_rtrim_len("   ", 3), 0);
    cr_expect_eq(schemac_rtrim_len("", 0), 0);
    cr_expect_eq(schemac_rtrim_len("a\t", 2), 2);
    cr_expect_eq(schemac_rtrim_len("a\t ", 3), 2);
    cr_expect_eq(schemac_rtrim_len(" a", 2), 2);
    cr_expect_eq(schemac_rtrim_len("ab  cd", 4), 2); /* only `len` bytes count */
}

/* ------------------------------------------------------------ floats */

/* select 'nan'::float8 = 'nan'::float8, 'nan'::float8 > 'inf'::float8,
 *        '-0'::float8 = '0'::float8, '-inf'::float8 < '-1e308'::float8,
 *        'nan'::float8 < 1 (f) */
Test(validate_helpers, float_cmp)
{
    double nan_ = nan(""), inf = INFINITY;
    cr_expect_eq(schemac_float_cmp(nan_, nan_), 0);
    cr_expect_eq(schemac_float_cmp(-nan_, nan_), 0);
    cr_expect_eq(schemac_float_cmp(nan_, inf), 1);
    cr_expect_eq(schemac_float_cmp(inf, nan_), -1);
    cr_expect_eq(schemac_float_cmp(nan_, 1.0), 1);
    cr_expect_eq(schemac_float_cmp(1.0, nan_), -1);
    cr_expect_eq(schemac_float_cmp(-inf, nan_), -1);
    cr_expect_eq(schemac_float_cmp(-0.0, 0.0), 0);
    cr_expect_eq(schemac_float_cmp(0.0, -0.0), 0);
    cr_expect_eq(schemac_float_cmp(-inf, -1e308), -1);
    cr_expect_eq(schemac_float_cmp(inf, DBL_MAX), 1);
    cr_expect_eq(schemac_float_cmp(inf, inf), 0);
    cr_expect_eq(schemac_float_cmp(1.5, 2.5), -1);
    cr_expect_eq(schemac_float_cmp(2.5, 1.5), 1);
    cr_expect_eq(schemac_float_cmp(-2.5, -2.5), 0);
    cr_expect_eq(schemac_float_cmp(4.9e-324, 0.0), 1);
}

/* One float operation: whether it succeeds, and its result. */
static bool farith(double a, char op, double b, int width, double *r)
{
    *r = 12345.0;
    return schemac_float_arith(a, b, op, width, r);
}

#define FERR(a, op, b, w)                                                                  \
    do {                                                                                   \
        double r_;                                                                         \
        cr_expect(!farith(a, op, b, w, &r_), "%s %c %s (width %d) must fail: %g", #a, op, \
                  #b, w, r_);                                                              \
    } while (0)

#define FOK(a, op, b, w, want)                                                                 \
    do {                                                                                       \
        double r_;                                                                             \
        cr_expect(farith(a, op, b, w, &r_), "%s %c %s (width %d) must not fail", #a, op, #b,  \
                  w);                                                                          \
        double w_ = (want);                                                                    \
        cr_expect(isnan(w_) ? isnan(r_) : r_ == w_, "%s %c %s (width %d): %g, want %g", #a, op, \
                  #b, w, r_, w_);                                                              \
    } while (0)

/* select '1e308'::float8 * 10: ERROR:  value out of range: overflow, ... */
Test(validate_helpers, float8_arith)
{
    double inf = INFINITY, nan_ = nan("");
    FOK(1.5, '+', 2.25, 8, 3.75);
    FOK(1.5, '-', 2.25, 8, -0.75);
    FOK(1.5, '*', -2.0, 8, -3.0);
    FOK(-7.0, '/', 2.0, 8, -3.5);
    FERR(1e308, '*', 10.0, 8);     /* overflow */
    FERR(1e-308, '*', 1e-308, 8);  /* underflow */
    FERR(1e308, '+', 1e308, 8);    /* overflow */
    FERR(-1e308, '-', 1e308, 8);   /* overflow */
    FERR(1e308, '/', 1e-308, 8);   /* overflow */
    FERR(1e-308, '/', 1e308, 8);   /* underflow */
    FERR(1.0, '/', 0.0, 8);        /* division by zero */
    FERR(0.0, '/', 0.0, 8);        /* division by zero */
    FERR(1.0, '/', -0.0, 8);
    FERR(inf, '/', 0.0, 8);
    FOK(nan_, '/', 0.0, 8, nan_);  /* select 'nan'::float8 / 0: NaN */
    FOK(inf, '*', 0.0, 8, nan_);   /* NaN, no error */
    FOK(inf, '-', inf, 8, nan_);
    FOK(1.0, '/', inf, 8, 0.0);    /* 0: no underflow from an infinite divisor */
    FOK(inf, '/', 1e-308, 8, inf);
    FOK(1e-310, '*', 1.0, 8, 1e-310); /* a subnormal result is no underflow */
    FOK(nan_, '+', 1.0, 8, nan_);
    FOK(0.0, '*', 1e308, 8, 0.0);
    FOK(inf, '+', 1.0, 8, inf);
    FOK(-inf, '-', 1.0, 8, -inf);
    double r;
    cr_expect(!schemac_float_arith(1.0, 2.0, '%', 8, &r));
}

/* select '3.4e38'::float4 + '3.4e38'::float4: ERROR:  value out of range: overflow, ... */
Test(validate_helpers, float4_arith)
{
    double inf = INFINITY, nan_ = nan("");
    FERR(3.4e38, '+', 3.4e38, 4); /* overflows in float, not in double */
    FERR(1e30, '*', 1e30, 4);
    FERR(1e-30, '*', 1e-30, 4);   /* underflows in float, not in double */
    FERR(1.0, '/', 0.0, 4);
    FOK(inf, '+', 1.0, 4, inf);
    FOK(nan_, '/', 0.0, 4, nan_);
    FOK(1.5, '*', 2.0, 4, 3.0);
    FOK(0.1, '+', 0.2, 4, (double)(0.1f + 0.2f)); /* computed in float */
}

/* ---------------------------------------------------------- integers */

static bool iarith(int64_t a, char op, int64_t b, int width, int64_t *r)
{
    *r = 12345;
    return schemac_int_arith(a, b, op, width, r);
}

#define IERR(a, op, b, w)                                                                    \
    do {                                                                                     \
        int64_t r_;                                                                          \
        cr_expect(!iarith(a, op, b, w, &r_), "%s %c %s (width %d) must fail", #a, op, #b, w); \
    } while (0)

#define IOK(a, op, b, w, want)                                                                  \
    do {                                                                                        \
        int64_t r_;                                                                             \
        cr_expect(iarith(a, op, b, w, &r_), "%s %c %s (width %d) must not fail", #a, op, #b, w); \
        cr_expect_eq(r_, (int64_t)(want), "%s %c %s (width %d): %lld, want %lld", #a, op, #b, w, \
                     (long long)r_, (long long)(want));                                        \
    } while (0)

/* select 32767::int2 + 1::int2: ERROR:  smallint out of range, ... */
Test(validate_helpers, int_arith_widths)
{
    /* smallint */
    IERR(32767, '+', 1, 2);
    IERR(-32768, '-', 1, 2);
    IERR(200, '*', 200, 2);
    IERR(-32768, '/', -1, 2);
    IOK(-32768, '%', -1, 2, 0);
    IOK(32766, '+', 1, 2, 32767);
    IOK(-32767, '-', 1, 2, -32768);
    IOK(181, '*', 181, 2, 32761);
    /* integer */
    IERR(2147483647, '+', 1, 4);
    IERR(INT32_MIN, '/', -1, 4);
    IERR(INT32_MIN, '*', -1, 4);
    IOK(INT32_MIN, '%', -1, 4, 0);
    IOK(-32768, '/', -1, 4, 32768); /* fine once wider than smallint */
    IOK(32767, '+', 1, 4, 32768);
    /* bigint: what overflows integer is fine here */
    IOK(INT32_MIN, '/', -1, 8, 2147483648LL);
    IOK(2147483647, '+', 1, 8, 2147483648LL);
    IERR(INT64_MAX, '+', 1, 8);
    IERR(INT64_MIN, '-', 1, 8);
    IERR(INT64_MIN, '/', -1, 8);
    IERR(INT64_MIN, '*', -1, 8);
    IERR(INT64_MAX, '*', 2, 8);
    IOK(INT64_MIN, '%', -1, 8, 0);
    IOK(INT64_MAX, '-', INT64_MAX, 8, 0);
}

/* select (-7)/2, (-7)%2, 7%(-2), 7/(-2), (-7)/(-2), (-7)%(-2): -3|-1|1|-3|3|-1;
 * select 5 / 0, 5 % 0, 0 % 0: ERROR:  division by zero */
Test(validate_helpers, int_division)
{
    for (int w = 2; w <= 8; w *= 2) {
        IOK(-7, '/', 2, w, -3);
        IOK(-7, '%', 2, w, -1);
        IOK(7, '%', -2, w, 1);
        IOK(7, '/', -2, w, -3);
        IOK(-7, '/', -2, w, 3);
        IOK(-7, '%', -2, w, -1);
        IOK(7, '%', -1, w, 0);
        IOK(7, '/', -1, w, -7);
        IERR(5, '/', 0, w);
        IERR(5, '%', 0, w);
        IERR(0, '%', 0, w);
        IERR(0, '/', 0, w);
    }
    int64_t r;
    cr_expect(!schemac_int_arith(1, 2, '^', 8, &r));
}

/* ---------------------------------------------------------- numerics */

/* The value of `n` as plain decimal text without trailing zeros after the
 * point ("NaN", "Infinity", "-Infinity" for the special values). */
static void render(const struct schemac_numeric *n, char *out, size_t size)
{
    switch (n->special) {
    case SCHEMAC_NUMERIC_NAN: snprintf(out, size, "NaN"); return;
    case SCHEMAC_NUMERIC_PINF: snprintf(out, size, "Infinity"); return;
    case SCHEMAC_NUMERIC_NINF: snprintf(out, size, "-Infinity"); return;
    default: break;
    }
    size_t nd = n->len1 + n->len2, k = 0;
    if (nd == 0) {
        snprintf(out, size, "%s", n->neg ? "-0?" : "0");
        return;
    }
    char *d = malloc(nd);
    memcpy(d, n->run1, n->len1);
    memcpy(d + n->len1, n->run2, n->len2);
    if (n->neg)
        out[k++] = '-';
    if (n->exp <= 0) {
        out[k++] = '0';
        out[k++] = '.';
        for (long i = 0; i < -n->exp && k + 2 < size; i++)
            out[k++] = '0';
        for (size_t i = 0; i < nd && k + 2 < size; i++)
            out[k++] = d[i];
    } else {
        for (long i = 0; i < n->exp && k + 2 < size; i++)
            out[k++] = (size_t)i < nd ? d[i] : '0';
        if ((size_t)n->exp < nd) {
            out[k++] = '.';
            for (size_t i = (size_t)n->exp; i < nd && k + 2 < size; i++)
                out[k++] = d[i];
        }
    }
    out[k] = '\0';
    free(d);
}

static int parse_render(const char *s, int p, int sc, char *out, size_t size)
{
    struct schemac_numeric n;
    int rc = schemac_numeric_parse(&n, s, p, sc);
    if (rc == SCHEMAC_NUMERIC_OK)
        render(&n, out, size);
    else
        snprintf(out, size, "(error)");
    return rc;
}

/* Parses `s` as numeric(p,s) (p 0: numeric): OK with value `want`. */
#define NUM_OK(s, p, sc, want)                                                                  \
    do {                                                                                        \
        char got_[256];                                                                         \
        int rc_ = parse_render(s, p, sc, got_, sizeof got_);                                    \
        cr_expect_eq(rc_, SCHEMAC_NUMERIC_OK, "'%s' as numeric(%d,%d): %d, want OK", s, p, sc, \
                     rc_);                                                                      \
        cr_expect_str_eq(got_, want, "'%s' as numeric(%d,%d): %s, want %s", s, p, sc, got_,     \
                         want);                                                                 \
    } while (0)

#define NUM_RC(s, p, sc, want)                                                                   \
    do {                                                                                         \
        char got_[256];                                                                          \
        int rc_ = parse_render(s, p, sc, got_, sizeof got_);                                     \
        cr_expect_eq(rc_, want, "'%s' as numeric(%d,%d): %d (%s), want %s", s, p, sc, rc_, got_, \
                     #want);                                                                     \
    } while (0)

#define NUM_SYNTAX(s) NUM_RC(s, 0, 0, SCHEMAC_NUMERIC_SYNTAX)

/* select '...'::numeric */
Test(validate_helpers, numeric_syntax_accepted)
{
    NUM_OK(" 1.5 ", 0, 0, "1.5");
    NUM_OK("1e3", 0, 0, "1000");
    NUM_OK("1E+3", 0, 0, "1000");
    NUM_OK(".5", 0, 0, "0.5");
    NUM_OK("+.5", 0, 0, "0.5");
    NUM_OK("5.", 0, 0, "5");
    NUM_OK("+7", 0, 0, "7");
    NUM_OK("-0", 0, 0, "0");
    NUM_OK("-0.000", 0, 0, "0");
    NUM_OK("\t7\n", 0, 0, "7");
    NUM_OK("00012.3400", 0, 0, "12.34");
    NUM_OK("1.e2", 0, 0, "100");
    NUM_OK("1e-0", 0, 0, "1");
    NUM_OK("0.0e5", 0, 0, "0");
    NUM_OK("-12.5e-3", 0, 0, "-0.0125");
    NUM_OK("NaN", 0, 0, "NaN");
    NUM_OK("nan", 0, 0, "NaN");
    NUM_OK(" NaN ", 0, 0, "NaN");
    NUM_OK("Infinity", 0, 0, "Infinity");
    NUM_OK("+inf", 0, 0, "Infinity");
    NUM_OK("INF", 0, 0, "Infinity");
    NUM_OK("-inf", 0, 0, "-Infinity");
    NUM_OK("-Infinity", 0, 0, "-Infinity");
    /* the exponent is read with strtol(): spaces and a sign before its digits */
    NUM_OK("1e 5", 0, 0, "100000");
    NUM_OK("1e +5", 0, 0, "100000");
    NUM_OK("1e0000000000000000000005", 0, 0, "100000");
}

/* Exponents past 1000 (checked by their digits: render() stops at 256
 * bytes), and PostgreSQL's limits on the weight and the display scale. */
Test(validate_helpers, numeric_large_exponents)
{
    struct schemac_numeric n;
    /* select length('1e1001'::numeric::text): 1002 */
    cr_expect_eq(schemac_numeric_parse(&n, "1e1001", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(n.exp, 1002);
    cr_expect_eq(n.len1 + n.len2, 1);
    cr_expect_eq(schemac_numeric_parse(&n, "1e+0001001", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(n.exp, 1002);
    cr_expect_eq(schemac_numeric_parse(&n, "1e-1001", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(n.exp, -1000);
    cr_expect_eq(schemac_numeric_parse(&n, "1e-1002", 0, 0), SCHEMAC_NUMERIC_OK);
    /* the largest and smallest PostgreSQL takes */
    cr_expect_eq(schemac_numeric_parse(&n, "1e131071", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_parse(&n, "9.9e131071", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_parse(&n, "000001e131071", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_parse(&n, "1e-16383", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_parse(&n, "0e-16383", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_parse(&n, "0e131073", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_parse(&n, "0e1073741822", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_parse(&n, "0e1001", 0, 0), SCHEMAC_NUMERIC_OK);
    /* ERROR:  value overflows numeric format */
    NUM_RC("1e131072", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e200000", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e1073741823", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e1073741824", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e2147483648", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("0e1073741823", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("0e-1073741822", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e-16384", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("5e-16384", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e-20000", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("0e-16384", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("0.00e-16382", 0, 0, SCHEMAC_NUMERIC_OVERFLOW); /* trailing zeros count */
    NUM_RC("1.5e-16383", 0, 0, SCHEMAC_NUMERIC_OVERFLOW);
}

/* ERROR:  invalid input syntax for type numeric */
Test(validate_helpers, numeric_syntax_rejected)
{
    NUM_SYNTAX("+NaN");
    NUM_SYNTAX("-NaN");
    NUM_SYNTAX("infinit");
    NUM_SYNTAX("1e");
    NUM_SYNTAX("1e+");
    NUM_SYNTAX("1e+ 5");
    NUM_SYNTAX("e5");
    NUM_SYNTAX(".e2");
    NUM_SYNTAX("1.2.3");
    NUM_SYNTAX("1e3.5");
    NUM_SYNTAX("");
    NUM_SYNTAX(" ");
    NUM_SYNTAX(".");
    NUM_SYNTAX("-.");
    NUM_SYNTAX("- 5");
    NUM_SYNTAX("++1");
    NUM_SYNTAX("1 000");
    NUM_SYNTAX("1_000");
    NUM_SYNTAX("0x10");
    NUM_SYNTAX("0b1");
    NUM_SYNTAX("0o7");
    NUM_SYNTAX("\xd9\xa1"); /* ١, an Arabic-Indic digit */
    struct schemac_numeric n;
    cr_expect_eq(schemac_numeric_parse(&n, NULL, 0, 0), SCHEMAC_NUMERIC_SYNTAX);
    /* the same with a precision */
    NUM_RC("1e", 5, 2, SCHEMAC_NUMERIC_SYNTAX);
    NUM_RC("abc", 5, 2, SCHEMAC_NUMERIC_SYNTAX);
}

/* select '9.995'::numeric(4,2), ... (PostgreSQL prints the scale's zeros:
 * 10.00 is "10" here) */
Test(validate_helpers, numeric_rounding)
{
    NUM_OK("9.995", 4, 2, "10");
    NUM_OK("9.995", 5, 2, "10");
    NUM_OK("-9.995", 4, 2, "-10");
    NUM_OK("999.99", 5, 2, "999.99");
    NUM_OK("-999.994", 5, 2, "-999.99");
    NUM_OK("999.994999", 5, 2, "999.99");
    NUM_OK("0.5", 1, 0, "1");
    NUM_OK("-0.5", 1, 0, "-1");
    NUM_OK("0.4999", 1, 0, "0");
    NUM_OK("9.4", 1, 0, "9");
    NUM_OK("0.0000", 1, 0, "0");
    NUM_OK("-0.0001", 3, 2, "0"); /* 0.00, not -0.00 */
    NUM_OK("1e-3", 3, 2, "0");
    NUM_OK("123.456", 1000, 0, "123");
    NUM_OK("5e-1", 10, 0, "1");
    NUM_OK("0.05", 2, 1, "0.1");
    NUM_OK("0.95", 2, 1, "1");
    NUM_OK("NaN", 5, 2, "NaN");
    /* scale above precision */
    NUM_OK("0.00123", 3, 5, "0.00123");
    NUM_OK("0.00999", 3, 5, "0.00999");
    NUM_OK("0.009994", 3, 5, "0.00999");
    NUM_OK("0.001", 3, 5, "0.001");
    NUM_OK("0.000005", 1, 5, "0.00001");
    NUM_OK("0.000004", 1, 5, "0");
    NUM_OK("0.00005", 1, 5, "0.00005");
    /* a negative scale (PostgreSQL 15) */
    NUM_OK("12345", 2, -3, "12000");
    NUM_OK("99499", 2, -3, "99000");
    NUM_OK("-99499", 2, -3, "-99000");
    NUM_OK("499", 2, -3, "0");
    NUM_OK("500", 2, -3, "1000");
    /* an INSERT reads the text as numeric first: a tiny exponent is fine
     * (prepare p2 as insert into tn values ($1), tn.a numeric(5,2)) */
    NUM_OK("1e-1001", 5, 2, "0");
    NUM_OK("1e-16383", 5, 2, "0");
    NUM_OK("0.00e-16381", 5, 2, "0");
}

/* ERROR:  numeric field overflow (or value overflows numeric format) */
Test(validate_helpers, numeric_precision_overflow)
{
    NUM_RC("999.995", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("-999.995", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1000", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("9.5", 1, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("99.95", 3, 1, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("0.009995", 3, 5, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("99500", 2, -3, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e1000", 1000, 0, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("Infinity", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("-inf", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e200000", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e1073741824", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("1e-20000", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("0e-16384", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    NUM_RC("0.000e-16381", 5, 2, SCHEMAC_NUMERIC_OVERFLOW);
    struct schemac_numeric n;
    cr_expect_eq(schemac_numeric_parse(&n, "1e999", 1000, 0), SCHEMAC_NUMERIC_OK);
    /* a long value far past the precision, rounded at the buffer's end */
    char big[3000];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_expect_eq(schemac_numeric_parse(&n, big, 1000, 0), SCHEMAC_NUMERIC_OVERFLOW);
    cr_expect_eq(schemac_numeric_parse(&n, big, 0, 0), SCHEMAC_NUMERIC_OK);
    big[1000] = '.';
    cr_expect_eq(schemac_numeric_parse(&n, big, 1000, 0), SCHEMAC_NUMERIC_OVERFLOW);
    big[1000] = '9';
    big[0] = '0';
    big[1] = '.';
    cr_expect_eq(schemac_numeric_parse(&n, big, 1000, 1000), SCHEMAC_NUMERIC_OVERFLOW);
    cr_expect_eq(schemac_numeric_parse(&n, big, 1000, 999), SCHEMAC_NUMERIC_OK);
}

static int cmp_text(const char *a, const char *b)
{
    struct schemac_numeric x, y;
    cr_assert_eq(schemac_numeric_parse(&x, a, 0, 0), SCHEMAC_NUMERIC_OK, "%s", a);
    cr_assert_eq(schemac_numeric_parse(&y, b, 0, 0), SCHEMAC_NUMERIC_OK, "%s", b);
    return schemac_numeric_cmp(&x, &y);
}

#define CMP(a, b, want)                                                                    \
    do {                                                                                   \
        cr_expect_eq(cmp_text(a, b), want, "cmp(%s, %s): %d, want %d", a, b, cmp_text(a, b), \
                     want);                                                                \
        cr_expect_eq(cmp_text(b, a), -(want), "cmp(%s, %s)", b, a);                        \
    } while (0)

/* select 'NaN'::numeric = 'NaN'::numeric, 'NaN'::numeric > 'Infinity'::numeric, ... */
Test(validate_helpers, numeric_order)
{
    CMP("NaN", "nan", 0);
    CMP("NaN", "Infinity", 1);
    CMP("NaN", "1e131071", 1);
    CMP("Infinity", "1e131071", 1);
    CMP("Infinity", "inf", 0);
    CMP("-Infinity", "-1e1000", -1);
    CMP("-1e131071", "-Infinity", 1);
    CMP("-Infinity", "NaN", -1);
    CMP("-inf", "-Infinity", 0);
    CMP("0", "-0.000", 0);
    CMP("0", "0e5", 0);
    CMP("1.0", "1", 0);
    CMP("1e2", "100", 0);
    CMP("123.4500", "123.45", 0);
    CMP("0.1", "1", -1);
    CMP("-1", "-0.1", -1);
    CMP("10", "9.99", 1);
    CMP("-10", "-9.99", -1);
    CMP("0.5", "-0.5", 1);
    CMP("-0.001", "0", -1);
    CMP("1e-16383", "0", 1);
    CMP("-1e-16383", "0", -1);
    CMP("123.45", "123.456", -1);
    CMP("-123.45", "-123.456", 1);
    CMP("99", "100", -1);
    CMP("0.099", "0.1", -1);
    /* rounded values (digits in the buffer) against parsed ones */
    struct schemac_numeric a, b;
    cr_assert_eq(schemac_numeric_parse(&a, "9.995", 4, 2), SCHEMAC_NUMERIC_OK);
    cr_assert_eq(schemac_numeric_parse(&b, "10", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect_eq(schemac_numeric_cmp(&a, &b), 0);
    /* integers */
    schemac_numeric_from_int(&a, 100);
    cr_expect_eq(schemac_numeric_cmp(&a, &b), 1);
    schemac_numeric_from_int(&a, 10);
    cr_expect_eq(schemac_numeric_cmp(&a, &b), 0);
}

/* select 9223372036854775807::numeric = '9223372036854775807', ... */
Test(validate_helpers, numeric_from_int)
{
    static const struct {
        int64_t v;
        const char *text;
    } cases[] = {
        {0, "0"},
        {1, "1"},
        {-1, "-1"},
        {100, "1e2"},
        {-120, "-120.0"},
        {INT64_MAX, "9223372036854775807"},
        {INT64_MIN, "-9223372036854775808"},
        {INT32_MIN, "-2147483648"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct schemac_numeric a, b;
        schemac_numeric_from_int(&a, cases[i].v);
        cr_assert_eq(schemac_numeric_parse(&b, cases[i].text, 0, 0), SCHEMAC_NUMERIC_OK);
        cr_expect_eq(schemac_numeric_cmp(&a, &b), 0, "%lld vs %s", (long long)cases[i].v,
                     cases[i].text);
        cr_expect_eq(a.special, SCHEMAC_NUMERIC_FINITE);
        char got[64];
        render(&a, got, sizeof got);
        char want[64];
        render(&b, want, sizeof want);
        cr_expect_str_eq(got, want);
    }
}

static double to_double(const char *s)
{
    struct schemac_numeric n;
    cr_assert_eq(schemac_numeric_parse(&n, s, 0, 0), SCHEMAC_NUMERIC_OK, "%s", s);
    return schemac_numeric_to_double(&n);
}

/* select '0.1'::numeric::float8 = 0.1::float8, ... */
Test(validate_helpers, numeric_to_double)
{
    cr_expect(to_double("0.1") == 0.1);
    cr_expect(to_double("-2.5") == -2.5);
    cr_expect(to_double("0") == 0.0);
    cr_expect(to_double("1e-310") == 1e-310);
    cr_expect(to_double("0.30000000000000001") == 0.3);
    cr_expect(to_double("1.7976931348623157e308") == DBL_MAX);
    cr_expect(to_double("123.4500") == 123.45);
    cr_expect(isnan(to_double("NaN")));
    cr_expect(isinf(to_double("Infinity")) && to_double("Infinity") > 0);
    cr_expect(isinf(to_double("-inf")) && to_double("-inf") < 0);
    /* 1 + 2^-53 exactly rounds to even (1); with a nonzero digit far past
     * the 800 digits read, it rounds up:
     * select ('1.00000000000000011102230246251565404236316680908203125'
     *         || repeat('0', 900) || '1')::numeric::float8 = '1.0000000000000002' */
    const char *half = "1.00000000000000011102230246251565404236316680908203125";
    cr_expect(to_double(half) == 1.0);
    char *s = malloc(strlen(half) + 902);
    strcpy(s, half);
    memset(s + strlen(half), '0', 900);
    strcpy(s + strlen(half) + 900, "1");
    cr_expect(to_double(s) == 1.0000000000000002, "%.17g", to_double(s));
    /* select ('0.' || repeat('3', 900))::numeric::float8 = (1::float8 / 3) */
    memset(s, '3', 902);
    s[0] = '0';
    s[1] = '.';
    s[902] = '\0';
    cr_expect(to_double(s) == 1.0 / 3.0);
    /* select ('-' || repeat('9', 300))::numeric::float8 = '-1e300' */
    memset(s, '9', 301);
    s[0] = '-';
    s[301] = '\0';
    cr_expect(to_double(s) == -1e300);
    free(s);
    /* rounded values */
    struct schemac_numeric n;
    cr_assert_eq(schemac_numeric_parse(&n, "-9.995", 4, 2), SCHEMAC_NUMERIC_OK);
    cr_expect(schemac_numeric_to_double(&n) == -10.0);
}

/* ------------------------------------------------------------- dates */

/* select '2000-01-01'::date::timestamp, 'infinity'::date::timestamp, ...;
 * select '5874897-12-31'::date > 'infinity'::timestamp (f),
 *        '5874897-12-31'::date > '294276-12-31 23:59:59'::timestamp (t),
 *        '4714-11-24 BC'::date = '4714-11-24 00:00 BC'::timestamp (t) */
Test(validate_helpers, date_to_timestamp)
{
    cr_expect_eq(schemac_date_to_timestamp(0), 0);
    cr_expect_eq(schemac_date_to_timestamp(10957), INT64_C(946684800000000));
    cr_expect_eq(schemac_date_to_timestamp(-1), -INT64_C(86400000000));
    cr_expect_eq(schemac_date_to_timestamp(INT32_MAX), INT64_MAX);
    cr_expect_eq(schemac_date_to_timestamp(INT32_MIN), INT64_MIN);
    cr_expect_eq(schemac_date_to_timestamp(SCHEMAC_DATE_MIN), SCHEMAC_TIMESTAMP_MIN);
    /* the last day int64_t microseconds since 1970 reach */
    cr_expect_eq(schemac_date_to_timestamp(106751991), INT64_C(9223372022400000000));
    /* past it: later than any finite timestamp here, before infinity */
    int64_t last = schemac_date_to_timestamp(SCHEMAC_DATE_MAX);
    cr_expect(last > INT64_C(9223372022400000000) && last < INT64_MAX);
    int64_t next = schemac_date_to_timestamp(106751992);
    cr_expect(next > INT64_C(9223372022400000000) && next < INT64_MAX);
}

/* PostgreSQL: select '1e400'::numeric::float8 and '1e-400'::numeric::float8
 * raise "is out of range for type double precision"; a denormal
 * ('4e-320') and NaN cast. */
Test(validate_helpers, numeric_double_range)
{
    struct schemac_numeric n;
    double d = 0;
    cr_assert_eq(schemac_numeric_parse(&n, "1e400", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect(!schemac_numeric_double(&n, &d));
    cr_assert_eq(schemac_numeric_parse(&n, "-1e-400", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect(!schemac_numeric_double(&n, &d));
    cr_assert_eq(schemac_numeric_parse(&n, "4e-320", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect(schemac_numeric_double(&n, &d) && d > 0 && d < 1e-310);
    cr_assert_eq(schemac_numeric_parse(&n, "0", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect(schemac_numeric_double(&n, &d) && d == 0.0);
    cr_assert_eq(schemac_numeric_parse(&n, "NaN", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect(schemac_numeric_double(&n, &d) && d != d);
    cr_assert_eq(schemac_numeric_parse(&n, "-12.75", 0, 0), SCHEMAC_NUMERIC_OK);
    cr_expect(schemac_numeric_double(&n, &d) && d == -12.75);
}
